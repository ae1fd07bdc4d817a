/**
 * Load from autocannon (installed on demand in bench/peers): a fixed number of requests at a
 * fixed concurrency (the most a contender serves), or at a fixed rate (its latency). Every
 * request sent is waited for, so CPU and counters read before and after belong to exactly
 * these requests. Latency percentiles come from every response's own time.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BenchRequest } from './workload';

export const PEERS_DIR = path.join(__dirname, 'peers');

export interface LoadOptions {
  url: string;
  connections: number;
  amount: number;
  /** Requests per second across all connections; absent for as fast as it goes. */
  rate?: number;
  next(): BenchRequest;
  headersFor(request: BenchRequest): Record<string, string>;
  /** The body a contender is sent for a request, when it is not the GraphQL body. */
  bodyFor?(request: BenchRequest): string;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses that were not 200, or that carried GraphQL errors. */
  failed: number;
  /** The first few failed responses, shortened, to say what went wrong. */
  failures: string[];
}

interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const autocannon = createRequire(path.join(PEERS_DIR, 'package.json'))('autocannon');
  const latencies: number[] = [];
  let withErrors = 0;
  const failures: string[] = [];
  // Timed from the first request to the last response: autocannon itself finishes on whole-second ticks.
  let started = 0;
  let ended = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        amount: options.amount,
        ...(options.rate ? { overallRate: options.rate } : {}),
        timeout: 30,
        requests: [
          {
            setupRequest: (request: Record<string, unknown>) => {
              started ||= performance.now();
              const next = options.next();
              return {
                ...request,
                method: 'POST',
                headers: { 'content-type': 'application/json', ...options.headersFor(next) },
                body: options.bodyFor?.(next) ?? next.body,
              };
            },
            onResponse: (status: number, body: string) => {
              const failed = status !== 200 || body.includes('"errors":');
              if (status === 200 && failed) withErrors++;
              if (failed && failures.length < 3) failures.push(`${status} ${body.slice(0, 240)}`);
            },
          },
        ],
      },
      (error: Error | null, result: AutocannonResult) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? Number.NaN;
        resolve({
          requests: result.requests.total,
          requestsPerSecond: latencies.length / ((ended - started) / 1000),
          p50: at(0.5),
          p95: at(0.95),
          p99: at(0.99),
          failed: result.non2xx + result.errors + result.timeouts + withErrors,
          failures,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      ended = performance.now();
      latencies.push(responseTime);
    });
  });
}
