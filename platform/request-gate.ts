/**
 * Which requests a service starts working on. Beyond its in-flight bound it sheds load (a
 * quick 503 OVERLOADED the client can retry elsewhere, instead of a queue that only makes
 * every caller wait longer), and once it is draining for shutdown it starts nothing new. It
 * counts the requests it lets in until their responses close, so a drain knows when the
 * work in hand is done.
 */
import type { ServerResponse } from 'node:http';
import { HttpError } from './http-error';

/** What a refused client is told to wait before retrying, in seconds. */
export const RETRY_AFTER_SECONDS = 1;

export class RequestGate {
  private inFlight = 0;
  private stopping = false;
  private readonly whenIdle = new Set<() => void>();

  constructor(readonly maxInFlight: number) {}

  get draining(): boolean {
    return this.stopping;
  }

  /** How many admitted requests have not finished. */
  get size(): number {
    return this.inFlight;
  }

  /**
   * Lets the request in and counts it until its response closes (sent, or the connection
   * dropped); otherwise returns the refusal to send. `Connection: close` on a refusal makes the
   * client's next attempt open a new connection, which a load balancer may send elsewhere.
   */
  admit(response: ServerResponse): HttpError | null {
    if (this.draining) return refusal('The service is shutting down; retry');
    if (this.inFlight >= this.maxInFlight) return refusal('The service is at capacity; retry');
    this.inFlight++;
    response.once('close', () => {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.whenIdle) resolve();
    });
    return null;
  }

  /** Starts no new work from now on. */
  beginDrain(): void {
    this.stopping = true;
  }

  /** True once nothing is in flight; false if `boundMs` passes first. */
  idle(boundMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.whenIdle.delete(onIdle);
        resolve(drained);
      };
      const onIdle = () => done(true);
      const timer = setTimeout(() => done(false), boundMs);
      this.whenIdle.add(onIdle);
    });
  }
}

function refusal(message: string): HttpError {
  return new HttpError(503, 'OVERLOADED', message, { 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' });
}
