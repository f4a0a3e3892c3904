/**
 * A sweep against the Secrets Manager the suite runs against (AWS_ENDPOINT_URL_SECRETS_MANAGER,
 * e.g. moto; otherwise the emulator), through the built bundle and through the CLI: more than 100
 * secrets, some stuck (rotation enabled or not), ROTATION_GRACE_SECONDS=0. Every stuck secret ends
 * remediated, with the exact labels and rotation off. Seeded with public calls on an external
 * endpoint (see `seedFailedRotation`).
 *
 * A sweep acts on every secret of its account and region: this file alone uses SWEEP_REGION, so its
 * sweeps never touch the other files' secrets, and their listings never see its own.
 */
import { resolve } from 'node:path';
import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { SweepReport, SweepResponse } from '../../src/sweep/types.js';
import { runProcess } from '../../tools/process.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { childAwsEnv } from '../helpers/child-env.js';
import { readLabels } from '../helpers/labels.js';
import type { SecretsManagerTarget, SeededSecret } from '../helpers/secrets-manager-target.js';
import {
  seedFailedRotation,
  seedStuckWithPublicCalls,
  startSecretsManagerTarget,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

// Seeding a few hundred calls and a paced sweep: well above jest's default.
jest.setTimeout(180_000);

/** No other test file uses this region. */
const SWEEP_REGION = 'eu-north-1';
const CLI = resolve(__dirname, '../../dist/cli.js');
/** 110 secrets: 24 failed rotations (rotation enabled), 16 stuck without rotation, 70 healthy. */
const WORLD = { failedRotations: 24, stuck: 16, clean: 70 } as const;
const SEED_CONCURRENCY = 8;

process.env.AWS_REGION = SWEEP_REGION;
let target: SecretsManagerTarget;

beforeAll(async () => {
  target = await startSecretsManagerTarget({ region: SWEEP_REGION });
  const region = await target.client.config.region();
  if (region !== SWEEP_REGION) throw new Error(`the sweep would run in ${region}`);
}, 60_000);

afterAll(async () => {
  await target?.stop();
});

/** Runs the tasks, at most `limit` at a time, and returns their results in order. */
const inBatches = async <T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> => {
  const results: T[] = [];
  for (let start = 0; start < tasks.length; start += limit) {
    results.push(...(await Promise.all(tasks.slice(start, start + limit).map((task) => task()))));
  }
  return results;
};

const times = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

/** A healthy secret: one version, AWSCURRENT. */
const seedClean = async (name: string): Promise<void> => {
  const created = await target.client.send(
    new CreateSecretCommand({ Name: name, SecretString: '{"username":"app"}' })
  );
  target.track(created.ARN ?? name);
};

/** Seeds the world; returns the stuck secrets and which of them had rotation enabled. */
const seedWorld = async (label: string) => {
  const failedRotations = await inBatches(
    times(WORLD.failedRotations).map(
      (i) => () =>
        seedFailedRotation(target, { name: uniqueName(`${label}-rot-${i}`), step: 'setSecret' })
    ),
    SEED_CONCURRENCY
  );
  const stuck = await inBatches(
    times(WORLD.stuck).map(
      (i) => () => seedStuckWithPublicCalls(target, uniqueName(`${label}-stuck-${i}`))
    ),
    SEED_CONCURRENCY
  );
  await inBatches(
    times(WORLD.clean).map((i) => () => seedClean(uniqueName(`${label}-clean-${i}`))),
    SEED_CONCURRENCY
  );
  return { failedRotations, stuck: [...failedRotations, ...stuck] };
};

/** The sweep through the built bundle (no idempotency table: a sweep does not need one). */
const sweepThroughBundle = async (): Promise<SweepReport> => {
  process.env.ROTATION_GRACE_SECONDS = '0';
  process.env.FAILED_STEP_LOOKUP = 'off';
  process.env.POWERTOOLS_IDEMPOTENCY_DISABLED = 'true';
  const { handler } = loadBundle();
  const response = (await handler(
    { sweep: { reason: 'sweep against the endpoint' } },
    lambdaContext(150_000)
  )) as SweepResponse;
  return response.sweep;
};

/** `rotation-remediator sweep --json` in a child process, in SWEEP_REGION. */
const sweepThroughCli = async (): Promise<SweepReport> => {
  const env = childAwsEnv({
    HOME: process.env.HOME,
    AWS_REGION: SWEEP_REGION,
    ROTATION_GRACE_SECONDS: '0',
    FAILED_STEP_LOOKUP: 'off',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const result = await runProcess(process.execPath, [CLI, 'sweep', '--json'], { env });
  if (result.code !== 0) throw new Error(`the CLI exited ${result.code}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as SweepResponse).sweep;
};

const arnsOf = (secrets: readonly SeededSecret[]): string[] =>
  secrets.map((secret) => secret.arn).sort();

// The history is not this file's subject (the emulator would find the failed rotations' records,
// moto 5.2 answers LookupEvents with HTTP 500): with the look-up off, every stuck secret's step is
// unknown, and the suite's UNKNOWN_STEP_ACTION=discard applies on either endpoint.
describe(`a sweep of more than 100 secrets in ${SWEEP_REGION}, ROTATION_GRACE_SECONDS=0`, () => {
  it.each([
    { through: 'the bundle', label: 'sweep-bundle', sweep: sweepThroughBundle },
    { through: 'the CLI', label: 'sweep-cli', sweep: sweepThroughCli },
  ])('through $through remediates every stuck secret', async ({ label, sweep }) => {
    // Prepare
    const world = await seedWorld(label);

    // Act
    const report = await sweep();

    // Assess
    expect(report).toMatchObject({
      dryRun: false,
      candidates: world.stuck.length,
      stuck: world.stuck.length,
      remediated: world.stuck.length,
      needsDecision: 0,
      refused: 0,
      failed: 0,
      remaining: 0,
    });
    expect(report.continuation).toBeUndefined();
    expect(report.results).toEqual(
      arnsOf(world.stuck).map((secretArn) => ({
        secretArn,
        status: 'remediated',
        rule: 'auto.unknown-step.discard',
        pendingSince: expect.any(String),
      }))
    );
    const labels = await Promise.all(world.stuck.map((s) => readLabels(target.client, s.arn)));
    expect(labels).toEqual(
      world.stuck.map((s) => ({
        [s.previousVersionId]: ['AWSPREVIOUS'],
        [s.currentVersionId]: ['AWSCURRENT'],
      }))
    );
    const rotation = await Promise.all(
      world.failedRotations.map(
        async (s) =>
          (await target.client.send(new DescribeSecretCommand({ SecretId: s.arn }))).RotationEnabled
      )
    );
    expect(rotation).toEqual(world.failedRotations.map(() => false));
  });
});
