/**
 * Tests run against the real embedded database and the real gateway over loopback HTTP.
 * A test's deadline is generous and configurable (TEST_TIMEOUT_MS): a busy machine is slow, not wrong.
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2024' } }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/data/'],
  // Every test process refuses (and records) connections off loopback.
  setupFiles: ['<rootDir>/test/support/loopback-only.cjs'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: Number(process.env.TEST_TIMEOUT_MS || 600_000),
  maxWorkers: 2,
};
