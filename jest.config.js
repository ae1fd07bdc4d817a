/**
 * Two projects, both in `npm test`: `unit` (tests beside the code and test/unit/: no database,
 * seconds) and `stack` (test/, mirroring the production folders: the real embedded database and
 * the real gateway over loopback HTTP). A stack test's deadline is generous and configurable
 * (TEST_TIMEOUT_MS): a busy machine is slow, not wrong.
 */
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2024' } }],
    // migrate-mongo is an ES module; Jest runs CommonJS (test/support/migrate-mongo.cjs).
    '/node_modules/migrate-mongo/lib/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2024' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!migrate-mongo/)'],
  moduleNameMapper: {
    '^migrate-mongo$': '<rootDir>/test/support/migrate-mongo.cjs',
    '^migrate-mongo/lib/(.*)$': '<rootDir>/node_modules/migrate-mongo/lib/$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/data/'],
  // Every test process refuses (and records) connections off loopback.
  setupFiles: ['<rootDir>/test/support/loopback-only.cjs'],
};

module.exports = {
  testTimeout: Number(process.env.TEST_TIMEOUT_MS || 600_000),
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{bin,platform,access-control,monitoring,gateway,subgraphs,tools,migrations}/**/*.test.ts',
        '<rootDir>/test/unit/**/*.test.ts',
        '<rootDir>/test/support/**/*.test.ts',
      ],
    },
    {
      ...shared,
      displayName: 'stack',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '<rootDir>/test/unit/', '<rootDir>/test/support/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
