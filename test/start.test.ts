/**
 * `npm start` as a new user runs it, on an address of its own (HOST=127.0.0.9): the embedded
 * database, the demo city, five subgraphs and the gateway come up, the query of
 * docs/getting-started.md works at that address with a demo token, every service (and the
 * supervisor) refuses connections off loopback, and Ctrl-C stops everything in order: the
 * gateway drains (a request in flight still gets its answer from the subgraphs), then the
 * subgraphs, then the database.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { holdRequest } from './support/held-request';
import { GUARD_FILE } from './support/loopback-only.cjs';

const HOST = '127.0.0.9';
const ROOT = path.resolve(__dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-start-'));
let supervisor: ChildProcess | undefined;
const output: string[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterAll(async () => {
  if (supervisor && supervisor.exitCode === null) {
    const exited = new Promise((resolve) => supervisor!.once('exit', resolve));
    supervisor.kill('SIGINT');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

it('serves the getting-started query at HOST with a demo token, and stops on Ctrl-C', async () => {
  const names = ['GATEWAY_PORT', 'RECORDS_PORT', 'LABS_PORT', 'PRESCRIPTIONS_PORT', 'REFERRALS_PORT', 'ACCESS_PORT'];
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, String(await freePort())])));
  // A drain bound no busy machine reaches: the request held below decides when the gateway stops.
  const env = { ...process.env, ...ports, HOST, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_MS: '600000', NODE_OPTIONS: `--require ${GUARD_FILE}` };
  delete env.MONGODB_URI;
  supervisor = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/start.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: supervisor.stderr! }).on('line', (line) => output.push(line));
  const gatewayUrl = `http://${HOST}:${ports.GATEWAY_PORT}/graphql`;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: supervisor!.stdout! }).on('line', (line) => {
      output.push(line);
      if (line === `[start] gateway ready at ${gatewayUrl}`) resolve();
    });
    supervisor!.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.join('\n')}`)));
  });

  const demo = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/demo.ts'), 'tokens'], { cwd: ROOT, env, encoding: 'utf8' });
  expect(demo.status).toBe(0);
  const { gatewayUrl: printed, residentId, tokens } = JSON.parse(demo.stdout);
  expect(printed).toBe(gatewayUrl);

  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.doctor}` },
    body: JSON.stringify({
      query: 'query($id: ID!) { resident(id: $id) { id district labReports(first: 3) { edges { node { issuedAt } } } careRelationships { kind } } }',
      variables: { id: residentId },
    }),
  });
  const body = (await response.json()) as { data: { resident: { id: string; careRelationships: unknown[] } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data.resident.id).toBe(residentId);
  expect(body.data.resident.careRelationships.length).toBeGreaterThan(0);
  expect((await fetch(new URL('/ready', gatewayUrl))).status).toBe(200);

  const held = await holdRequest(gatewayUrl, tokens.doctor, '{ viewer { roles } }');
  const exited = new Promise<number | null>((resolve) => supervisor!.once('exit', resolve));
  supervisor.kill('SIGINT');
  // The gateway drains: not ready any more, yet its request in flight is still to be answered.
  while ((await fetch(new URL('/ready', gatewayUrl))).status !== 503);
  held.finish();
  expect(await held.answered).toEqual({ status: 200, body: { data: { viewer: { roles: ['doctor'] } } } });
  expect(await exited).toBe(0);
  const stopping = output.filter((line) => line.startsWith('[start]')).slice(-3);
  expect(stopping).toEqual(['[start] stopping', '[start] gateway stopped; stopping the subgraphs', '[start] subgraphs stopped; stopping the database']);
});
