/**
 * Four projects:
 * - `unit`: pure code and adapters, no network;
 * - `integration`: the built `dist/handler.js` (and the core) against the local Secrets Manager
 *   emulator and dynalite, or against the endpoints in `AWS_ENDPOINT_URL_SECRETS_MANAGER` /
 *   `AWS_ENDPOINT_URL_DYNAMODB` when those are set;
 * - `reliability`: faults, races, time-outs, load and hostile input against the emulator and
 *   dynalite (docs/reliability.md); its global teardown prints the reliability table at the end;
 * - `differential`: our emulator against moto_server, field by field; declared only when the
 *   command line names it (`jest --selectProjects differential`, as `npm run test:moto` does), so
 *   that plain `jest` and `npm test` never need moto_server.
 */
/** The `differential` project exists only when the command line names it (or a path in it). */
const wantsDifferential = process.argv.some(
  (arg) => /(^|=)differential$/.test(arg) || arg.includes('test/differential')
);
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};

/**
 * At least two workers. Jest's default (one less than the cores) is a single worker on a 2-core CI
 * machine, while most test files spend their time waiting on sockets, time-outs and child
 * processes rather than computing: two files at once cut the wall time of `npm test` by about a
 * third there.
 */
const maxWorkers = Math.max(2, require('node:os').availableParallelism() - 1);

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers,
  // The fault matrix runs its cases concurrently (each in its own emulator and table), all 68 at
  // once: most of its time is spent waiting out client time-outs (up to 15 s a case), not working,
  // so batches of 16 only queued the waits (31 s for the file, 23 s at once).
  maxConcurrency: 80,
  // Jest 30 reads testTimeout from the root config only (a project's own is ignored); the
  // reliability project raises it further in its setup file.
  testTimeout: 60000,
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
    },
    {
      displayName: 'reliability',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/reliability/support/timeout.ts'],
      testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
      testTimeout: 120000,
      globalSetup: '<rootDir>/test/reliability/report/global-setup.ts',
      globalTeardown: '<rootDir>/test/reliability/report/global-teardown.ts',
    },
    // Emulator vs moto_server (`npm run test:moto`): only when asked for by name, never by plain
    // `jest` / `npm test` (it needs moto_server).
    ...(wantsDifferential
      ? [
          {
            displayName: 'differential',
            testEnvironment: 'node',
            transform,
            moduleNameMapper,
            setupFiles: ['<rootDir>/test/setup-env.ts'],
            testMatch: ['<rootDir>/test/differential/**/*.test.ts'],
          },
        ]
      : []),
  ],
};
