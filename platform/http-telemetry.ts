/**
 * What every service observes at its HTTP front: a server span per request (continuing the
 * caller's W3C traceparent when tracing is on), request counts and latency by route, and,
 * only when an operator asks for it, /metrics on the public listener.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ServiceMetrics } from './metrics';
import { sendMetrics } from './metrics-endpoint';
import { tracer } from './tracing';

/** Paths are labels only when fixed: anything else (an id in a path, a probe for /admin) is "other". */
const ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics']);
/** Load-balancer probes and scrapes: counted, never traced. */
const UNTRACED = new Set(['/health', '/ready', '/metrics']);

export function routeLabel(url: string | undefined): string {
  const pathname = (url ?? '/').split('?', 1)[0]!;
  return ROUTES.has(pathname) ? pathname : 'other';
}

export function observedHandler(handler: RequestListener, metrics: ServiceMetrics, options: { metricsOnPublicListener?: boolean } = {}): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const route = routeLabel(request.url);
    const started = performance.now();
    const traced = !UNTRACED.has(route);
    const parent = traced ? propagation.extract(ROOT_CONTEXT, request.headers) : ROOT_CONTEXT;
    const span = traced
      ? tracer.startSpan(
          `${request.method} ${route}`,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method ?? '', 'http.route': route } },
          parent,
        )
      : null;
    response.once('close', () => {
      metrics.httpRequests.inc({ route, status: String(response.statusCode) });
      metrics.httpDuration.observe({ route }, (performance.now() - started) / 1000);
      if (!span) return;
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    if (route === '/metrics' && request.method === 'GET' && options.metricsOnPublicListener) return void sendMetrics(metrics, response);
    if (!span) return handler(request, response);
    context.with(trace.setSpan(parent, span), () => handler(request, response));
  };
}
