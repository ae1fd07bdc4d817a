/**
 * Tests run against the real embedded database and the real gateway over loopback HTTP.
 * A test's deadline is generous and configurable (TEST_TIMEOUT_MS): a busy machine is slow, not wrong.
 */
module.exports = {
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
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/data/'],
  // Every test process refuses (and records) connections off loopback.
  setupFiles: ['<rootDir>/test/support/loopback-only.cjs'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: Number(process.env.TEST_TIMEOUT_MS || 600_000),
  maxWorkers: 2,
};
