/**
 * Traces across real processes, as production runs them (bin/service.ts): a client's W3C
 * traceparent continues through the gateway into each subgraph it calls and down to the
 * database commands, and every span reaches the OTLP collector named by
 * OTEL_EXPORTER_OTLP_ENDPOINT (a small loopback collector here). Without that variable no
 * span is sent anywhere and no traceparent is forwarded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureLocalKeys } from '../bin/keys';
import { loadConfig } from '../platform/config';
import { issueDemoToken } from '../tools/demo-issuer';
import { GUARD_FILE } from './support/loopback-only.cjs';
import { isRunning } from './support/processes';
import { TEST_START_TIMEOUT_MS, TEST_SUBGRAPH_TIMEOUT_MS } from './support/timing';

const SERVICE = path.resolve(__dirname, '../bin/service.ts');
const CLIENT_TRACE_ID = randomBytes(16).toString('hex');
const CLIENT_SPAN_ID = randomBytes(8).toString('hex');
const TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;
const SUBJECT = 'dr-tracing-subject';
/** An operation name a client made id-like: reported as "other", never as written. */
const ID_LIKE = '9f8e7d6c5b4a39281706';
const QUERY = `query Traced_${ID_LIKE} { organization(code: "3201-H001") { code } labReport(id: "0123456789abcdef01234567") { id } }`;
/** Subgraphs this test does not call still need an address in the gateway's configuration. */
const UNUSED_URL = 'http://127.0.0.1:9/graphql';

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}
const SERVER = 2;
const CLIENT = 3;

let dataDir: string;
let collector: http.Server;
let collectorUrl: string;
/** Every connection the collector accepted, and every span it received. */
let connections = 0;
const received: Span[] = [];
const bodies: string[] = [];
const children: ChildProcess[] = [];

/** OTLP/JSON ids are hex; protobuf-style JSON would carry base64. */
const hexId = (id: unknown) => (typeof id === 'string' && !/^[0-9a-f]*$/.test(id) ? Buffer.from(id, 'base64').toString('hex') : String(id ?? ''));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-tracing-'));
  ensureLocalKeys(loadConfig({ DATA_DIR: dataDir }));
  collector = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    bodies.push(body);
    for (const resourceSpans of JSON.parse(body).resourceSpans ?? []) {
      const service = resourceSpans.resource.attributes.find((attribute: { key: string }) => attribute.key === 'service.name')?.value.stringValue;
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) {
          const attributes = Object.fromEntries(
            (span.attributes ?? []).map((attribute: { key: string; value: Record<string, unknown> }) => [attribute.key, Object.values(attribute.value)[0]]),
          );
          received.push({
            service,
            traceId: hexId(span.traceId),
            spanId: hexId(span.spanId),
            parentSpanId: hexId(span.parentSpanId),
            name: span.name,
            kind: span.kind,
            attributes,
          });
        }
      }
    }
    response.setHeader('content-type', 'application/json');
    response.end('{}');
  });
  collector.on('connection', () => connections++);
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});

afterEach(() => {
  // A failed assertion must not leave a service running behind the suite.
  for (const child of children.splice(0)) if (child.pid && isRunning(child.pid)) child.kill('SIGKILL');
});

afterAll(async () => {
  collector.closeAllConnections();
  await new Promise((resolve) => collector.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts one service process on a free port and resolves with its URL once it listens. */
function startService(name: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  // Whatever the machine's own OTEL_* settings, each test decides tracing for itself.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE, name], {
    env: {
      ...inherited,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SUBGRAPH_TIMEOUT_MS: String(TEST_SUBGRAPH_TIMEOUT_MS),
      NODE_OPTIONS: `--require ${GUARD_FILE}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not listen within ${TEST_START_TIMEOUT_MS} ms (TEST_START_TIMEOUT_MS)`)),
      TEST_START_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg !== 'subgraph listening' && entry.msg !== 'gateway listening') return;
      clearTimeout(timer);
      resolve({ url: entry.url!, child });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
}

/** SIGTERM, as an orchestrator stops a service: it sends its buffered spans, then exits 0. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}

function clientToken(): string {
  const config = loadConfig({ DATA_DIR: dataDir });
  const privateKey = readFileSync(path.join(config.keysDir, 'demo-issuer-private.pem'), 'utf8');
  return issueDemoToken(
    { subject: SUBJECT, roles: ['doctor'], organizationCode: '3201-H001', practitionerId: 'P-TRACING' },
    { privateKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
  );
}

async function query(gatewayUrl: string): Promise<Response> {
  return fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken()}`, traceparent: TRACEPARENT },
    body: JSON.stringify({ query: QUERY }),
  });
}

it('continues the client’s trace through the gateway, both subgraphs and their database commands', async () => {
  const tracing = {
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    MONGODB_URI: process.env.MONGODB_URI!,
    MONGODB_DB_PREFIX: `tr${randomBytes(4).toString('hex')}`,
  };
  const records = await startService('records', { ...tracing, RECORDS_PORT: '0', RECORDS_URL: UNUSED_URL });
  const labs = await startService('labs', { ...tracing, LABS_PORT: '0', LABS_URL: UNUSED_URL });
  const gateway = await startService('gateway', {
    ...tracing,
    GATEWAY_PORT: '0',
    RECORDS_URL: records.url,
    LABS_URL: labs.url,
    PRESCRIPTIONS_URL: UNUSED_URL,
    REFERRALS_URL: UNUSED_URL,
    ACCESS_URL: UNUSED_URL,
  });

  const response = await query(gateway.url);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { organization: null, labReport: null } });
  for (const service of [gateway, records, labs]) await stop(service.child);

  const trace = received.filter((span) => span.traceId === CLIENT_TRACE_ID);
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  const of = (service: string) => trace.filter((span) => span.service === `jinling-${service}`);

  // The gateway's request span is the client's span's child.
  const [gatewayRequest, ...moreRequests] = of('gateway').filter((span) => span.kind === SERVER);
  expect(moreRequests).toEqual([]);
  expect(gatewayRequest).toMatchObject({ name: 'POST /graphql', parentSpanId: CLIENT_SPAN_ID, attributes: { 'graphql.operation.name': 'other' } });

  for (const subgraph of ['records', 'labs']) {
    // One call from the gateway, inside the gateway's request…
    const calls = of('gateway').filter((span) => span.kind === CLIENT && span.name === `POST ${subgraph}`);
    expect(calls).toHaveLength(1);
    let ancestor = byId.get(calls[0]!.parentSpanId);
    while (ancestor && ancestor !== gatewayRequest) ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor).toBe(gatewayRequest);
    // …continued by the subgraph's request span…
    const served = of(subgraph).filter((span) => span.kind === SERVER);
    expect(served.map((span) => span.parentSpanId)).toEqual([calls[0]!.spanId]);
    // …whose database commands are its children.
    const commands = of(subgraph).filter((span) => span.name.startsWith('mongodb '));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command).toMatchObject({ kind: CLIENT, parentSpanId: served[0]!.spanId, attributes: { 'db.system.name': 'mongodb' } });
    }
  }
  // Nothing of the trace is left without its parent, and nothing was traced outside it (start-up work included).
  expect(received.filter((span) => span.traceId !== CLIENT_TRACE_ID)).toEqual([]);
  for (const span of trace) expect(span.parentSpanId === CLIENT_SPAN_ID || byId.has(span.parentSpanId)).toBe(true);

  // No personal data or credentials in what was exported.
  const exported = bodies.join('\n');
  expect(exported).not.toContain(SUBJECT);
  expect(exported).not.toContain('P-TRACING');
  expect(exported).not.toContain('Bearer');
  expect(exported).not.toContain(ID_LIKE);
});

it('sends nothing and forwards no traceparent without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
  // Stands in for the records subgraph: keeps the headers the gateway sends.
  const seen: http.IncomingHttpHeaders[] = [];
  const subgraph = http.createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: { organization: null } }));
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  try {
    const before = connections;
    const env: Record<string, string> = {
      GATEWAY_PORT: '0',
      RECORDS_URL: `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`,
      LABS_URL: UNUSED_URL,
      PRESCRIPTIONS_URL: UNUSED_URL,
      REFERRALS_URL: UNUSED_URL,
      ACCESS_URL: UNUSED_URL,
    };
    const gateway = await startService('gateway', env);
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken()}`, traceparent: TRACEPARENT },
      body: JSON.stringify({ query: `{ organization(code: "3201-H001") { code } }` }),
    });
    expect(await response.json()).toEqual({ data: { organization: null } });
    await stop(gateway.child);

    expect(seen).toHaveLength(1);
    expect(seen[0]!.traceparent).toBeUndefined();
    expect(connections).toBe(before);
  } finally {
    await new Promise((resolve) => subgraph.close(resolve));
  }
});
