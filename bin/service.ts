/**
 * Entry point of one service process: `tsx bin/service.ts <gateway|records|labs|…>`.
 * Needs MONGODB_URI for subgraphs; stops gracefully on SIGTERM or SIGINT (platform/shutdown.ts:
 * exit 0 when every request in flight finished, 1 when SHUTDOWN_DRAIN_MS cut some off). With
 * GATEWAY_WORKERS or SUBGRAPH_WORKERS above 1, this process forks that many workers that
 * share the port; a worker that dies stops the service rather than being restarted silently.
 */
import cluster from 'node:cluster';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config';
import { createLogger } from '../platform/logger';
import { clusterScrape, listenForScrapes } from '../platform/metrics-endpoint';
import { exitAfterDrainOnSignals } from '../platform/shutdown';
import { startTracing } from '../platform/tracing';
import { startGateway, startSubgraph } from './services';

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const config = loadConfig();
  const isGateway = name === 'gateway';
  if (!isGateway && !(SUBGRAPH_NAMES as readonly string[]).includes(name)) {
    throw new Error(`Usage: tsx bin/service.ts <gateway|${SUBGRAPH_NAMES.join('|')}>`);
  }
  if (!isGateway && !config.MONGODB_URI) throw new Error('MONGODB_URI is required to run a subgraph on its own');
  const workers = isGateway ? config.GATEWAY_WORKERS : config.SUBGRAPH_WORKERS;
  if (workers > 1 && cluster.isPrimary) {
    superviseWorkers(workers);
    const scrapes = await listenForScrapes(clusterScrape(), config.metrics);
    if (scrapes) createLogger(name, config.LOG_LEVEL).info({ metricsUrl: scrapes.url, workers }, 'cluster metrics listening');
    return;
  }

  // Before the service: its spans need the provider (a no-op without OTEL_EXPORTER_OTLP_ENDPOINT).
  const tracing = startTracing(name);
  const { drain } = isGateway ? await startGateway(config) : await startSubgraph(name as SubgraphName, config, config.MONGODB_URI!);
  // The spans of the drained requests are sent before the process exits.
  exitAfterDrainOnSignals(() => drain(config.SHUTDOWN_DRAIN_MS).finally(() => tracing?.shutdown().catch(() => {})));
}

function superviseWorkers(count: number): void {
  let alive = count;
  let exitCode: number | null = null;
  const stopAll = (code: number) => {
    if (exitCode !== null) return;
    exitCode = code;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  cluster.on('exit', (worker, code, signal) => {
    alive--;
    if (exitCode === null) {
      console.error(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); stopping the others`);
      stopAll(1);
    } else if (code !== 0) {
      // A worker whose drain was cut off by the bound: the service did not stop cleanly either.
      exitCode = 1;
    }
    if (alive === 0) process.exit(exitCode ?? 1);
  });
  for (let index = 0; index < count; index++) cluster.fork();
  // `on`, not `once`: a second signal must not kill the primary before its workers have drained.
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
