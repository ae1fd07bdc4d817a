/**
 * Where Prometheus scrapes a service: GET /metrics on a listener of its own (METRICS_HOST,
 * METRICS_PORT), apart from the public API, so that a firewall or a pod's port list can keep
 * it private. Nothing listens unless a port is configured.
 */
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AggregatorRegistry } from 'prom-client';

/** What a scrape answers: one service's registry (ServiceMetrics), or a cluster's workers' together. */
export interface Scrape {
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Address of the metrics listener (default 127.0.0.1). */
  host?: string;
  /** Port of the metrics listener; 0 picks a free one; unset: no metrics listener. */
  port?: number;
  /** Also answer GET /metrics on the service's public listener, with no protection of its own. */
  onPublicListener?: boolean;
}

export interface MetricsListener {
  /** The scrape URL. */
  url: string;
  close(): Promise<void>;
}

export async function sendMetrics(scrape: Scrape, response: ServerResponse): Promise<void> {
  try {
    const body = await scrape.text();
    response.statusCode = 200;
    response.setHeader('content-type', scrape.contentType);
    response.setHeader('cache-control', 'no-store');
    response.end(body);
  } catch {
    response.statusCode = 500;
    response.end();
  }
}

/** Starts the metrics listener when a port is configured; null otherwise. */
export async function listenForScrapes(scrape: Scrape, options: MetricsOptions | undefined): Promise<MetricsListener | null> {
  if (options?.port === undefined) return null;
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?', 1)[0];
    if (request.method === 'GET' && pathname === '/metrics') return void sendMetrics(scrape, response);
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Cannot serve metrics on ${host}:${options.port}: the port is in use (METRICS_PORT)`) : error),
    );
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${displayHost}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * With several workers (GATEWAY_WORKERS, SUBGRAPH_WORKERS), the primary answers scrapes with
 * every worker's metrics summed (prom-client's AggregatorRegistry asks each over IPC), so one
 * scrape counts the whole service; the workers open no metrics listener of their own.
 */
export function clusterScrape(): Scrape {
  const aggregator = new AggregatorRegistry();
  return { text: () => aggregator.clusterMetrics(), contentType: aggregator.contentType };
}
