/**
 * Decisions on evidence tied to this failure, through the built bundle and the CLI, with the
 * production defaults (ROTATION_GRACE_SECONDS=3600, UNKNOWN_STEP_ACTION=hold): stale and replayed
 * events write nothing, an in-flight rotation is deferred, a promote needs a person's pin, and an
 * event of another account acts only when that account is trusted. Runs on any endpoint (the
 * emulator, or moto under `npm run test:moto`); what needs a back-dated version or a seeded
 * history record is emulator-only and says why.
 */
import { resolve } from 'node:path';
import { DescribeSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { RemediationReport } from '../../src/remediation/types.js';
import { runProcess } from '../../tools/process.js';
import type { Bundle } from '../helpers/bundle.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import { childAwsEnv } from '../helpers/child-env.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import { loadSample, substituteSecret } from '../helpers/samples.js';
import type { SeededSecret } from '../helpers/secrets-manager-target.js';
import {
  describeEmulatorOnly,
  seedFailedRotation,
  seedStuckWithPublicCalls,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
const HOUR_MS = 3_600_000;
const OTHER_ACCOUNT = '999999999999';
/** The production defaults, and both Secrets Manager events acted on. */
const DEFAULTS = {
  ROTATION_GRACE_SECONDS: '3600',
  UNKNOWN_STEP_ACTION: 'hold',
  ACT_ON_EVENTS: 'RotationFailed,TestRotationFailed',
};

const aws = useBundleAgainstAws(DEFAULTS);
let trusting: Bundle;

beforeAll(() => {
  // the same defaults, with the other account's events trusted (a central bus)
  process.env.TRUSTED_EVENT_ACCOUNTS = OTHER_ACCOUNT;
  trusting = loadBundle();
  delete process.env.TRUSTED_EVENT_ACCOUNTS;
});

beforeEach(() => aws.counter.reset());

/** What a write would change: rotation and the label map. */
const snapshot = async (secretId: string) => {
  const described = await aws.target.client.send(new DescribeSecretCommand({ SecretId: secretId }));
  return {
    rotationEnabled: described.RotationEnabled ?? null,
    labels: described.VersionIdsToStages ?? {},
  };
};

/** The mutating calls this process made since the last reset. */
const writes = (): string[] =>
  aws.counter.calls
    .map((call) => call.operation)
    .filter((operation) => (MUTATING_OPERATIONS as readonly string[]).includes(operation));

/** The report an answer carries (HTTP: its body). */
const reportOf = (answer: unknown): RemediationReport => {
  const http = answer as { body?: string };
  return (http.body === undefined ? answer : JSON.parse(http.body)) as RemediationReport;
};

/** A Secrets Manager event of `secret`, at `at`, with its requestID naming `requestVersion`. */
const rotationEvent = (
  secret: SeededSecret,
  options: { name?: string; step?: string; at?: Date; requestVersion?: string } = {}
) => {
  const event = substituteSecret(
    loadSample(`rotation-failed-${options.step ?? 'finishSecret'}.json`),
    { ...secret, pendingVersionId: options.requestVersion },
    options.at
  );
  const detail = (event as { detail: Record<string, unknown> }).detail;
  return { ...event, detail: { ...detail, eventName: options.name ?? 'RotationFailed' } };
};

/** Runs the CLI with the production defaults against the test's endpoints. */
const cli = (args: readonly string[]) =>
  runProcess(process.execPath, [CLI, ...args], {
    env: childAwsEnv({ HOME: process.env.HOME, ...DEFAULTS }),
  });

describe('stale and replayed events write nothing', () => {
  it.each([
    { name: 'RotationFailed', step: 'finishSecret' },
    { name: 'TestRotationFailed', step: 'testSecret' },
  ])(
    'a $name event older than the pending version (a redrive, a replay)',
    async ({ name, step }) => {
      // Prepare: the pending version is at most an hour old; the event is from three hours ago
      const secret = await seedFailedRotation(aws.target, {
        name: uniqueName('stale'),
        step: 'setSecret',
      });
      const before = await snapshot(secret.arn);
      aws.counter.reset();
      const event = rotationEvent(secret, { name, step, at: new Date(Date.now() - 3 * HOUR_MS) });

      // Act
      const report = reportOf(await aws.bundle.handler(event, lambdaContext()));

      // Assess
      expect(report.status).toBe('stale');
      expect(report.decision).toMatchObject({
        rule: 'stale.event-older-than-pending',
        evidence: expect.objectContaining({ eventTie: 'stale-older', stepSource: 'none' }),
      });
      expect(writes()).toEqual([]);
      expect(await snapshot(secret.arn)).toEqual(before);
    }
  );

  it.each([
    { name: 'RotationFailed', step: 'finishSecret' },
    { name: 'TestRotationFailed', step: 'testSecret' },
  ])('a $name event naming a version that no longer holds AWSPENDING', async ({ name, step }) => {
    // Prepare
    const secret = await seedFailedRotation(aws.target, {
      name: uniqueName('superseded'),
      step: 'setSecret',
    });
    const before = await snapshot(secret.arn);
    aws.counter.reset();
    const event = rotationEvent(secret, { name, step, requestVersion: secret.currentVersionId });

    // Act
    const report = reportOf(await aws.bundle.handler(event, lambdaContext()));

    // Assess
    expect(report.status).toBe('stale');
    expect(report.decision.rule).toBe('stale.superseded-version');
    expect(writes()).toEqual([]);
    expect(await snapshot(secret.arn)).toEqual(before);
  });

  it('the event of a failure that was fixed, replayed after a new rotation failed', async () => {
    // Prepare: a setSecret failure, remediated by its own event
    const secret = await seedFailedRotation(aws.target, {
      name: uniqueName('replay'),
      step: 'setSecret',
    });
    const event = rotationEvent(secret, {
      step: 'setSecret',
      requestVersion: secret.pendingVersionId,
    });
    expect(reportOf(await aws.bundle.handler(event, lambdaContext())).status).toBe('remediated');
    // a later rotation left a new AWSPENDING
    await aws.target.client.send(
      new PutSecretValueCommand({
        SecretId: secret.arn,
        ClientRequestToken: 'e0000000-0000-4000-8000-00000000a11e',
        SecretString: '{"password":"not read by the remediator"}',
        VersionStages: ['AWSPENDING'],
      })
    );
    const before = await snapshot(secret.arn);
    aws.counter.reset();

    // Act: the first event again (an EventBridge archive replay)
    const report = reportOf(await aws.bundle.handler(event, lambdaContext(30_000, 'req-replay')));

    // Assess
    expect(report.status).toBe('stale');
    expect(report.decision.evidence.eventTie).toMatch(/^stale-/);
    expect(writes()).toEqual([]);
    expect(await snapshot(secret.arn)).toEqual(before);
  });
});

describe('in flight is not failed', () => {
  const TRIGGERS = {
    'alarm via EventBridge': (secret: SeededSecret) =>
      aws.bundle.handler(
        substituteSecret(loadSample('alarm-eventbridge-secretid-dimension.json'), secret),
        lambdaContext()
      ),
    HTTP: (secret: SeededSecret) =>
      aws.bundle.handler(
        substituteSecret(loadSample('http-api-v2-post.json'), secret),
        lambdaContext()
      ),
    direct: (secret: SeededSecret) => aws.bundle.handler({ secretId: secret.arn }, lambdaContext()),
    CLI: async (secret: SeededSecret) =>
      JSON.parse((await cli(['remediate', '--secret-id', secret.arn, '--json'])).stdout) as unknown,
  } as const;

  it.each(Object.keys(TRIGGERS) as (keyof typeof TRIGGERS)[])(
    '%s: a pending version seconds old, no record: deferred, no write',
    async (trigger) => {
      // Prepare
      const secret = await seedStuckWithPublicCalls(aws.target, uniqueName('young'));
      const before = await snapshot(secret.arn);
      aws.counter.reset();
      aws.counter.reset();

      // Act
      const answer = await TRIGGERS[trigger](secret);

      // Assess
      const report = reportOf(answer);
      expect(report.status).toBe('deferred');
      expect(report.decision).toMatchObject({
        rule: 'defer.in-flight',
        evidence: expect.objectContaining({
          record: null,
          pendingVersionId: secret.pendingVersionId,
        }),
      });
      expect(report.retryAfterSeconds).toBeGreaterThan(0);
      expect(report.actions).toEqual([]);
      if (trigger === 'HTTP') {
        expect(answer).toMatchObject({
          statusCode: 202,
          headers: { 'retry-after': String(report.retryAfterSeconds) },
        });
      }
      expect(writes()).toEqual([]);
      expect(await snapshot(secret.arn)).toEqual(before);
    }
  );

  it('a pinned human decision is not deferred', async () => {
    // Prepare
    const secret = await seedStuckWithPublicCalls(aws.target, uniqueName('young-pinned'));

    // Act
    const report = reportOf(
      await aws.bundle.handler(
        {
          secretId: secret.arn,
          pendingAction: 'discard',
          expectedPendingVersionId: secret.pendingVersionId,
        },
        lambdaContext()
      )
    );

    // Assess
    expect(report).toMatchObject({ status: 'remediated', decision: { rule: 'requested.discard' } });
  });
});

describeEmulatorOnly(
  'in flight, then past the grace period',
  'a back-dated pending version and a seeded RotationFailed record are emulator seeds',
  () => {
    const seedAged = (ageMs: number, record: boolean) =>
      aws.target.emulator?.store.seedFailedRotation({
        name: uniqueName('aged'),
        step: 'setSecret',
        pendingCreatedAt: new Date(Date.now() - ageMs),
        ...(record ? {} : { failureRecord: false as const }),
      });

    it.each([
      {
        case: 'seconds old, no record',
        ageMs: 5_000,
        record: false,
        status: 'deferred',
        rule: 'defer.in-flight',
      },
      {
        case: 'past the grace period, no record',
        ageMs: 2 * HOUR_MS,
        record: false,
        status: 'needs-decision',
        rule: 'auto.unknown-step.hold',
      },
      {
        case: 'seconds old, its record naming setSecret',
        ageMs: 5_000,
        record: true,
        status: 'remediated',
        rule: 'auto.discard',
      },
    ])('$case → $status ($rule)', async ({ ageMs, record, status, rule }) => {
      // Prepare
      const secret = seedAged(ageMs, record);

      // Act
      const report = reportOf(await aws.bundle.handler({ secretId: secret?.arn }, lambdaContext()));

      // Assess
      expect(report).toMatchObject({ status, decision: { rule } });
    });

    it('a pinned promote after a createSecret failure: refused, no write', async () => {
      // Prepare
      const secret = aws.target.emulator?.store.seedFailedRotation({
        name: uniqueName('create'),
        step: 'createSecret',
      });
      const before = await snapshot(secret?.arn ?? '');
      aws.counter.reset();

      // Act
      const report = reportOf(
        await aws.bundle.handler(
          {
            secretId: secret?.arn,
            pendingAction: 'promote',
            expectedPendingVersionId: secret?.pendingVersionId,
          },
          lambdaContext()
        )
      );

      // Assess
      expect(report).toMatchObject({
        status: 'refused',
        decision: { rule: 'refuse.promote-after-createSecret' },
      });
      expect(writes()).toEqual([]);
      expect(await snapshot(secret?.arn ?? '')).toEqual(before);
    });
  }
);

describe('a promote is a pinned human decision', () => {
  const unpinned = {
    direct: (secret: SeededSecret) =>
      aws.bundle.handler({ secretId: secret.arn, pendingAction: 'promote' }, lambdaContext()),
    HTTP: (secret: SeededSecret) => {
      const event = loadSample('http-api-v2-post.json') as { body: string };
      return aws.bundle.handler(
        { ...event, body: JSON.stringify({ secretId: secret.arn, pendingAction: 'promote' }) },
        lambdaContext()
      );
    },
    CLI: async (secret: SeededSecret) =>
      JSON.parse(
        (await cli(['remediate', '--secret-id', secret.arn, '--pending', 'promote', '--json']))
          .stdout
      ) as unknown,
  } as const;

  it.each(Object.keys(unpinned) as (keyof typeof unpinned)[])(
    '%s: an unpinned promote is refused, no write',
    async (channel) => {
      // Prepare
      const secret = await seedStuckWithPublicCalls(aws.target, uniqueName('unpinned'));
      const before = await snapshot(secret.arn);
      aws.counter.reset();
      aws.counter.reset();

      // Act
      const report = reportOf(await unpinned[channel](secret));

      // Assess
      expect(report).toMatchObject({
        status: 'refused',
        decision: { rule: 'refuse.promote-unpinned' },
      });
      expect(report.reason).toContain(secret.pendingVersionId);
      expect(await snapshot(secret.arn)).toEqual(before);
    }
  );

  it('a pinned promote with the step unknown: done', async () => {
    // Prepare
    const secret = await seedStuckWithPublicCalls(aws.target, uniqueName('pinned'));

    // Act
    const report = reportOf(
      await aws.bundle.handler(
        {
          secretId: secret.arn,
          pendingAction: 'promote',
          expectedPendingVersionId: secret.pendingVersionId,
        },
        lambdaContext()
      )
    );

    // Assess
    expect(report).toMatchObject({
      status: 'remediated',
      decision: { rule: 'requested.promote', failedStep: null },
    });
    expect((await snapshot(secret.arn)).labels[secret.pendingVersionId]).toEqual(['AWSCURRENT']);
  });
});

describe('events act in their own account only', () => {
  const fromOtherAccount = {
    'an alarm via EventBridge': (secret: SeededSecret) => ({
      ...substituteSecret(loadSample('alarm-eventbridge-secretid-dimension.json'), secret),
      account: OTHER_ACCOUNT,
    }),
    'an alarm action': (secret: SeededSecret) => ({
      ...substituteSecret(loadSample('alarm-action.json'), secret),
      accountId: OTHER_ACCOUNT,
    }),
    'a RotationFailed event': (secret: SeededSecret) => ({
      ...rotationEvent(secret, { step: 'setSecret', requestVersion: secret.pendingVersionId }),
      account: OTHER_ACCOUNT,
    }),
  } as const;
  const cases = Object.keys(fromOtherAccount) as (keyof typeof fromOtherAccount)[];

  it.each(cases)('%s from another account: refused, no write', async (shape) => {
    // Prepare
    const secret = await seedFailedRotation(aws.target, {
      name: uniqueName('foreign'),
      step: 'setSecret',
    });
    const before = await snapshot(secret.arn);
    aws.counter.reset();

    // Act
    const outcome = aws.bundle.handler(fromOtherAccount[shape](secret), lambdaContext());

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        `names account ${OTHER_ACCOUNT}, not this function's account 123456789012`
      ),
    });
    expect(writes()).toEqual([]);
    expect(await snapshot(secret.arn)).toEqual(before);
  });

  it.each(cases)('%s from an account in TRUSTED_EVENT_ACCOUNTS: acted on', async (shape) => {
    // Prepare: old enough, and its failure recorded, wherever that can be seeded
    const secret = await seedFailedRotation(aws.target, {
      name: uniqueName('trusted'),
      step: 'setSecret',
    });

    // Act
    const report = reportOf(
      await trusting.handler(fromOtherAccount[shape](secret), lambdaContext())
    );

    // Assess: acted on, by its evidence: the emulator seeds the version an hour old with its
    // record; elsewhere the version is new and has no record, so only the tied event acts
    const acts = aws.target.emulator !== undefined || shape === 'a RotationFailed event';
    expect(report.secret.arn).toBe(secret.arn);
    expect(report).toMatchObject(
      acts
        ? { status: 'remediated', decision: { failedStep: 'setSecret' } }
        : { status: 'deferred', decision: { rule: 'defer.in-flight' } }
    );
  });
});
