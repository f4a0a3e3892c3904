/**
 * `npm run local`: the Secrets Manager emulator and dynalite (with the idempotency table) in the
 * foreground until Ctrl-C, seeded with a few secrets stuck in a failed rotation.
 *
 * It prints the environment as `export` lines (for the CLI, the AWS CLI v1 and v2, node), each event
 * the function emits in full (./local-output.ts), and writes, under
 * `.tmp/` (git-ignored; beside the file `RR_LOCAL_STATE` names, when set):
 * - `local.json`: the endpoints, read by the CLI's `--local` (`RR_LOCAL_STATE` overrides the path);
 * - `env.json`: the same for `sam local invoke --env-vars`;
 * - `events/`: every sample of `events/` pointed at the seeded secrets.
 *
 * Options: `--host <address>` to listen elsewhere than 127.0.0.1 (e.g. `0.0.0.0` for a Docker
 * container that reaches the host as `host.docker.internal`); only when asked.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LocalState } from '../src/cli/local-state.js';
import { localStatePath, readLocalState } from '../src/cli/local-state.js';
import type { LocalEnvironment } from '../tools/local-env.js';
import { LOCAL_CREDENTIALS, startLocalEnvironment } from '../tools/local-env.js';
import { substituteSecret } from '../tools/samples.js';
import { eventLines, exportLines } from './local-output.js';

const PROJECT_DIR = resolve(__dirname, '..');

/** The secrets `npm run local` seeds; the first carries the samples' placeholder name. */
const SEEDS = [
  { name: 'rr-demo/app-db', step: 'setSecret', kind: 'standard' },
  { name: 'rr-demo/failed-at-createSecret', step: 'createSecret', kind: 'standard' },
  { name: 'rr-demo/failed-at-testSecret', step: 'testSecret', kind: 'standard' },
  { name: 'rr-demo/failed-at-finishSecret', step: 'finishSecret', kind: 'standard' },
  { name: 'rds!db-demo', step: 'setSecret', kind: 'managed' },
] as const;

const USAGE = `Usage: npm run local [-- --host <address>]
  --host <address>  listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0 for sam local on
                    Docker Desktop, which reaches the host as host.docker.internal)`;

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::';

/** Writes each sample of `events/` with the placeholder secret replaced by a seeded one. */
const writeSamples = (local: LocalEnvironment, dir: string): number => {
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(resolve(PROJECT_DIR, 'events')).filter((f) => f.endsWith('.json'));
  for (const file of files) {
    const step = /^rotation-failed-(\w+)\.json$/.exec(file)?.[1];
    const seed = SEEDS.find((s) => s.kind === 'standard' && s.step === step) ?? SEEDS[0];
    const arn = local.emulator.store.describe(seed.name).ARN;
    const sample: unknown = JSON.parse(readFileSync(resolve(PROJECT_DIR, 'events', file), 'utf8'));
    writeFileSync(
      join(dir, file),
      `${JSON.stringify(substituteSecret(sample, { name: seed.name, arn }), null, 2)}\n`
    );
  }
  return files.length;
};

/** The state of a `npm run local` that is still running with this state file, if any. */
const runningLocal = (statePath: string): LocalState | undefined => {
  try {
    return readLocalState(statePath);
  } catch {
    return undefined;
  }
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: { host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    out(USAGE);
    return;
  }
  const statePath = localStatePath(process.env, PROJECT_DIR);
  // env.json and events/ go beside the state file: .tmp/ unless RR_LOCAL_STATE moves it
  const outDir = dirname(statePath);
  const running = runningLocal(statePath);
  if (running !== undefined) {
    throw new Error(
      `already running (pid ${running.pid}, ${running.endpoints.secretsManager}); stop it first.`
    );
  }

  // the SDK's notice that its 2027 releases need Node >= 22 (the Lambda runs Node 24)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const local = await startLocalEnvironment({
    host: values.host,
    // the function's outcome events (EVENT_BUS_NAME), as the emulator's EventBridge receives them
    onEvent: (event) => {
      for (const line of eventLines(event)) out(line);
    },
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    try {
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as Partial<LocalState>;
      if (state.pid === process.pid) rmSync(statePath, { force: true });
    } catch {
      // already gone
    }
    void local.stop().finally(() => {
      out(`\n${signal}: emulator and dynalite stopped.`);
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const seeded = SEEDS.map((seed) => ({
    ...seed,
    ...local.emulator.store.seedFailedRotation({
      name: seed.name,
      step: seed.step,
      kind: seed.kind,
    }),
  }));
  const state: LocalState = {
    pid: process.pid,
    region: local.region,
    tableName: local.tableName,
    endpoints: { secretsManager: local.secretsManager, dynamoDb: local.dynamoDb },
    credentials: {
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey,
    },
    startedAt: new Date().toISOString(),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);

  // sam local runs the function in a container: 127.0.0.1 there is the container itself.
  const dockerHost = isWildcard(local.host) ? 'host.docker.internal' : undefined;
  const containerEndpoint = (url: string): string =>
    dockerHost === undefined ? url : url.replace(/\/\/(127\.0\.0\.1|\[::1\])/, `//${dockerHost}`);
  const envJsonPath = join(outDir, 'env.json');
  const functionEnv = {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: containerEndpoint(local.secretsManager),
    AWS_ENDPOINT_URL_CLOUDTRAIL: containerEndpoint(local.secretsManager),
    AWS_ENDPOINT_URL_DYNAMODB: containerEndpoint(local.dynamoDb),
    AWS_ENDPOINT_URL_EVENTBRIDGE: containerEndpoint(local.secretsManager),
    IDEMPOTENCY_TABLE_NAME: local.tableName,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  writeFileSync(envJsonPath, `${JSON.stringify({ Parameters: functionEnv }, null, 2)}\n`);
  const eventsDir = join(outDir, 'events');
  const samples = writeSamples(local, eventsDir);
  const rel = (path: string): string => relative(process.cwd(), path) || '.';

  out('rotation-remediator local: Secrets Manager emulator and DynamoDB (dynalite) are running.');
  out();
  out('# The environment (for the CLI, the AWS CLI, node dist/...):');
  for (const line of exportLines(local.env())) out(line);
  out();
  out('# Seeded secrets, each stuck in a failed rotation:');
  for (const secret of seeded) {
    out(`#   ${secret.name.padEnd(32)} failed at ${secret.step.padEnd(13)} ${secret.arn}`);
  }
  out();
  out(`# Written: ${rel(statePath)} (for --local), ${rel(envJsonPath)} (sam --env-vars),`);
  out(`#          ${rel(eventsDir)}/ (${samples} samples pointed at the seeded secrets)`);
  out('# Try, in another terminal:');
  out('#   node dist/cli.js status --local --secret-id rr-demo/app-db');
  out('#   npx rotation-remediator remediate --local --secret-id rr-demo/app-db --dry-run');
  out(
    `#   sam build && sam local invoke RemediatorFunction -e ${rel(eventsDir)}/rotation-failed-setSecret.json --env-vars ${rel(envJsonPath)}${dockerHost === undefined ? ' --docker-network host' : ''}`
  );
  out('Ready. Ctrl-C stops the emulators.');
};

main().catch((error: unknown) => {
  process.stderr.write(`npm run local: ${(error as Error).message}\n`);
  process.exit(1);
});
