/**
 * The committed supergraph and generated resolver types must match the subgraph SDL files:
 * run `npm run generate` after changing a schema.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, SUPERGRAPH_PATH } from '../../tools/compose';

const ROOT = path.resolve(__dirname, '..', '..');

it('schema/supergraph.graphql is composed from the current subgraph schemas', () => {
  expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
});

it('the generated resolver types are current', () => {
  // The codegen CLI is ES-module only, so it runs in its own process, in dry-run mode.
  const check = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/.bin/graphql-codegen'), '--config', 'codegen.ts', '--check', '--silent'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect({ status: check.status, output: check.stdout + check.stderr }).toEqual({ status: 0, output: expect.any(String) });
});
