/**
 * `npm run test:moto`: the integration suite and the differential test against moto_server (moto,
 * a third-party implementation of AWS in Python). Starts moto on a free loopback port, lets its
 * Lambda run without Docker (so RotateSecret can "invoke" the tests' rotation function), runs
 * `jest --selectProjects integration differential` with every endpoint the suite uses pointed at
 * moto, prints what did not run against moto and why, and stops moto (on failure and Ctrl-C too).
 * Extra arguments go to jest. Without moto_server it says how to get it and exits 0, or 1 under CI.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** A line of the not-run report the tests write (see test/helpers/secrets-manager-target.ts). */
interface NotRun {
  kind: string;
  file: string;
  group: string;
  reason: string;
}

const REPO = resolve(__dirname, '..');
const JEST = join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');

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

/** Runs jest; resolves with its exit code. */
const runJest = (env: NodeJS.ProcessEnv, onSpawn: (child: ChildProcess) => void) =>
  new Promise<number>((resolveCode, reject) => {
    const args = [JEST, '--selectProjects', ...PROJECTS, ...process.argv.slice(2)];
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
