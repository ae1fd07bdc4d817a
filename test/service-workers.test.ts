/**
 * A service with several workers (GATEWAY_WORKERS): every worker serves on the one port, a
 * SIGTERM stops them all cleanly, and a worker that dies stops the service with a failure
 * instead of being replaced behind the operator's back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureLocalKeys } from '../bin/keys';
import { loadConfig } from '../platform/config';
import { isRunning } from './support/processes';
import { TEST_START_TIMEOUT_MS } from './support/timing';

const SERVICE = path.resolve(__dirname, '../bin/service.ts');

interface Started {
  child: ChildProcess;
  /** The port each worker logged when it started listening. */
  ports: number[];
  workers: number[];
  exited: Promise<number | null>;
}

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-workers-'));
  ensureLocalKeys(loadConfig({ DATA_DIR: dataDir }));
});

/** The Node processes a process started: a cluster primary's workers (the TypeScript loader may start an esbuild helper too). */
function workersOf(pid: number): number[] {
  const node = realpathSync(process.execPath);
  return readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number))
    .filter((child) => readlinkSync(`/proc/${child}/exe`) === node);
}

const started: Started[] = [];
afterEach(() => {
  // A failed assertion must not leave a gateway running behind the suite.
  for (const { child, workers } of started.splice(0)) {
    for (const pid of [child.pid!, ...workers]) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts the gateway with two workers on a free port and waits until both listen. */
function startGateway(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE, 'gateway'], {
    env: { ...process.env, DATA_DIR: dataDir, GATEWAY_WORKERS: '2', GATEWAY_PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ports: number[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the workers did not start within ${TEST_START_TIMEOUT_MS} ms (TEST_START_TIMEOUT_MS)`)),
      TEST_START_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg !== 'gateway listening') return;
      ports.push(Number(new URL(entry.url!).port));
      if (ports.length === 2) {
        clearTimeout(timer);
        const gateway = { child, ports, workers: workersOf(child.pid!), exited };
        started.push(gateway);
        resolve(gateway);
      }
    });
    void exited.then(() => reject(new Error('the service exited before its workers listened')));
  });
}

it('runs two workers on one port and stops them all on SIGTERM', async () => {
  const { child, ports, workers, exited } = await startGateway();

  expect(workers).toHaveLength(2);
  expect(ports[0]).toBeGreaterThan(0);
  expect(ports[1]).toBe(ports[0]);
  const health = await fetch(`http://127.0.0.1:${ports[0]}/health`);
  expect(health.status).toBe(200);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(workers.filter(isRunning)).toEqual([]);
});

it('stops with a failure, not a silent restart, when a worker dies', async () => {
  const { workers, exited } = await startGateway();

  process.kill(workers[0]!, 'SIGKILL');

  expect(await exited).toBe(1);
  expect(workers.filter(isRunning)).toEqual([]);
});
