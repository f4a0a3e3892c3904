/**
 * A sweep ends, and remediates every stuck secret, when the service ends its listings with
 * `"NextToken": ""` (moto 5.2's ListSecretVersionIds) or hands a token back again (a broken
 * service): through the bundle and through the CLI. Before the SDK paginators, the first case hung
 * the CLI for ever and the Lambda until its timeout.
 *
 * Always an emulator of its own: these answers are switches of the emulator, and a sweep acts on
 * every secret of its account and region.
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import {
  LastPageToken,
  startSecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';
import { MAX_VERSION_PAGES } from '../../src/aws/versions.js';
import type { SweepReport, SweepResponse } from '../../src/sweep/types.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { runCliInProcess } from '../helpers/cli.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator(
  'sweep listings that end oddly',
  'fault injection: empty and repeated page tokens are switches of the emulator'
);

const STEPS = ['createSecret', 'setSecret', 'finishSecret'] as const;
const HOUR_MS = 3_600_000;

let emulator: SecretsManagerEmulator;
const saved = {
  endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
  cloudTrail: process.env.AWS_ENDPOINT_URL_CLOUDTRAIL,
  region: process.env.AWS_REGION,
  idempotency: process.env.POWERTOOLS_IDEMPOTENCY_DISABLED,
};

beforeAll(async () => {
  emulator = await startSecretsManagerEmulator({ region: 'eu-central-2' });
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
});

afterAll(async () => {
  await emulator?.stop();
});

/** 130 secrets: every tenth one stuck (2 h old), the others healthy. Returns the stuck ARNs. */
const seedWorld = (): string[] => {
  emulator.store.clear();
  const now = Date.now();
  const stuck: string[] = [];
  for (let i = 0; i < 130; i += 1) {
    const name = `rr-listing/secret-${String(i).padStart(3, '0')}`;
    if (i % 10 === 0) {
      stuck.push(
        emulator.store.seedFailedRotation({
          name,
          step: STEPS[(i / 10) % STEPS.length] ?? 'setSecret',
          pendingCreatedAt: new Date(now - 2 * HOUR_MS),
        }).arn
      );
    } else {
      emulator.store.seedCleanSecret({ name, rotationEnabled: true });
    }
  }
  emulator.resetCalls();
  return stuck.sort();
};

const stillPending = (arns: readonly string[]): string[] =>
  arns.filter((arn) => Object.values(emulator.store.labels(arn)).flat().includes('AWSPENDING'));

/** Runs the sweep through the built bundle with this file's emulator and no idempotency table. */
const sweepThroughBundle = async (options: Record<string, unknown> = {}): Promise<SweepReport> => {
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = emulator.endpoint;
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = emulator.endpoint;
  process.env.AWS_REGION = emulator.region;
  process.env.POWERTOOLS_IDEMPOTENCY_DISABLED = 'true';
  try {
    const { handler } = loadBundle();
    const response = (await handler({ sweep: options }, lambdaContext(60_000))) as SweepResponse;
    return response.sweep;
  } finally {
    for (const [key, value] of [
      ['AWS_ENDPOINT_URL_SECRETS_MANAGER', saved.endpoint],
      ['AWS_ENDPOINT_URL_CLOUDTRAIL', saved.cloudTrail],
      ['AWS_REGION', saved.region],
      ['POWERTOOLS_IDEMPOTENCY_DISABLED', saved.idempotency],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};

/** Runs `rotation-remediator sweep --json` (a fresh CLI in this process) against the emulator. */
const sweepThroughCli = async (): Promise<SweepReport> => {
  const result = await runCliInProcess(
    ['sweep', '--json'],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.endpoint,
      AWS_REGION: emulator.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    { fresh: true }
  );
  if (result.code !== 0) throw new Error(`the CLI exited ${result.code}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as SweepResponse).sweep;
};

describe.each([
  { through: 'the bundle', sweep: sweepThroughBundle },
  { through: 'the CLI', sweep: sweepThroughCli },
])('a sweep through $through', ({ sweep }) => {
  it.each([
    {
      answer: 'last pages carry an empty token',
      lastPageToken: LastPageToken.Empty,
      repeatToken: false,
      listSecretsPages: 2,
    },
    {
      answer: 'a page hands its token back again',
      lastPageToken: LastPageToken.Absent,
      repeatToken: true,
      listSecretsPages: 2,
    },
  ])('ends and remediates every stuck secret when $answer', async (quirk) => {
    // Prepare
    const stuck = seedWorld();
    emulator.store.lastPageToken = quirk.lastPageToken;
    emulator.store.repeatToken = quirk.repeatToken;
    emulator.store.versionsLastPageToken = undefined;

    // Act
    const report = await sweep();

    // Assess
    expect(report.failed).toBe(0);
    expect(report.stuck).toBe(stuck.length);
    expect(report.remediated).toBe(stuck.length);
    expect(report.results.map((r) => r.secretArn)).toEqual(stuck);
    expect(report.continuation).toBeUndefined();
    expect(stillPending(stuck)).toEqual([]);
    expect(emulator.calls.filter((c) => c.operation === 'ListSecrets')).toHaveLength(
      quirk.listSecretsPages
    );
    expect(emulator.calls.filter((c) => c.operation === 'ListSecretVersionIds')).toHaveLength(
      stuck.length
    );
  });
});

describe('a sweep against an endpoint whose version listings never end', () => {
  it('stops each ListSecretVersionIds listing at its page cap and reports it', async () => {
    // Prepare: three stuck secrets; every ListSecretVersionIds page names a new next page
    emulator.store.clear();
    const stuck = [0, 1, 2].map(
      (i) =>
        emulator.store.seedFailedRotation({
          name: `rr-endless/secret-${i}`,
          step: 'setSecret',
          pendingCreatedAt: new Date(Date.now() - 2 * HOUR_MS),
        }).arn
    );
    emulator.store.lastPageToken = LastPageToken.Absent;
    emulator.store.repeatToken = false;
    emulator.store.versionsLastPageToken = LastPageToken.Endless;
    emulator.resetCalls();

    // Act
    const report = await sweepThroughBundle({ dryRun: true });

    // Assess
    const listings = emulator.calls.filter((c) => c.operation === 'ListSecretVersionIds');
    expect(listings).toHaveLength(stuck.length * MAX_VERSION_PAGES);
    expect(report.failed).toBe(stuck.length);
    expect(report.results.map((r) => r.error)).toEqual(
      stuck.map(() => expect.stringMatching(/^ListingCapped: ListSecretVersionIds stopped after 5/))
    );
    expect(stillPending(stuck)).toEqual(stuck);
  });
});
