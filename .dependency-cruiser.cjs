/**
 * Import boundaries: the README's folder table ("what it may import") as rules that
 * `npm run lint` enforces. Paths are relative to the repository root.
 */
const SUBGRAPH = '^subgraphs/(records|labs|prescriptions|referrals|access)/';
const TEST_FILE = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'subgraph-to-other-subgraph',
      comment: 'A subgraph imports the kit and itself only; another domain reaches it through federation.',
      severity: 'error',
      from: { path: SUBGRAPH },
      to: { path: '^subgraphs/[^/]+/', pathNot: ['^subgraphs/$1/', '^subgraphs/kit/'] },
    },
    {
      name: 'gateway-to-subgraph',
      comment: "The gateway uses the kit's platform code and the published schema, never a subgraph's folder.",
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/kit/' },
    },
    {
      name: 'kit-to-outside',
      comment: 'The kit imports itself only (and packages).',
      severity: 'error',
      from: { path: '^subgraphs/kit/', pathNot: TEST_FILE },
      to: { path: '^(gateway|tools|test|bench|examples|migrations)/|^subgraphs/(?!kit/)' },
    },
    {
      name: 'production-to-test-or-bench',
      comment: 'Production code runs without the test support and the benchmarks.',
      severity: 'error',
      from: { path: '^(gateway|subgraphs|migrations)/', pathNot: TEST_FILE },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'production-to-tools',
      comment: 'tools/ is for development; gateway/ and subgraphs/ never import it.',
      severity: 'error',
      from: { path: '^(gateway|subgraphs)/', pathNot: TEST_FILE },
      to: { path: '^tools/' },
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
      to: { pathNot: '^(examples/|node_modules/)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'kit-cycle',
      comment: 'The kit is layered: no module of it imports, even indirectly, one that imports it.',
      severity: 'error',
      from: { path: '^subgraphs/kit/' },
      to: { circular: true },
    },
    {
      name: 'config-to-domain',
      comment: 'Configuration is the bottom layer: it imports only the kit modules listed here.',
      severity: 'error',
      from: { path: '^subgraphs/kit/config\\.ts$' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/kit/(metrics-endpoint)\\.ts$' },
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
