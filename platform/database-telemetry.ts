/**
 * Database command latency (a histogram by command name) and, when tracing is on, a client
 * span per command, from the driver's command monitoring events. Spans name the command and
 * collection only: filters and documents carry resident ids and are never recorded.
 */
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Connection } from 'mongoose';
import type { SubgraphMetrics } from './metrics';
import { tracer } from './tracing';

/** Connection housekeeping, not the service's work. */
const HOUSEKEEPING = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue']);
const COMMAND_NAME = /^[A-Za-z]{1,40}$/;

/** Needs a connection opened with monitorCommands; covers every database on its client. */
export function observeDatabase(connection: Connection, metrics: SubgraphMetrics): void {
  const client = connection.getClient();
  // Command events of one request share its connection and request id.
  const open = new Map<string, Span>();
  const key = (event: { connectionId?: unknown; requestId: number }) => `${String(event.connectionId)}/${event.requestId}`;

  client.on('commandStarted', (event) => {
    // Traced as part of a request only: start-up work (creating indexes) is no one's trace.
    if (HOUSEKEEPING.has(event.commandName) || !trace.getSpan(context.active())) return;
    const collection = event.command[event.commandName];
    const span = tracer.startSpan(`mongodb ${event.commandName}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'mongodb',
        'db.operation.name': event.commandName,
        'db.namespace': event.databaseName,
        ...(typeof collection === 'string' ? { 'db.collection.name': collection } : {}),
      },
    });
    if (span.isRecording()) open.set(key(event), span);
  });
  const finish = (event: { commandName: string; duration: number; connectionId?: unknown; requestId: number }, outcome: 'ok' | 'error') => {
    if (HOUSEKEEPING.has(event.commandName)) return;
    const command = COMMAND_NAME.test(event.commandName) ? event.commandName : 'other';
    metrics.databaseCommands.observe({ command, outcome }, event.duration / 1000);
    const span = open.get(key(event));
    if (!span) return;
    open.delete(key(event));
    if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  client.on('commandSucceeded', (event) => finish(event, 'ok'));
  client.on('commandFailed', (event) => finish(event, 'error'));
}
