/**
 * The operator CLI in the test's own process: `runCli` (src/cli/main.ts, what dist/cli.js runs) with
 * its output captured and the environment a child process would get, so tests of what the CLI does
 * need not start a Node process each. The SDK reads `process.env`, so the call gets exactly `env`
 * there and the test's environment is put back afterwards. Tests of the process itself (the bin,
 * its exit status and stdio) spawn `node dist/cli.js` instead.
 */
import { resolve } from 'node:path';
import type { ProcessResult } from '../../tools/process.js';

/** The repository: the CLI's project directory (where `.tmp/local.json` lives). */
const PROJECT_DIR = resolve(__dirname, '../..');

/** Replaces the contents of `process.env` with `env`. */
const replaceEnv = (env: NodeJS.ProcessEnv): void => {
  for (const key of Object.keys(process.env)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) process.env[key] = value;
  }
};

/**
 * Runs the CLI with `args` and `env` (as a child's whole environment) and resolves as a process
 * would: exit code, stdout, stderr. `fresh` loads a copy of the CLI of its own, as a new process
 * does (module state such as a sweep's process-wide rate limiter starts empty).
 */
export const runCliInProcess = async (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { fresh?: boolean } = {}
): Promise<ProcessResult> => {
  let main: typeof import('../../src/cli/main.js') | undefined;
  if (options.fresh === true) {
    jest.isolateModules(() => {
      main = require('../../src/cli/main.js') as typeof import('../../src/cli/main.js');
    });
  } else {
    main = require('../../src/cli/main.js') as typeof import('../../src/cli/main.js');
  }
  if (main === undefined) throw new Error('src/cli/main.ts exported nothing');
  let stdout = '';
  let stderr = '';
  const saved = { ...process.env };
  // what dist/cli.js sets before it runs the CLI
  replaceEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env });
  try {
    const code = await main.runCli(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: process.env,
      projectDir: PROJECT_DIR,
    });
    return { code, signal: null, stdout, stderr };
  } finally {
    replaceEnv(saved);
  }
};
