/**
 * Import boundaries: the README's folder table ("what it may import") as rules that
 * `npm run lint` enforces. Paths are relative to the repository root. The shared code is
 * layered, each layer importing only those below it:
 *   platform/ ← access-control/, monitoring/ ← subgraphs/runtime/ ← subgraphs/<domain>/
 * and the gateway sits on platform/ and access-control/ beside the subgraphs, never in them.
 */
const SUBGRAPH = '^subgraphs/(records|labs|prescriptions|referrals|access)/';
const LAYERS = '^(platform|access-control|monitoring|subgraphs/runtime)/';
const TEST_FILE = '\\.test\\.ts$';
const OUTSIDE_PRODUCTION = '^(tools|test|bench|examples|migrations)/';

/** A layer may import itself and the listed folders below it (and packages). */
const layer = (name, folder, below, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^${folder}/`, pathNot: TEST_FILE },
  to: {
    path: '^(bin|platform|access-control|monitoring|gateway|subgraphs|tools|test|bench|examples|migrations)/',
    pathNot: [`^${folder}/`, ...below.map((dir) => `^${dir}/`)],
  },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    layer(
      'platform-imports-platform',
      'platform',
      [],
      'The platform (server, config, database, errors, logging, metrics, tracing, shutdown) knows nothing above it.',
    ),
    layer(
      'access-control-on-platform',
      'access-control',
      ['platform'],
      'Access control (policy, resident access, access store, sensitivity, audit) stands on the platform only.',
    ),
    layer('monitoring-on-platform', 'monitoring', ['platform'], 'Monitoring (activity, rollups, real-time forms) stands on the platform only.'),
    layer(
      'runtime-on-layers',
      'subgraphs/runtime',
      ['platform', 'access-control', 'monitoring'],
      'The subgraph runtime (server, context, permissions, loaders, input) stands on the three layers below it.',
    ),
    {
      name: 'subgraph-to-other-subgraph',
      comment: 'A subgraph imports the layers and itself only; another domain reaches it through federation.',
      severity: 'error',
      from: { path: SUBGRAPH },
      to: { path: '^subgraphs/[^/]+/', pathNot: ['^subgraphs/$1/', '^subgraphs/runtime/'] },
    },
    {
      name: 'gateway-to-subgraph',
      comment: 'The gateway uses the platform, access control and monitoring, and the published schema; never a subgraph or the subgraph runtime.',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'production-to-outside',
      comment: 'Production code (bin/, the layers, the gateway, the subgraphs) runs without the tools, tests, benchmarks and examples.',
      severity: 'error',
      from: { path: '^(bin|platform|access-control|monitoring|gateway|subgraphs)/', pathNot: TEST_FILE },
      to: { path: OUTSIDE_PRODUCTION, pathNot: '^migrations/' },
    },
    {
      name: 'nothing-imports-bench',
      comment: 'The benchmarks are entry points only.',
      severity: 'error',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'examples-to-project',
      comment: 'Examples are written as a hospital integrator writes them: public npm clients only.',
      severity: 'error',
      from: { path: '^examples/' },
      to: { pathNot: ['^examples/', 'node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'layer-cycle',
      comment: 'The shared layers are acyclic: no module imports, even indirectly, one that imports it.',
      severity: 'error',
      from: { path: LAYERS },
      to: { circular: true },
    },
    {
      name: 'config-to-domain',
      comment: 'Configuration is the bottom of the platform: it imports only the modules listed here.',
      severity: 'error',
      from: { path: '^platform/config\\.ts$' },
      to: { path: '^(bin|platform|access-control|monitoring|gateway|subgraphs)/', pathNot: '^platform/(metrics-endpoint)\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      severity: 'error',
      from: {},
      // migrate-mongo's files outside its exports map are reached through jest's moduleNameMapper.
      to: { couldNotResolve: true, pathNot: '^migrate-mongo/lib/' },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript API: parse with swc (a dev dependency) instead.
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    // Declaration files hold no imports that run, and swc does not parse them as declarations.
    exclude: { path: ['^(node_modules|data|coverage|bench/results|test/artifacts|tools/ferretdb/bin)/', '\\.d\\.[cm]?ts$'] },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['main', 'types', 'typings'],
    },
  },
};
