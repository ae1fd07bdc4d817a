/**
 * `npm start` as a new user runs it, on an address of its own (HOST=127.0.0.9): the embedded
 * database, the demo city, five subgraphs and the gateway come up, the query of
 * docs/getting-started.md works at that address with a demo token, every service (and the
 * supervisor) refuses connections off loopback, and Ctrl-C stops everything in order: the
 * gateway drains (a request in flight still gets its answer from the subgraphs), then the
 * subgraphs, then the database.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holdRequest } from '../support/held-request';
import { ROOT, type RunningStart, startNpmStart } from '../support/npm-start';

const HOST = '127.0.0.9';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-start-'));
let started: RunningStart | undefined;

afterAll(async () => {
  await started?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('serves the getting-started query at HOST with a demo token, and stops on Ctrl-C', async () => {
  // A drain bound no busy machine reaches: the request held below decides when the gateway stops.
  started = await startNpmStart(HOST, dataDir, { SHUTDOWN_DRAIN_MS: '600000' });
  const { env, gatewayUrl, output, supervisor } = started;

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
  expect(supervisor.exitCode).toBeNull();
  const exited = started.stop();
  // The gateway drains: not ready any more, yet its request in flight is still to be answered.
  while ((await fetch(new URL('/ready', gatewayUrl))).status !== 503);
  held.finish();
  expect(await held.answered).toEqual({ status: 200, body: { data: { viewer: { roles: ['doctor'] } } } });
  expect(await exited).toBe(0);
  const stopping = output.filter((line) => line.startsWith('[start]')).slice(-3);
  expect(stopping).toEqual(['[start] stopping', '[start] gateway stopped; stopping the subgraphs', '[start] subgraphs stopped; stopping the database']);
});
