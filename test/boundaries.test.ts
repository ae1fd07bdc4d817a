/**
 * The import boundaries of the README's folder table hold (`npm run lint:boundaries`, which CI
 * runs in `npm run lint`), and each rule of .dependency-cruiser.cjs refuses what it names: a
 * small tree written into a temporary folder breaks every rule once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The checker's violations for the given paths of the tree at `cwd`. */
function violations(cwd: string, paths: string[]): Violation[] {
  const run = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...paths], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.stdout.trim() === '') throw new Error(`dependency-cruiser printed nothing: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** A file importing the given module specifiers. */
const importing = (...specifiers: string[]) =>
  `${specifiers.map((specifier, index) => `import * as m${index} from '${specifier}';`).join('\n')}\nexport const used = [${specifiers.map((_, index) => `m${index}`).join(', ')}];\n`;

const BROKEN_TREE: Record<string, string> = {
  'tsconfig.json': '{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext" } }',
  'platform/config.ts': importing('../subgraphs/runtime/batch-upload'),
  'platform/http-server.ts': importing('./request-gate', '../gateway/server', '../test/support/stack'),
  'platform/request-gate.ts': importing('./http-server'),
  'access-control/policy.ts': importing('../platform/http-server', '../monitoring/activity'),
  'monitoring/activity.ts': importing('../access-control/policy'),
  'subgraphs/runtime/batch-upload.ts': importing('../../platform/http-server', '../../access-control/policy', '../records/repository'),
  'subgraphs/records/repository.ts': importing('../runtime/batch-upload', '../labs/catalogue', '../../tools/seed'),
  'subgraphs/labs/catalogue.ts': 'export const ITEMS = [];\n',
  'gateway/server.ts': importing(
    '../platform/http-server',
    '../access-control/policy',
    '../subgraphs/labs/catalogue',
    '../subgraphs/runtime/batch-upload',
    '../bench/run',
  ),
  'bin/service.ts': importing('../gateway/server', '../tools/seed'),
  'tools/seed.ts': 'export const SEED = 1;\n',
  'test/support/stack.ts': 'export const STACK = 1;\n',
  'bench/run.ts': 'export const RUN = 1;\n',
  'examples/client.ts': importing('node:path', '../gateway/server'),
};

const FOLDERS = ['bin', 'platform', 'access-control', 'monitoring', 'gateway', 'subgraphs', 'migrations', 'tools', 'test', 'bench', 'examples'];

describe('import boundaries', () => {
  it('hold in the repository', () => {
    expect(violations(ROOT, FOLDERS)).toEqual([]);
  });

  it('refuse each import the folder table forbids', () => {
    const tree = mkdtempSync(path.join(tmpdir(), 'jinling-boundaries-'));
    try {
      for (const [file, text] of Object.entries(BROKEN_TREE)) {
        mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
        writeFileSync(path.join(tree, file), text);
      }
      const found = violations(
        tree,
        FOLDERS.filter((folder) => folder !== 'migrations'),
      )
        .map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`)
        .sort();
      expect(found).toEqual([
        'access-control-on-platform: access-control/policy.ts → monitoring/activity.ts',
        'config-to-domain: platform/config.ts → subgraphs/runtime/batch-upload.ts',
        'examples-to-project: examples/client.ts → gateway/server.ts',
        'gateway-to-subgraph: gateway/server.ts → subgraphs/labs/catalogue.ts',
        'gateway-to-subgraph: gateway/server.ts → subgraphs/runtime/batch-upload.ts',
        'layer-cycle: access-control/policy.ts → monitoring/activity.ts',
        'layer-cycle: access-control/policy.ts → platform/http-server.ts',
        'layer-cycle: platform/http-server.ts → gateway/server.ts',
        'layer-cycle: platform/http-server.ts → platform/request-gate.ts',
        'layer-cycle: subgraphs/runtime/batch-upload.ts → platform/http-server.ts',
        'layer-cycle: subgraphs/runtime/batch-upload.ts → subgraphs/records/repository.ts',
        'monitoring-on-platform: monitoring/activity.ts → access-control/policy.ts',
        'nothing-imports-bench: gateway/server.ts → bench/run.ts',
        'platform-imports-platform: platform/config.ts → subgraphs/runtime/batch-upload.ts',
        'platform-imports-platform: platform/http-server.ts → gateway/server.ts',
        'platform-imports-platform: platform/http-server.ts → test/support/stack.ts',
        'production-to-outside: bin/service.ts → tools/seed.ts',
        'production-to-outside: gateway/server.ts → bench/run.ts',
        'production-to-outside: platform/http-server.ts → test/support/stack.ts',
        'production-to-outside: subgraphs/records/repository.ts → tools/seed.ts',
        'runtime-on-layers: subgraphs/runtime/batch-upload.ts → subgraphs/records/repository.ts',
        'subgraph-to-other-subgraph: subgraphs/records/repository.ts → subgraphs/labs/catalogue.ts',
      ]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
