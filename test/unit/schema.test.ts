/**
 * The committed supergraph, the generated resolver types and the generated result types of the
 * gateway's own operations must match the subgraph SDL files and those operations: run
 * `npm run generate` after changing a schema or an operation.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import config from '../../codegen';
import * as fhirQueries from '../../gateway/fhir/queries';
import { GATEWAY_OPERATIONS } from '../../gateway/operation-documents';
import { composeSupergraph, SUPERGRAPH_PATH } from '../../tools/compose';

const ROOT = path.resolve(__dirname, '..', '..');

it('schema/supergraph.graphql is composed from the current subgraph schemas', () => {
  expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
});

it('the generated resolver types and gateway operation types are current', () => {
  // The codegen CLI is ES-module only, so it runs in its own process, in dry-run mode.
  const check = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/.bin/graphql-codegen'), '--config', 'codegen.ts', '--check', '--silent'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect({ status: check.status, output: check.stdout + check.stderr }).toEqual({ status: 0, output: expect.any(String) });
});

it('generates the result types of the gateway operations', () => {
  expect(Object.keys(config.generates)).toContain('gateway/__generated__/operations.ts');
});

it('types every operation the FHIR API sends', () => {
  const exported: unknown[] = Object.values(fhirQueries);
  const operations = exported.filter((value): value is string => typeof value === 'string' && value.startsWith('query '));
  const sent: string[] = [...operations, ...Object.values(fhirQueries.EVERYTHING_LISTS)];
  expect(sent).toHaveLength(14);
  expect(sent.filter((operation) => !GATEWAY_OPERATIONS.includes(operation))).toEqual([]);
});
