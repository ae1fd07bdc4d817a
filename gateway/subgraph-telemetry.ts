/**
 * Wraps the gateway's subgraph fetcher: counts and times each call by subgraph, tells
 * timeouts apart, and, when tracing is on, makes the call a client span whose W3C traceparent
 * the subgraph continues.
 */

import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { GatewayMetrics } from '../platform/metrics';
import { tracer } from '../platform/tracing';

export type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;
type FetchInit = { method?: string; headers?: Record<string, string>; body?: string | Buffer };

/** undici's deadlines for a subgraph that sends no headers, or stalls mid-body. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function observedFetcher(subgraph: string, fetcher: Fetcher, metrics: GatewayMetrics): Fetcher {
  const call = fetcher as unknown as (url: string, init?: FetchInit) => Promise<Awaited<ReturnType<Fetcher>>>;
  return (async (url: string, init?: FetchInit) => {
    const span = tracer.startSpan(`POST ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'jinling.subgraph': subgraph, 'http.request.method': 'POST' } });
    const headers = { ...init?.headers };
    propagation.inject(trace.setSpan(context.active(), span), headers);
    const started = performance.now();
    let outcome: 'ok' | 'error' | 'timeout' = 'error';
    try {
      const response = await call(url, { ...init, headers });
      span.setAttribute('http.response.status_code', response.status);
      if (response.ok) outcome = 'ok';
      return response;
    } catch (error) {
      if (TIMEOUT_CODES.has((error as { code?: string }).code ?? '')) {
        outcome = 'timeout';
        metrics.subgraphTimeouts.inc({ subgraph });
      }
      throw error;
    } finally {
      metrics.subgraphFetches.inc({ subgraph, outcome });
      metrics.subgraphDuration.observe({ subgraph }, (performance.now() - started) / 1000);
      if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      span.end();
    }
  }) as Fetcher;
}
