#!/usr/bin/env node
/**
 * Entry point of the `rotation-remediator` command (bundled into `dist/cli.js`, the package's
 * `bin`). See `main.ts` for the commands and exit codes.
 */
import { projectDirOf, runCli } from './main.js';

// The SDK's multi-line notice that its 2027 releases need Node >= 22 is not for an operator in an
// incident; set AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that goes away (`... | head`) must not abort a remediation half-way: ignore EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  projectDir: projectDirOf(__dirname),
}).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  }
);
