/**
 * Graceful shutdown of one service process. On SIGTERM (Kubernetes, systemd, `npm start`) or
 * Ctrl-C, /ready turns 503 so the load balancer takes the process out of rotation, new work
 * is refused with 503 OVERLOADED and `Connection: close`, and the requests already in flight
 * finish, for at most the drain bound (SHUTDOWN_DRAIN_MS); then the listener and every
 * connection close and the service lets go of what it holds (Apollo, the database).
 *
 * The listener stays open while draining rather than refusing connections: an orchestrator
 * keeps probing /ready and /health, and a client that still reaches the process is told to
 * retry instead of meeting a reset.
 */
import type { Server } from 'node:http';
import type { Logger } from './logger';
import type { RequestGate } from './request-gate';

export interface DrainableService {
  server: Server;
  gate: RequestGate;
  logger: Logger;
  /** Frees what the service holds once no request runs (Apollo, the database connection). */
  release(): Promise<void>;
}

/** True when everything in flight finished; false when the bound cut some requests off. */
export type Drain = (boundMs: number) => Promise<boolean>;

/** The service's drain; asking again (a second signal) waits for the same one. */
export function drainer(service: DrainableService): Drain {
  let running: Promise<boolean> | undefined;
  return (boundMs) => (running ??= drain(service, boundMs));
}

async function drain({ server, gate, logger, release }: DrainableService, boundMs: number): Promise<boolean> {
  gate.beginDrain();
  logger.info({ inFlight: gate.size, boundMs }, 'draining');
  const drained = await gate.idle(boundMs);
  if (!drained) logger.warn({ inFlight: gate.size, boundMs }, 'drain bound reached; cutting off the requests still in flight');
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive connections, and whatever the bound cut off.
    server.closeAllConnections();
  });
  await release();
  logger.info({ drained }, 'stopped');
  return drained;
}

/**
 * Drains on SIGTERM or SIGINT, then exits: 0 when every request in flight finished, 1 when
 * the bound cut some off (so a supervisor can tell work was lost) or stopping failed.
 */
export function exitAfterDrainOnSignals(drainService: () => Promise<boolean>): void {
  const stop = () => {
    drainService().then(
      (drained) => process.exit(drained ? 0 : 1),
      () => process.exit(1),
    );
  };
  // `on`, not `once`: a second signal while draining must not kill the process by default; the bound ends it.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
