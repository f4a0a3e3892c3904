/**
 * The sweep through the built dist/handler.js against the Secrets Manager emulator with the AWS
 * request quotas on, and dynalite (or AWS_ENDPOINT_URL_DYNAMODB) for idempotency.
 *
 * Always the emulator started here, whatever AWS_ENDPOINT_URL_SECRETS_MANAGER says: a sweep acts on
 * every secret of the account and region, and these states (rotation enabled with no Lambda,
 * pending versions of a chosen age, empty pages, managed secrets, replicas) exist only there.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerEmulator, SeededSecret } from '../../emulator/secrets-manager/index.js';
import {
  FaultKind,
  QuotaBucket,
  startSecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';
import { QuotaRateLimiter } from '../../src/aws/rate-limiter.js';
import { sealJson } from '../../src/aws/sealed-json.js';
import { remediate } from '../../src/remediation/remediate.js';
import { loadSweepConfig } from '../../src/settings.js';
import { decodeContinuation, encodeContinuation } from '../../src/sweep/continuation.js';
import { runSweep } from '../../src/sweep/sweep.js';
import type { SweepReport, SweepResponse } from '../../src/sweep/types.js';
import type { Bundle } from '../helpers/bundle.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import type { DynamoDbTarget } from '../helpers/dynamodb-target.js';
import { startDynamoDbTarget } from '../helpers/dynamodb-target.js';
import { LogCapture } from '../helpers/log-capture.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator(
  'the sweep: quotas, faults, pending ages, pages',
  'fault injection, request quotas and pending versions of a chosen age (sweep-endpoint.test.ts sweeps the external endpoint)'
);

/**
 * The sweep's allowance per bucket at the default SWEEP_QUOTA_SHARE of 0.5 (src/aws/rate-limiter.ts).
 * Its limiter grants at most ⌊rate⌋ requests within any 1,000 ms (unit-tested with a manual clock).
 * The emulator counts arrivals, which can bunch by a few tens of ms (a new connection, an event loop
 * this test shares with the emulator and dynalite); the limiter's burst (a fifth of a second's
 * worth) is the stated allowance on top: at most `rate + burst` in any one-second window.
 */
const ALLOWED = {
  /** 50 requests/s × 0.5; burst 5. */
  rotation: { rate: 25, burst: 5 },
  write: { rate: 25, burst: 5 },
  list: { rate: 25, burst: 5 },
  /** 10,000 requests/s × 0.5; burst 1,000. */
  read: { rate: 5_000, burst: 1_000 },
} as const;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

let emulator: SecretsManagerEmulator;
let dynamoDb: DynamoDbTarget;
const savedEndpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
const savedCloudTrail = process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;

/** Bundles loaded with different settings (each a fresh copy with its own clients and limiter). */
const bundles = {} as Record<'standard' | 'graceZero' | 'serial' | 'logged', Bundle>;

/** Loads a fresh bundle with `env` applied while its module scope runs. */
const bundleWith = (env: Record<string, string>): Bundle => {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return loadBundle();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};

beforeAll(async () => {
  emulator = await startSecretsManagerEmulator({ quotas: true });
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = emulator.endpoint;
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = emulator.endpoint;
  process.env.AWS_REGION = emulator.region;
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  dynamoDb = await startDynamoDbTarget();
  process.env.IDEMPOTENCY_TABLE_NAME = dynamoDb.tableName;
  // the default grace period (the suite runs with none, test/setup-env.ts)
  const grace = { ROTATION_GRACE_SECONDS: '3600' };
  bundles.standard = bundleWith(grace);
  bundles.graceZero = bundleWith({ ROTATION_GRACE_SECONDS: '0' });
  bundles.serial = bundleWith({ ...grace, SWEEP_CONCURRENCY: '1' });
  bundles.logged = bundleWith({ ...grace, POWERTOOLS_LOG_LEVEL: 'INFO' });
});

afterAll(async () => {
  await dynamoDb?.stop();
  await emulator?.stop();
  if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = savedEndpoint;
  if (savedCloudTrail === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
  else process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = savedCloudTrail;
});

beforeEach(() => {
  emulator.store.clear();
  emulator.store.emptyPagesEvery = undefined;
  emulator.faults.clear();
  emulator.setQuotas(true);
  emulator.resetCalls();
});

/** What a world is made of. */
interface WorldSpec {
  /** Failed rotations whose pending version is 2 h old. */
  stuck?: number;
  /** Rotations whose pending version is 5 min old (younger than the default grace). */
  running?: number;
  /** Stuck managed secrets (`rds!…`) whose service allows the cancel. */
  managed?: number;
  /** Stuck replicas (repaired in their primary region). */
  replicas?: number;
  /** Stuck secrets scheduled for deletion (ListSecrets leaves them out). */
  deleted?: number;
  /** Healthy secrets; every other one with AWSPENDING on AWSCURRENT. */
  clean?: number;
}

/** The seeded secrets of a world, by kind. */
type World = Record<keyof WorldSpec, SeededSecret[]>;

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/**
 * Seeds a world directly in the store (no request, so no call is counted or rate-limited), with
 * no RotationFailed record in the history: these tests are about listing, pacing and the deadline,
 * and every stuck secret takes the step-less rule (failed-step.test.ts covers the history).
 */
const seedWorld = (prefix: string, spec: WorldSpec): World => {
  const now = Date.now();
  const name = (kind: string, index: number) =>
    `${prefix}/${kind}-${String(index).padStart(3, '0')}`;
  const times = (count: number | undefined) => Array.from({ length: count ?? 0 }, (_, i) => i);
  const { store } = emulator;
  return {
    stuck: times(spec.stuck).map((i) =>
      store.seedFailedRotation({
        failureRecord: false,
        name: name('stuck', i),
        step: STEPS[i % STEPS.length] ?? 'setSecret',
        pendingCreatedAt: new Date(now - 2 * HOUR_MS),
      })
    ),
    running: times(spec.running).map((i) =>
      store.seedFailedRotation({
        failureRecord: false,
        name: name('running', i),
        step: 'setSecret',
        pendingCreatedAt: new Date(now - 5 * MINUTE_MS),
      })
    ),
    managed: times(spec.managed).map((i) =>
      store.seedFailedRotation({
        failureRecord: false,
        name: `rds!${prefix.replaceAll('/', '-')}-${i}`,
        step: 'setSecret',
        kind: 'managed',
        managedAllowsCancel: true,
        pendingCreatedAt: new Date(now - 2 * HOUR_MS),
      })
    ),
    replicas: times(spec.replicas).map((i) =>
      store.seedFailedRotation({
        failureRecord: false,
        name: name('replica', i),
        step: 'setSecret',
        kind: 'replica',
        pendingCreatedAt: new Date(now - 2 * HOUR_MS),
      })
    ),
    deleted: times(spec.deleted).map((i) => {
      const seeded = store.seedFailedRotation({
        failureRecord: false,
        name: name('deleted', i),
        step: 'setSecret',
        pendingCreatedAt: new Date(now - 2 * HOUR_MS),
      });
      store.markForDeletion(seeded.arn);
      return seeded;
    }),
    clean: times(spec.clean).map((i) =>
      store.seedCleanSecret({
        name: name('clean', i),
        rotationEnabled: true,
        pendingOnCurrent: i % 2 === 0,
      })
    ),
  };
};

/** Runs a sweep event through a bundle and returns its report. */
const sweep = async (
  bundle: Bundle,
  options: Record<string, unknown> = {},
  remainingMs = 60_000
): Promise<SweepReport> =>
  ((await bundle.handler({ sweep: options }, lambdaContext(remainingMs))) as SweepResponse).sweep;

const hasPending = (secret: SeededSecret): boolean =>
  Object.values(emulator.store.labels(secret.arn)).flat().includes('AWSPENDING');

const arnsOf = (secrets: readonly SeededSecret[]): string[] =>
  secrets.map((secret) => secret.arn).sort();

const mutatingCalls = () =>
  emulator.calls.filter((call) =>
    (MUTATING_OPERATIONS as readonly string[]).includes(call.operation)
  );

describe('a sweep with the quotas on', () => {
  it('finds the stuck secrets across pages and empty pages, within its share of each quota', async () => {
    // Prepare: 250 secrets, 3 pages of 100 with an empty page before each page with content
    const world = seedWorld('pages', {
      stuck: 20,
      running: 10,
      managed: 2,
      replicas: 1,
      deleted: 1,
      clean: 216,
    });
    emulator.store.emptyPagesEvery = 1;

    // Act
    const report = await sweep(bundles.standard);

    // Assess: the counts
    expect(report).toMatchObject({
      dryRun: false,
      candidates: 32,
      stuck: 22,
      running: 10,
      cleared: 0,
      skipped: 1,
      remediated: 20,
      needsDecision: 2,
      alreadyClean: 0,
      refused: 0,
      planned: 0,
      inProgress: 0,
      failed: 0,
      remaining: 0,
      throttled: 0,
    });
    expect(report.continuation).toBeUndefined();
    expect(report.results.map((result) => result.secretArn)).toEqual(
      arnsOf([...world.stuck, ...world.managed])
    );
    expect(report.results.filter((result) => result.status === 'remediated')).toHaveLength(20);
    for (const result of report.results) {
      expect(result.pendingSince).toEqual(expect.any(String));
      expect(result.error).toBeUndefined();
    }

    // Assess: the end state
    expect(world.stuck.filter(hasPending)).toEqual([]);
    expect(world.running.filter(hasPending)).toEqual(world.running);
    expect(world.managed.filter(hasPending)).toEqual(world.managed);
    for (const secret of world.running) {
      expect(emulator.store.describe(secret.arn).RotationEnabled).toBe(true);
    }

    // Assess: the calls. ListSecrets paged through empty pages; only candidates were examined,
    // and only stuck secrets were read with DescribeSecret.
    const calls = emulator.calls;
    const idsOf = (operation: string) =>
      [
        ...new Set(calls.filter((c) => c.operation === operation).map((c) => c.secretId ?? '')),
      ].sort();
    expect(calls.filter((c) => c.operation === 'ListSecrets').length).toBeGreaterThanOrEqual(6);
    expect(idsOf('ListSecretVersionIds')).toEqual(
      arnsOf([...world.stuck, ...world.running, ...world.managed])
    );
    expect(idsOf('DescribeSecret')).toEqual(arnsOf([...world.stuck, ...world.managed]));
    expect(calls.filter((c) => c.errorName !== undefined)).toEqual([]);

    // Assess: the rate. In any one-second window the emulator received at most the sweep's share
    // of the quota plus its limiter's burst.
    for (const [bucket, { rate, burst }] of Object.entries(ALLOWED)) {
      const max = emulator.maxRatePerSecond(bucket as QuotaBucket);
      expect({ bucket, max, withinShare: max <= rate + burst }).toEqual({
        bucket,
        max,
        withinShare: true,
      });
    }
    expect(emulator.maxRatePerSecond(QuotaBucket.Rotation)).toBeGreaterThan(0);

    // Assess: idempotency recorded each remediation that made calls, under the usual key
    const items = (await dynamoDb.items()).map((item) => ({
      id: (item.id as { S?: string } | undefined)?.S,
      status: (item.status as { S?: string } | undefined)?.S,
    }));
    expect(items).toHaveLength(22);
    for (const item of items) {
      expect(item).toEqual({
        id: expect.stringMatching(/^rotation-remediator#apply#/),
        status: 'COMPLETED',
      });
    }
  });

  it('a second sweep finds nothing left to do and changes nothing', async () => {
    // Prepare
    const world = seedWorld('again', { stuck: 3, running: 2, clean: 5 });
    await sweep(bundles.standard);
    emulator.resetCalls();

    // Act
    const report = await sweep(bundles.standard);

    // Assess
    expect(report).toMatchObject({ candidates: 2, stuck: 0, running: 2, remediated: 0 });
    expect(report.results).toEqual([]);
    expect(mutatingCalls()).toEqual([]);
    expect(world.running.filter(hasPending)).toEqual(world.running);
  });

  it('ROTATION_GRACE_SECONDS=0 treats every pending version as stuck', async () => {
    // Prepare
    const world = seedWorld('grace0', { stuck: 3, running: 5, clean: 4 });

    // Act
    const report = await sweep(bundles.graceZero);

    // Assess
    expect(report).toMatchObject({
      candidates: 8,
      stuck: 8,
      running: 0,
      remediated: 8,
      failed: 0,
      throttled: 0,
    });
    expect([...world.stuck, ...world.running].filter(hasPending)).toEqual([]);
  });

  it('a dry run plans only', async () => {
    // Prepare
    const world = seedWorld('dry', { stuck: 4, running: 2, clean: 4 });
    const itemsBefore = (await dynamoDb.items()).length;

    // Act
    const report = await sweep(bundles.standard, { dryRun: true });

    // Assess
    expect(report).toMatchObject({ dryRun: true, candidates: 6, stuck: 4, planned: 4 });
    expect(report.results.map((result) => result.rule)).toEqual(
      Array(4).fill('auto.unknown-step.discard')
    );
    expect(mutatingCalls()).toEqual([]);
    expect(world.stuck.filter(hasPending)).toEqual(world.stuck);
    expect(await dynamoDb.items()).toHaveLength(itemsBefore);
  });

  it('absorbs throttling with the SDK’s retries and counts it', async () => {
    // Prepare: the service throttles the first three cancels whatever our limiter does
    const world = seedWorld('throttled', { stuck: 5, clean: 3 });
    const fault = emulator.faults.inject({
      operation: 'CancelRotateSecret',
      kind: FaultKind.Error,
      errorName: 'ThrottlingException',
      times: 3,
    });

    // Act
    const report = await sweep(bundles.standard);

    // Assess
    expect(fault.hits).toBe(3);
    expect(report).toMatchObject({ stuck: 5, remediated: 5, failed: 0, throttled: 3 });
    expect(report.results.every((result) => result.error === undefined)).toBe(true);
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });
});

describe('the deadline', () => {
  it('stops before the deadline and the continuation picks up where it stopped', async () => {
    // Prepare: 1 s left per run, so each run starts work for half a second (the margin is the
    // other half). One worker examines at most burst + 25/s × 0.5 s = 14 candidates in that time
    // (each needs a ListSecretVersionIds token), so the 25 candidates cannot all fit in one run.
    const world = seedWorld('deadline', { stuck: 20, running: 5, clean: 30 });
    const reports: SweepReport[] = [];

    // Act
    let continuation: string | undefined;
    do {
      const report = await sweep(
        bundles.serial,
        continuation === undefined ? {} : { continuation, dryRun: false },
        1_000
      );
      reports.push(report);
      continuation = report.continuation;
    } while (continuation !== undefined && reports.length < 50);

    // Assess
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.at(-1)?.continuation).toBeUndefined();
    const total = (field: 'stuck' | 'running' | 'remediated' | 'failed' | 'throttled') =>
      reports.reduce((sum, report) => sum + report[field], 0);
    expect({
      stuck: total('stuck'),
      running: total('running'),
      remediated: total('remediated'),
      failed: total('failed'),
      throttled: total('throttled'),
    }).toEqual({ stuck: 20, running: 5, remediated: 20, failed: 0, throttled: 0 });
    const remediatedArns = reports.flatMap((report) =>
      report.results.filter((r) => r.status === 'remediated').map((r) => r.secretArn)
    );
    expect(remediatedArns.sort()).toEqual(arnsOf(world.stuck));
    for (const [index, report] of reports.slice(0, -1).entries()) {
      expect({ index, continued: report.continuation !== undefined }).toEqual({
        index,
        continued: true,
      });
    }
    expect(world.stuck.filter(hasPending)).toEqual([]);
    expect(world.running.filter(hasPending)).toEqual(world.running);
  });

  it('refuses an altered continuation before any AWS call', async () => {
    // Prepare
    seedWorld('tampered', { stuck: 3 });
    const first = await sweep(bundles.serial, {}, 1);
    const continuation = first.continuation ?? '';
    const [body = '', digest = ''] = continuation.split('.');
    const altered = `${body.slice(0, -2)}AA.${digest}`;
    emulator.resetCalls();

    // Act
    const outcome = await bundles.serial
      .handler({ sweep: { continuation: altered } }, lambdaContext())
      .then(
        () => 'answered',
        (error: Error) => error.name
      );

    // Assess
    expect(continuation).not.toBe('');
    expect(outcome).toBe('ValidationError');
    expect(emulator.calls).toEqual([]);
  });
});

/** A continuation sealed by hand (the format is public): what an attacker can make. */
const forgedContinuation = (fields: Record<string, unknown>): string =>
  sealJson({
    v: 1,
    l: true,
    p: [],
    d: false,
    s: '2026-01-01T00:00:00.000Z',
    r: 1,
    ...fields,
  });

describe('a continuation is a position, never a permission', () => {
  it.each([
    ['a forged live token, the request silent on dryRun', forgedContinuation({}), undefined],
    ['a forged live token, the request a dry run', forgedContinuation({}), true],
    ['a forged dry-run token, the request live', forgedContinuation({ d: true }), false],
    ['a token of another account', forgedContinuation({ a: '210987654321' }), false],
    ['a token of another region', forgedContinuation({ g: 'eu-west-3' }), false],
    [
      'a token whose pending secret is of another account',
      forgedContinuation({ p: ['arn:aws:secretsmanager:us-east-1:210987654321:secret:x-AbCdEf'] }),
      false,
    ],
    ['a token of another kind', forgedContinuation({ k: 'report' }), false],
  ] as const)('refuses %s before any AWS call', async (_case, continuation, dryRun) => {
    // Prepare
    emulator.resetCalls();
    // Act
    const outcome = await bundles.serial
      .handler({ sweep: { continuation, dryRun } }, lambdaContext())
      .then(
        () => 'answered',
        (error: Error) => error.name
      );
    // Assess
    expect(outcome).toBe('ValidationError');
    expect(emulator.calls).toEqual([]);
  });
});

describe('the audit trail of a sweep', () => {
  const capture = new LogCapture();
  afterEach(() => capture.stop());

  it('writes one sweep.started, one sweep.completed, and each remediation’s own trail', async () => {
    // Prepare
    const world = seedWorld('audit', { stuck: 2, running: 1, clean: 2 });
    capture.start();

    // Act
    const report = await sweep(bundles.logged, { reason: 'INC-4711 password=canary-7f3a9c' });
    capture.stop();

    // Assess
    const audits = capture
      .records()
      .map((record) => record.audit as Record<string, unknown> | undefined)
      .filter((audit) => audit !== undefined);
    const named = (event: string) => audits.filter((audit) => audit.event === event);
    expect(named('sweep.started')).toEqual([
      expect.objectContaining({
        trigger: 'sweep',
        dryRun: false,
        graceSeconds: 3600,
        reason: expect.stringMatching(/^INC-4711 /),
      }),
    ]);
    expect(capture.lines.join('\n')).not.toContain('canary-7f3a9c');
    expect(named('sweep.completed')).toEqual([
      expect.objectContaining({ trigger: 'sweep', stuck: 2, remediated: 2, failed: 0 }),
    ]);
    const requested = named('remediation.requested');
    expect(requested.map((audit) => audit.secretId).sort()).toEqual(arnsOf(world.stuck));
    for (const audit of requested) {
      expect(audit).toMatchObject({
        trigger: 'sweep',
        reason: expect.stringMatching(/^sweep: pending since \d{4}-\d\d-\d\dT/),
        pendingAction: 'auto',
      });
    }
    expect(named('remediation.completed')).toHaveLength(2);
    expect(report.remediated).toBe(2);
  });
});

describe('runSweep with a deadline that comes after a set number of checks', () => {
  let client: SecretsManagerClient;
  beforeAll(() => {
    client = new SecretsManagerClient({
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(() => client.destroy());

  /**
   * The sweep asks for the time left once when it starts (for its margin) and once before each
   * page and each candidate it starts; this clock answers 60 s `checks` times, then 0.
   */
  const deadlineAfter = (checks: number) => {
    let asked = 0;
    return () => (asked++ < checks ? 60_000 : 0);
  };

  const run = (request: Parameters<typeof runSweep>[1], secretsManager = client) =>
    runSweep(
      {
        secretsManager,
        config: {
          requiredTag: undefined,
          defaultPendingAction: 'auto',
          policy: { graceSeconds: 3600, unknownStepAction: 'discard' },
        },
        sweepConfig: { ...loadSweepConfig({}), concurrency: 1 },
        logger: new Logger({ logLevel: 'SILENT' }),
        limiter: new QuotaRateLimiter(0.5),
        remediate: (stuck) =>
          remediate(
            { secretsManager, policy: { graceSeconds: 3600, unknownStepAction: 'discard' } },
            stuck
          ),
      },
      request
    );

  it('finishes the work started, and resumes at the next page with what was left', async () => {
    // Prepare: page 1 holds a-stuck-* and 97 clean secrets, page 2 the 3 z-stuck-* (by name)
    const first = seedWorld('a', { stuck: 3, clean: 97 });
    const second = seedWorld('z', { stuck: 3 });

    // Act: start, list page 1, start its 3 candidates; the 6th check finds the time up
    const cut = await run({ request: {}, remainingTimeMs: deadlineAfter(5) });
    const continuation = decodeContinuation(cut.sweep.continuation ?? '');
    const resumed = await run({ request: { continuation } });

    // Assess
    expect(cut.sweep).toMatchObject({ candidates: 3, stuck: 3, remediated: 3, remaining: 0 });
    expect(continuation).toMatchObject({ listed: false, pending: [], dryRun: false, run: 1 });
    expect(continuation.nextToken).toEqual(expect.any(String));
    expect(resumed.sweep).toMatchObject({ candidates: 3, stuck: 3, remediated: 3, failed: 0 });
    expect(resumed.sweep.continuation).toBeUndefined();
    expect(resumed.sweep.results.map((r) => r.secretArn)).toEqual(arnsOf(second.stuck));
    expect([...first.stuck, ...second.stuck].filter(hasPending)).toEqual([]);
  });

  it('carries the candidates not yet started, and only those', async () => {
    // Prepare
    const world = seedWorld('carry', { stuck: 6 });

    // Act: start, list, start 2 candidates; the 5th check finds the time up
    const cut = await run({ request: {}, remainingTimeMs: deadlineAfter(4) });
    const continuation = decodeContinuation(cut.sweep.continuation ?? '');
    const resumed = await run({ request: { continuation } });

    // Assess
    expect(cut.sweep).toMatchObject({ candidates: 6, stuck: 2, remediated: 2, remaining: 4 });
    expect(continuation).toMatchObject({ listed: true, run: 1 });
    expect(continuation.nextToken).toBeUndefined();
    expect([...continuation.pending].sort()).toEqual(arnsOf(world.stuck).slice(2));
    expect(resumed.sweep).toMatchObject({ candidates: 4, stuck: 4, remediated: 4, remaining: 0 });
    expect(resumed.sweep.continuation).toBeUndefined();
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });

  it('a run with no time at all hands the whole sweep on', async () => {
    // Prepare
    const world = seedWorld('none', { stuck: 2 });

    // Act
    const cut = await run({ request: {}, remainingTimeMs: () => 0 });
    const callsOfCut = emulator.calls.length;
    const continuation = decodeContinuation(cut.sweep.continuation ?? '');
    const resumed = await run({ request: { continuation } });

    // Assess
    expect(callsOfCut).toBe(0);
    expect(cut.sweep).toMatchObject({ candidates: 0, remaining: 0 });
    expect(continuation).toEqual(expect.objectContaining({ listed: false, pending: [] }));
    expect(continuation.nextToken).toBeUndefined();
    expect(resumed.sweep).toMatchObject({ candidates: 2, remediated: 2 });
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });

  it('lists again from the start when a continuation’s NextToken has expired', async () => {
    // Prepare
    const world = seedWorld('expired', { stuck: 2, clean: 2 });
    const continuation = decodeContinuation(
      encodeContinuation({
        listed: false,
        nextToken: 'expired-token',
        pending: [],
        dryRun: false,
        startedAt: new Date().toISOString(),
        run: 1,
      })
    );

    // Act
    const resumed = await run({ request: { continuation } });

    // Assess
    expect(resumed.sweep).toMatchObject({ candidates: 2, remediated: 2, failed: 0 });
    expect(resumed.sweep.continuation).toBeUndefined();
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });

  it('fails visibly when ListSecrets fails for good, after finishing the work it started', async () => {
    // Prepare: page 1 lists fine, every later ListSecrets fails
    const world = seedWorld('a-listfail', { stuck: 2, clean: 98 });
    seedWorld('z-listfail', { stuck: 1 });
    emulator.faults.inject({
      operation: 'ListSecrets',
      nth: 2,
      times: 'always',
      kind: FaultKind.Error,
      errorName: 'InternalServiceError',
    });
    const impatient = new SecretsManagerClient({
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });

    // Act
    const outcome = await run({ request: {} }, impatient).then(
      () => 'resolved',
      (error: Error) => `${error.name}: ${error.message}`
    );
    impatient.destroy();

    // Assess
    expect(outcome).toMatch(
      /^AwsCallFailed: The sweep could not list secrets \(ListSecrets failed/
    );
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });
});
