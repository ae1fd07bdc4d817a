import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, metricsPortOf } from './config';
import { observedHandler } from './http-telemetry';
import { MAX_OPERATION_LABELS, ServiceMetrics } from './metrics';
import { listenForScrapes } from './metrics-endpoint';

describe('operation labels', () => {
  it('keeps GraphQL names, cut to 64 characters, and names anonymous operations', () => {
    const metrics = new ServiceMetrics('test');
    expect(metrics.operationLabel('ResidentRecord')).toBe('ResidentRecord');
    expect(metrics.operationLabel(undefined)).toBe('anonymous');
    expect(metrics.operationLabel(null)).toBe('anonymous');
    expect(metrics.operationLabel(`A${'x'.repeat(100)}`)).toBe(`A${'x'.repeat(63)}`);
  });

  it('refuses names that may carry an id, and anything that is not a GraphQL name', () => {
    const metrics = new ServiceMetrics('test');
    expect(metrics.operationLabel('Resident_65a1f0c2e4b0a1b2c3d4e5f6')).toBe('other');
    expect(metrics.operationLabel('Lookup320102197502144211')).toBe('other');
    expect(metrics.operationLabel('a b')).toBe('other');
    expect(metrics.operationLabel('x{service="gateway"}')).toBe('other');
  });

  it('reports at most MAX_OPERATION_LABELS distinct names, the rest as other', () => {
    const metrics = new ServiceMetrics('test');
    for (let index = 0; index < MAX_OPERATION_LABELS; index++) expect(metrics.operationLabel(`Operation${index}`)).toBe(`Operation${index}`);
    expect(metrics.operationLabel('OneTooMany')).toBe('other');
    expect(metrics.operationLabel('Operation7')).toBe('Operation7');
  });

  it('keeps error codes from a fixed shape', () => {
    expect(ServiceMetrics.errorCodeLabel('FORBIDDEN')).toBe('FORBIDDEN');
    expect(ServiceMetrics.errorCodeLabel('no such code')).toBe('OTHER');
    expect(ServiceMetrics.errorCodeLabel(undefined)).toBe('OTHER');
  });
});

describe('where /metrics is served', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function publicListener(onPublicListener: boolean): Promise<string> {
    const metrics = new ServiceMetrics('test');
    const server = http.createServer(
      observedHandler(
        (_request, response) => {
          response.statusCode = 404;
          response.end('not found');
        },
        metrics,
        { metricsOnPublicListener: onPublicListener },
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  }

  it('is not on the public listener unless asked', async () => {
    expect((await fetch(await publicListener(false))).status).toBe(404);
    const asked = await fetch(await publicListener(true));
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('jinling_process_resident_memory_bytes{service="test"}');
  });

  it('has no listener of its own without a port, and answers only /metrics on one', async () => {
    const metrics = new ServiceMetrics('test');
    expect(await listenForScrapes(metrics, { host: '127.0.0.1' })).toBeNull();
    const listener = (await listenForScrapes(metrics, { host: '127.0.0.1', port: 0 }))!;
    servers.push(listener);
    expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(listener.url)).status).toBe(200);
    expect((await fetch(listener.url.replace('/metrics', '/graphql'))).status).toBe(404);
  });
});

describe('metrics ports under one METRICS_PORT', () => {
  it('gives the gateway the base and each subgraph the offset of its API port', () => {
    expect(['gateway', 'records', 'labs', 'prescriptions', 'referrals', 'access'].map((service) => metricsPortOf(service as 'gateway', 9400))).toEqual([
      9400, 9401, 9402, 9403, 9404, 9405,
    ]);
    expect(metricsPortOf('access', 0)).toBe(0);
  });

  it('is off unless METRICS_PORT is set, and on 127.0.0.1 by default', () => {
    expect(loadConfig({}).metrics).toEqual({ host: '127.0.0.1', port: undefined, onPublicListener: false });
    expect(loadConfig({ METRICS_PORT: '9400', METRICS_HOST: '10.0.0.5', METRICS_ON_PUBLIC_LISTENER: 'true' }).metrics).toEqual({
      host: '10.0.0.5',
      port: 9400,
      onPublicListener: true,
    });
  });
});
