/**
 * A service with several workers (GATEWAY_WORKERS) is scraped once, at its primary, and the
 * answer counts every worker's requests: the workers open no metrics listener of their own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureLocalKeys } from '../bin/keys';
import { loadConfig } from '../platform/config';
import { GUARD_FILE } from './support/loopback-only.cjs';
import { isRunning } from './support/processes';
import { TEST_START_TIMEOUT_MS } from './support/timing';

const SERVICE = path.resolve(__dirname, '../bin/service.ts');
const REQUESTS = 10;

let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-metrics-workers-'));
  ensureLocalKeys(loadConfig({ DATA_DIR: dataDir }));
});

afterAll(() => {
  if (child?.pid && isRunning(child.pid)) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** A health check on a connection of its own, so that the primary hands each to a worker in turn. */
function healthOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      })
      .on('error', reject);
  });
}

it('answers one scrape with the requests of all the workers', async () => {
  child = spawn(process.execPath, ['--import', 'tsx', SERVICE, 'gateway'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      GATEWAY_WORKERS: '2',
      GATEWAY_PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      NODE_OPTIONS: `--require ${GUARD_FILE}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listening: { api: string[]; metrics: string[] } = { api: [], metrics: [] };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the workers did not start within ${TEST_START_TIMEOUT_MS} ms (TEST_START_TIMEOUT_MS)`)),
      TEST_START_TIMEOUT_MS,
    );
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string; metricsUrl?: string };
      if (entry.msg === 'gateway listening') listening.api.push(entry.url!);
      if (entry.msg === 'cluster metrics listening') listening.metrics.push(entry.metricsUrl!);
      if (listening.api.length === 2 && listening.metrics.length === 1) {
        clearTimeout(timer);
        resolve();
      }
    });
    child!.once('exit', (code) => reject(new Error(`the service exited with ${code} before listening`)));
  });
  expect(listening.api[1]).toBe(listening.api[0]);

  const health = new URL('/health', listening.api[0]).toString();
  for (let index = 0; index < REQUESTS; index++) expect(await healthOnNewConnection(health)).toBe(200);

  // A worker counts a request when its response closes, which the client may see first: wait for the last.
  const counted = async () => {
    const text = await (await fetch(listening.metrics[0]!)).text();
    return Number(/^jinling_http_requests_total\{route="\/health",status="200",service="gateway"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };
  const deadline = Date.now() + TEST_START_TIMEOUT_MS;
  let seen = await counted();
  while (seen < REQUESTS && Date.now() < deadline) seen = await counted();
  expect(seen).toBe(REQUESTS);

  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
