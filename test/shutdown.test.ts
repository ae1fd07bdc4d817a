/**
 * Graceful shutdown of real service processes (bin/service.ts): on SIGTERM /ready turns 503,
 * new work gets 503 OVERLOADED, the request in flight still completes with its data, and the
 * process exits 0; a request stuck past SHUTDOWN_DRAIN_MS is cut off and the process exits 1.
 * Requests are held open deterministically (a stand-in subgraph that answers when released,
 * a body the test has not finished sending: support/held-request.ts), never by sleeping.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { mintInternalToken, toPrivateKey } from '../access-control/internal-token';
import { ensureLocalKeys } from '../bin/keys';
import { loadConfig } from '../platform/config';
import { issueDemoToken } from '../tools/demo-issuer';
import { holdRequest } from './support/held-request';
import { HeldSubgraph } from './support/held-subgraph';
import { isRunning } from './support/processes';
import { TEST_START_TIMEOUT_MS } from './support/timing';

const SERVICE = path.resolve(__dirname, '../bin/service.ts');
const SUBGRAPH_URL_VARIABLES = ['RECORDS_URL', 'LABS_URL', 'PRESCRIPTIONS_URL', 'REFERRALS_URL', 'ACCESS_URL'];
const VIEWER_QUERY = '{ viewer { subject } }';
// Long enough that a busy machine never reaches it between SIGTERM and the test's release.
const GENEROUS_DRAIN_MS = '600000';

let dataDir: string;
let keys: ReturnType<typeof ensureLocalKeys>;
const config = loadConfig();
beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-shutdown-'));
  keys = ensureLocalKeys(loadConfig({ DATA_DIR: dataDir }));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const started: ChildProcess[] = [];
afterEach(() => {
  // A failed assertion must not leave a service running behind the suite.
  for (const child of started.splice(0)) if (isRunning(child.pid!)) child.kill('SIGKILL');
});

interface Service {
  child: ChildProcess;
  origin: string;
  exited: Promise<number | null>;
  /** Resolves with the first log line whose message is `msg`. */
  logged(msg: string): Promise<Record<string, unknown>>;
}

/** Starts one service process on a free port and waits until it listens. */
async function startService(name: string, env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE, name], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: Record<string, unknown>[] = [];
  const watchers: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const watcher of watchers.filter(({ msg }) => line.msg === msg)) watcher.resolve(line);
  });
  const logged = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = lines.find((line) => line.msg === msg);
      if (seen) return resolve(seen);
      watchers.push({ msg, resolve });
      void exited.then(() => reject(new Error(`the ${name} process exited without logging "${msg}"`)));
    });
  const listening = await Promise.race([
    logged(name === 'gateway' ? 'gateway listening' : 'subgraph listening'),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${name} did not listen within ${TEST_START_TIMEOUT_MS} ms (TEST_START_TIMEOUT_MS)`)), TEST_START_TIMEOUT_MS).unref(),
    ),
  ]);
  return { child, origin: new URL(listening.url as string).origin, exited, logged };
}

function clientToken(subject: string): string {
  return issueDemoToken(
    { subject, roles: ['doctor'], organizationCode: '3201-H003', practitionerId: subject },
    { privateKey: readFileSync(keys.issuerPrivateKey, 'utf8'), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
  );
}

async function post(origin: string, token: string, query: string) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function probe(origin: string, pathname: string) {
  const response = await fetch(`${origin}${pathname}`);
  return { status: response.status, body: await response.json() };
}

describe('the gateway process', () => {
  let subgraph: HeldSubgraph;
  beforeEach(async () => {
    subgraph = await HeldSubgraph.start({ data: { viewer: { subject: 'dr-zhou' } } });
  });
  afterEach(() => subgraph.stop());

  const gatewayEnv = (extra: Record<string, string> = {}) => ({
    GATEWAY_PORT: '0',
    ...Object.fromEntries(SUBGRAPH_URL_VARIABLES.map((name) => [name, subgraph.url])),
    ...extra,
  });

  it('drains on SIGTERM: not ready, new work refused, the request in flight answered, then exit 0', async () => {
    const gateway = await startService('gateway', gatewayEnv({ SHUTDOWN_DRAIN_MS: GENEROUS_DRAIN_MS }));
    expect(await probe(gateway.origin, '/ready')).toEqual({ status: 200, body: { status: 'ready' } });

    const inFlight = post(gateway.origin, clientToken('dr-zhou'), VIEWER_QUERY);
    await subgraph.holding(1);
    gateway.child.kill('SIGTERM');
    expect(await gateway.logged('draining')).toMatchObject({ inFlight: 1, boundMs: 600_000 });

    expect(await probe(gateway.origin, '/ready')).toEqual({ status: 503, body: { status: 'draining' } });
    expect(await probe(gateway.origin, '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const refused = await post(gateway.origin, clientToken('dr-wu'), VIEWER_QUERY);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toEqual({ errors: [{ message: 'The service is shutting down; retry', extensions: { code: 'OVERLOADED' } }] });
    expect(subgraph.heldCount).toBe(1);

    subgraph.release();
    expect(await inFlight).toMatchObject({ status: 200, body: { data: { viewer: { subject: 'dr-zhou' } } } });
    expect(await gateway.exited).toBe(0);
    expect(await gateway.logged('stopped')).toMatchObject({ drained: true });
    // Stopped: the port no longer accepts connections.
    await expect(fetch(`${gateway.origin}/health`)).rejects.toThrow();
  });

  it('exits 1 once the drain bound passes with a request stuck in flight', async () => {
    const gateway = await startService('gateway', gatewayEnv({ SHUTDOWN_DRAIN_MS: '500' }));
    // Settled into a value at once: its rejection comes while the test still awaits the exit.
    const stuck = post(gateway.origin, clientToken('dr-zhou'), VIEWER_QUERY).then(
      () => 'answered',
      () => 'cut off',
    );
    await subgraph.holding(1);

    gateway.child.kill('SIGTERM');

    expect(await gateway.exited).toBe(1);
    expect(await gateway.logged('drain bound reached; cutting off the requests still in flight')).toMatchObject({ inFlight: 1, boundMs: 500 });
    expect(await stuck).toBe('cut off');
  });
});

describe('a subgraph process', () => {
  const subgraphEnv = (extra: Record<string, string> = {}) => ({
    MONGODB_URI: process.env.MONGODB_URI!,
    MONGODB_DB_PREFIX: `t${randomBytes(5).toString('hex')}`,
    ACCESS_PORT: '0',
    // Port 0 needs the URL the gateway would use; no gateway runs here.
    ACCESS_URL: 'http://127.0.0.1:1/graphql',
    ...extra,
  });

  function internalToken(subject: string): string {
    return mintInternalToken(
      { viewer: { subject, roles: ['doctor'], organizationCode: '3201-H003', purposeOfUse: 'treatment' }, requestId: randomUUID() },
      'access',
      toPrivateKey(readFileSync(keys.internalPrivateKey, 'utf8')),
    );
  }

  it('drains on SIGTERM: the request in flight completes with its data, then the database closes and it exits 0', async () => {
    const access = await startService('access', subgraphEnv({ SHUTDOWN_DRAIN_MS: GENEROUS_DRAIN_MS }));
    expect(await probe(access.origin, '/ready')).toEqual({ status: 200, body: { status: 'ready' } });
    const held = await holdRequest(`${access.origin}/graphql`, internalToken('dr-zhou'), VIEWER_QUERY);

    access.child.kill('SIGTERM');
    expect(await access.logged('draining')).toMatchObject({ inFlight: 1 });
    expect(await probe(access.origin, '/ready')).toEqual({ status: 503, body: { status: 'draining' } });

    held.finish();
    expect(await held.answered).toEqual({ status: 200, body: { data: { viewer: { subject: 'dr-zhou' } } } });
    expect(await access.exited).toBe(0);
    expect(await access.logged('stopped')).toMatchObject({ drained: true });
  });

  it('exits 1 once the drain bound passes with a request stuck in flight', async () => {
    const access = await startService('access', subgraphEnv({ SHUTDOWN_DRAIN_MS: '500' }));
    const stuck = await holdRequest(`${access.origin}/graphql`, internalToken('dr-zhou'), VIEWER_QUERY);
    const outcome = stuck.answered.then(
      () => 'answered',
      () => 'cut off',
    );

    access.child.kill('SIGTERM');

    expect(await access.exited).toBe(1);
    expect(await outcome).toBe('cut off');
  });
});
