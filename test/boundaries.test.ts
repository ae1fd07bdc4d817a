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
  'subgraphs/kit/config.ts': importing('./batch-upload'),
  'subgraphs/kit/batch-upload.ts': importing('./http-server'),
  'subgraphs/kit/http-server.ts': importing('./request-gate', '../../gateway/server', '../../test/support/stack'),
  'subgraphs/kit/request-gate.ts': importing('./http-server'),
  'subgraphs/records/repository.ts': importing('../kit/config', '../labs/catalogue', '../../tools/seed'),
  'subgraphs/labs/catalogue.ts': 'export const ITEMS = [];\n',
  'gateway/server.ts': importing('../subgraphs/kit/http-server', '../subgraphs/labs/catalogue', '../bench/run'),
  'tools/seed.ts': 'export const SEED = 1;\n',
  'test/support/stack.ts': 'export const STACK = 1;\n',
  'bench/run.ts': 'export const RUN = 1;\n',
  'examples/client.ts': importing('node:path', '../gateway/server'),
};

describe('import boundaries', () => {
  it('hold in the repository', () => {
    expect(violations(ROOT, ['gateway', 'subgraphs', 'migrations', 'tools', 'test', 'bench', 'examples'])).toEqual([]);
  });

  it('refuse each import the folder table forbids', () => {
    const tree = mkdtempSync(path.join(tmpdir(), 'jinling-boundaries-'));
    try {
      for (const [file, text] of Object.entries(BROKEN_TREE)) {
        mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
        writeFileSync(path.join(tree, file), text);
      }
      const found = violations(tree, ['gateway', 'subgraphs', 'tools', 'test', 'bench', 'examples'])
        .map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`)
        .sort();
      expect(found).toEqual([
        'config-to-domain: subgraphs/kit/config.ts → subgraphs/kit/batch-upload.ts',
        'examples-to-project: examples/client.ts → gateway/server.ts',
        'gateway-to-subgraph: gateway/server.ts → subgraphs/labs/catalogue.ts',
        'kit-cycle: subgraphs/kit/http-server.ts → gateway/server.ts',
        'kit-cycle: subgraphs/kit/http-server.ts → subgraphs/kit/request-gate.ts',
        'kit-to-outside: subgraphs/kit/http-server.ts → gateway/server.ts',
        'kit-to-outside: subgraphs/kit/http-server.ts → test/support/stack.ts',
        'nothing-imports-bench: gateway/server.ts → bench/run.ts',
        'production-to-test-or-bench: gateway/server.ts → bench/run.ts',
        'production-to-test-or-bench: subgraphs/kit/http-server.ts → test/support/stack.ts',
        'production-to-tools: subgraphs/records/repository.ts → tools/seed.ts',
        'subgraph-to-other-subgraph: subgraphs/records/repository.ts → subgraphs/labs/catalogue.ts',
      ]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
