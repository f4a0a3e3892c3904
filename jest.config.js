/**
 * Two projects:
 * - `unit`: pure code and adapters, no network;
 * - `integration`: the built `dist/handler.js` (and the core) against the local Secrets Manager
 *   emulator and dynalite, or against the endpoints in `AWS_ENDPOINT_URL_SECRETS_MANAGER` /
 *   `AWS_ENDPOINT_URL_DYNAMODB` when those are set.
 */
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/emulator/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testTimeout: 60000,
    },
  ],
};
