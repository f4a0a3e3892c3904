/**
 * `npm run test:moto`: the integration files that test AWS semantics, and the differential test,
 * against moto_server (moto, a third-party implementation of AWS in Python). Starts moto on a free
 * loopback port, lets its Lambda run without Docker (so RotateSecret can "invoke" the tests'
 * rotation function), runs `jest --selectProjects integration differential` on {@link MOTO_FILES}
 * with every endpoint the suite uses pointed at moto, prints what did not run against moto and why,
 * and stops moto (on failure and Ctrl-C too). Extra arguments go to jest. Without moto_server it
 * says how to get it and exits 0, or 1 under CI.
 *
 * The selection is explicit: every file of test/integration and test/differential is either in
 * {@link MOTO_FILES} (its outcome depends on how the service behaves: moto is a second opinion on
 * what our emulator says AWS does) or in {@link NOT_AGAINST_MOTO} (it tests our own code, or runs
 * against an emulator of its own whatever the endpoint, so a moto run would repeat `npm test`
 * exactly). A file in neither list fails the run, so a new file is classified when it is added.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MotoServer } from './moto-server.js';
import { startMotoServer } from './moto-server.js';

/** The endpoint variables the suite's SDK clients read (the SDK's own names). */
export const ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_ENDPOINT_URL_CLOUDTRAIL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_IAM',
  // the outcome events (PutEvents), and the queue the notification tests read them back from
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
  'AWS_ENDPOINT_URL_SQS',
] as const;

/** The jest projects this runs. */
export const PROJECTS = ['integration', 'differential'] as const;

/**
 * The files run against moto, and the AWS behaviour each one checks there. Their emulator-only
 * groups (fault injection, race hooks) record themselves as not run (see `describeEmulatorOnly`).
 */
export const MOTO_FILES: Readonly<Record<string, string>> = {
  'test/differential/emulator-vs-moto.test.ts':
    'the emulator and moto answer the same calls field by field (what the emulator claims of AWS)',
  'test/differential/moto-server.test.ts': 'the moto_server the differential test relies on',
  'test/integration/bundle-direct.test.ts':
    'end states label by label and the calls made: UpdateSecretVersionStage, CancelRotateSecret and DescribeSecret as the service applies them',
  'test/integration/evidence.test.ts':
    'stale and replayed events, in-flight deferral, pinned promotes and foreign accounts: no write on the service (ListSecretVersionIds as it lists versions)',
  'test/integration/events.test.ts':
    'every sample event to its end state on the service (the rotation flag, labels after each rule)',
  'test/integration/idempotency.test.ts':
    "Powertools idempotency on DynamoDB's conditional writes (PutItem/UpdateItem/DeleteItem)",
  'test/integration/notifications.test.ts':
    'PutEvents accepted by EventBridge and routed by a rule to SQS; the decide commands (the CLI too) against the service',
  'test/integration/sweep-endpoint.test.ts':
    'a sweep of more than 100 secrets: ListSecrets and ListSecretVersionIds pages as the service ends them (bundle and CLI)',
};

/** The files not run against moto, and why a moto run would add nothing to `npm test`. */
export const NOT_AGAINST_MOTO: Readonly<Record<string, string>> = {
  'test/integration/audit.test.ts':
    'the audit trail, redaction and metrics are our code; the secret calls are those of bundle-direct',
  'test/integration/cli.test.ts':
    'argument parsing, output and exit codes are our code; the CLI against moto is covered by the decide commands (notifications) and the CLI sweep (sweep-endpoint)',
  'test/integration/cli-messages.test.ts':
    "the CLI's messages and exit codes for bad input, in process: no AWS call",
  'test/integration/cold-start-loading.test.ts': 'which modules an event loads: our bundle',
  'test/integration/core-emulator.test.ts':
    'states and races only the emulator can make (emulator hooks and seeds)',
  'test/integration/demo.test.ts': 'the demo starts its own local AWS by design',
  'test/integration/diagnosis.test.ts':
    'starts a moto_server of its own (Lambda, CloudWatch Logs and CloudWatch, which our emulator does not serve)',
  'test/integration/failed-step.test.ts':
    'an emulator of its own: it serves LookupEvents (moto 5.2 answers it with HTTP 500)',
  'test/integration/http-identity.test.ts':
    'an emulator of its own: which identity an HTTP event carries is our code',
  'test/integration/hostile-input.test.ts':
    'input validation is our code: no hostile event reaches a mutating call',
  'test/integration/node24.test.ts': 'the bundle under the Node 24 runtime: Node, not AWS',
  'test/integration/out-of-scope.test.ts':
    'an emulator of its own: the answer to a secret outside REQUIRED_TAG is our code',
  'test/integration/reminders.test.ts':
    "held decisions seeded by the emulator (a failed testSecret rotation with its record); the reminder's conditional write is DynamoDB's, as idempotency.test.ts runs it against moto",
  'test/integration/report.test.ts':
    'an emulator of its own: quotas and seeded rotation states (overdue, never rotated)',
  'test/integration/resume-channels.test.ts':
    'an emulator of its own: moto 5.2 clears the rotation function on RotateSecret with RotateImmediately=false',
  'test/integration/resume-settings.test.ts':
    'an emulator of its own: ROTATION_FUNCTION_ARNS is checked before any AWS call (our code)',
  'test/integration/resume.test.ts':
    'emulator only: moto 5.2 gets RotateSecret with RotateImmediately=false wrong; managed and replica seeds',
  'test/integration/sam-build.test.ts': 'the Makefile build: no AWS call',
  'test/integration/startup.test.ts': 'a misconfigured bundle refuses to load: no AWS call',
  'test/integration/sweep-listing.test.ts':
    'an emulator of its own: empty and repeated page tokens are emulator switches',
  'test/integration/sweep.test.ts':
    'an emulator of its own: quotas, faults, pending versions of a chosen age (sweep-endpoint sweeps moto)',
  'test/integration/test-rotation-failed.test.ts':
    'an emulator of its own: failing the rotation test is an emulator switch',
};

/** A line of the not-run report the tests write (see test/helpers/secrets-manager-target.ts). */
interface NotRun {
  kind: string;
  file: string;
  group: string;
  reason: string;
}

const REPO = resolve(__dirname, '..');
const JEST = join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');

/** The test files of the projects this runs that neither list names (or listed but gone). */
const unclassified = (): string[] => {
  const files = ['test/integration', 'test/differential'].flatMap((dir) =>
    readdirSync(join(REPO, dir))
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => `${dir}/${file}`)
  );
  const listed = [...Object.keys(MOTO_FILES), ...Object.keys(NOT_AGAINST_MOTO)];
  return [
    ...files.filter((file) => !listed.includes(file)).map((file) => `${file}: in neither list`),
    ...listed.filter((file) => !files.includes(file)).map((file) => `${file}: no such file`),
  ];
};

/** Lets moto's Lambda "invoke" a function without Docker (moto's own configuration API). */
const configureMoto = async (endpoint: string): Promise<void> => {
  const response = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  const config = (await response.json()) as { lambda?: { use_docker?: boolean } };
  if (config.lambda?.use_docker !== false) {
    throw new Error(`moto refused {"lambda": {"use_docker": false}}: ${JSON.stringify(config)}`);
  }
};

/** The test processes' environment: moto for every service, dummy credentials, no profile. */
const testEnv = (endpoint: string, notRunFile: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of ENDPOINT_VARIABLES) env[variable] = endpoint;
  for (const variable of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) {
    delete env[variable];
  }
  return {
    ...env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    // moto 5.2 answers LookupEvents with HTTP 500, and a failed look-up holds (as it must): the
    // history is proven against the emulator (failed-step.test.ts), so here it is off and a step
    // the trigger does not name is unknown on either endpoint
    FAILED_STEP_LOOKUP: 'off',
    RR_NOT_RUN_FILE: notRunFile,
  };
};

/** Prints what did not run against moto, grouped, with the reason. */
const printNotRun = (notRunFile: string): void => {
  const lines = existsSync(notRunFile) ? readFileSync(notRunFile, 'utf8').trim().split('\n') : [];
  const entries = [...new Set(lines.filter((line) => line !== ''))].map(
    (line) => JSON.parse(line) as NotRun
  );
  const notRun = entries.filter((entry) => entry.kind === 'not run');
  const own = entries.filter((entry) => entry.kind !== 'not run');
  process.stdout.write(`\nNot run against moto: ${notRun.length} group(s)\n`);
  for (const entry of notRun) {
    process.stdout.write(`  - ${entry.file} › ${entry.group}\n      ${entry.reason}\n`);
  }
  process.stdout.write(`Run against an emulator of their own instead: ${own.length} group(s)\n`);
  for (const entry of own) {
    process.stdout.write(`  - ${entry.file} › ${entry.group}\n      ${entry.reason}\n`);
  }
};

/** Prints the files left out of the moto run, with the reason. */
const printNotSelected = (): void => {
  const entries = Object.entries(NOT_AGAINST_MOTO);
  process.stdout.write(`Files not run against moto (npm test runs them): ${entries.length}\n`);
  for (const [file, reason] of entries) process.stdout.write(`  - ${file}\n      ${reason}\n`);
};

/** Runs jest; resolves with its exit code. */
const runJest = (env: NodeJS.ProcessEnv, onSpawn: (child: ChildProcess) => void) =>
  new Promise<number>((resolveCode, reject) => {
    const files = Object.keys(MOTO_FILES).map((file) => join(REPO, file));
    // the files first: `--selectProjects` takes every argument after it as a project name
    const args = [JEST, ...files, ...process.argv.slice(2), '--selectProjects', ...PROJECTS];
    const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: 'inherit' });
    onSpawn(child);
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveCode(code ?? (signal === null ? 1 : 128)));
  });

/** Starts moto, or explains how to get it: `undefined` when missing (the caller exits). */
const startMoto = async (): Promise<MotoServer | undefined> => {
  try {
    return await startMotoServer();
  } catch (error) {
    if ((error as Error).name !== 'MotoServerMissingError') throw error;
    const ci = process.env.CI === 'true';
    process.stderr.write(
      `test:moto: ${(error as Error).message}.\n` +
        `Nothing ran against moto${ci ? ' (CI=true: this is a failure)' : ''}.\n`
    );
    process.exitCode = ci ? 1 : 0;
    return undefined;
  }
};

const main = async (): Promise<void> => {
  const started = Date.now();
  const wrong = unclassified();
  if (wrong.length > 0) {
    process.stderr.write(
      `test:moto: classify every integration file in tools/test-moto.ts:\n  ${wrong.join('\n  ')}\n`
    );
    process.exitCode = 1;
    return;
  }
  const moto = await startMoto();
  if (moto === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), 'rr-test-moto-'));
  let jest: ChildProcess | undefined;
  let interrupted = false;
  // Ctrl-C: jest stops (it gets the signal too, or from here), then moto is stopped below.
  const interrupt = (signal: NodeJS.Signals) => {
    interrupted = true;
    if (jest?.exitCode === null) jest.kill(signal);
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    await configureMoto(moto.endpoint);
    process.stdout.write(`moto_server on ${moto.endpoint}: jest ${PROJECTS.join(' + ')}\n`);
    const notRunFile = join(dir, 'not-run.jsonl');
    const code = await runJest(testEnv(moto.endpoint, notRunFile), (child) => {
      jest = child;
    });
    if (!interrupted) printNotRun(notRunFile);
    if (!interrupted) printNotSelected();
    process.exitCode = interrupted ? 130 : code;
  } finally {
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`test:moto: moto stopped; ${seconds} s in all\n`);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`test:moto: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
