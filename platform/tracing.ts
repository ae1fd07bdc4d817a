/**
 * Distributed traces (OpenTelemetry), per process. Spans are exported over OTLP/HTTP only
 * when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set. Without it
 * the SDK is not even loaded: the API's no-op tracer makes every span below free, no
 * traceparent is read or forwarded, and nothing leaves the host.
 *
 * Spans carry names, codes and durations only: no resident ids, subjects, tokens, queries or
 * database filters.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { safeOperationName } from './metrics';

/** Every span of this project comes from this tracer; @apollo/gateway adds its own (gateway.plan, gateway.fetch, ...). */
export const tracer = trace.getTracer('jinling-hie');

export interface Tracing {
  /** Where spans go. */
  endpoint: string;
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP traces URL the environment names, or null: tracing off. */
export function tracesEndpoint(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}

/**
 * Registers the process's tracer provider, W3C trace-context propagation and async context,
 * when an endpoint is configured. One service per process: its name is the resource's
 * service.name (`jinling-gateway`, `jinling-records`, ...).
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing | null {
  const endpoint = tracesEndpoint(env);
  if (!endpoint) return null;
  // Loaded only here, so that a service without tracing does not pay for the SDK at start.
  const { TracerProvider, BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler } =
    require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Trace context only: W3C baggage could carry anything a client puts in it.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': `jinling-${service}` }),
    // A client that sends a traceparent decides whether its request is sampled; others always are.
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [boundedOperationNames, new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: endpoint }) })],
  });
  trace.setGlobalTracerProvider(provider);
  return { endpoint, shutdown: () => provider.shutdown() };
}

/**
 * @apollo/gateway's own spans (gateway.request, gateway.plan) carry the operation name as the
 * client wrote it; it is replaced at the span's start by the bounded one metrics report.
 */
const OPERATION_NAME_ATTRIBUTES = ['graphql.operation.name', 'operationName'];
const boundedOperationNames: SpanProcessor = {
  onStart(span) {
    for (const key of OPERATION_NAME_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === 'string') span.setAttribute(key, safeOperationName(value));
    }
  },
  onEnd() {},
  forceFlush: async () => {},
  shutdown: async () => {},
};
