// Jest 30 ignores a project's `testTimeout` (only the global option and jest.setTimeout reach
// jest-circus): set the reliability project's timeout here, before every test file runs.
jest.setTimeout(120_000);
