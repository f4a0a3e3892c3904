/**
 * The built dist/handler.js, driven with direct commands, against Secrets Manager (the emulator, or
 * the endpoint in AWS_ENDPOINT_URL_SECRETS_MANAGER). Checks end states label by label and counts
 * every AWS call the bundle makes.
 */

import { DeleteSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RemediationReport } from '../../src/remediation/types.js';
import { lambdaContext } from '../helpers/bundle.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import { comparableLabels, readLabels } from '../helpers/labels.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import { loadSample, substituteSecret } from '../helpers/samples.js';
import {
  seedFailedRotation,
  seedStuckWithPublicCalls,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

const aws = useBundleAgainstAws();

beforeEach(() => aws.counter.reset());

const describeSecret = async (secretId: string) =>
  aws.target.client.send(new DescribeSecretCommand({ SecretId: secretId }));

const labelsOf = (secretId: string) => readLabels(aws.target.client, secretId);

const run = async (event: unknown): Promise<RemediationReport> => {
  aws.counter.reset();
  return (await aws.bundle.handler(event, lambdaContext())) as RemediationReport;
};

const mutatingCalls = (): string[] =>
  aws.counter
    .secretsManagerOperations()
    .filter((op) => (MUTATING_OPERATIONS as readonly string[]).includes(op));

/**
 * The calls of a remediation that read its evidence: the secret's versions (the pending version's
 * date, which ids are this secret's), then the rest.
 */
const withLookup = (calls: readonly string[]): string[] => [
  calls[0] ?? '',
  'ListSecretVersionIds',
  ...calls.slice(1),
];

describe('failed rotations (rotation enabled: the emulator seeds them, elsewhere RotateSecret does)', () => {
  it.each([
    {
      step: 'createSecret',
      pendingAction: 'auto',
      lookup: true,
      calls: ['DescribeSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'DescribeSecret'],
      labels: (v: Versions) => ({ [v.previous]: ['AWSPREVIOUS'], [v.current]: ['AWSCURRENT'] }),
    },
    {
      step: 'setSecret',
      pendingAction: 'discard',
      lookup: false,
      calls: ['DescribeSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'DescribeSecret'],
      labels: (v: Versions) => ({ [v.previous]: ['AWSPREVIOUS'], [v.current]: ['AWSCURRENT'] }),
    },
    {
      step: 'testSecret',
      pendingAction: 'discard',
      lookup: false,
      calls: ['DescribeSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'DescribeSecret'],
      labels: (v: Versions) => ({ [v.previous]: ['AWSPREVIOUS'], [v.current]: ['AWSCURRENT'] }),
    },
    {
      step: 'finishSecret',
      pendingAction: 'promote',
      lookup: true,
      calls: [
        'DescribeSecret',
        'CancelRotateSecret',
        'UpdateSecretVersionStage',
        'UpdateSecretVersionStage',
        'DescribeSecret',
      ],
      labels: (v: Versions) => ({ [v.current]: ['AWSPREVIOUS'], [v.pending]: ['AWSCURRENT'] }),
    },
  ] as const)(
    'failed at $step, $pendingAction: exact end state, minimum calls, then already-clean',
    async ({ step, pendingAction, lookup, calls, labels }) => {
      // Prepare
      const seeded = await seedFailedRotation(aws.target, { name: uniqueName(step), step });
      const versions: Versions = {
        previous: seeded.previousVersionId,
        current: seeded.currentVersionId,
        pending: seeded.pendingVersionId,
      };

      // Act
      // a discard or promote is a person's decision, pinned to the version it is for
      const pin =
        pendingAction === 'auto' ? {} : { expectedPendingVersionId: seeded.pendingVersionId };
      const report = await run({ secretId: seeded.name, pendingAction, reason: 'INC-1', ...pin });
      const firstCalls = aws.counter.secretsManagerOperations();
      const firstLookups = aws.counter.cloudTrailOperations();
      const second = await run({ secretId: seeded.arn, pendingAction });
      const secondCalls = aws.counter.secretsManagerOperations();

      // Assess
      expect(report.status).toBe('remediated');
      expect(report.secret).toEqual({ arn: seeded.arn, name: seeded.name });
      expect(firstCalls).toEqual(lookup ? withLookup(calls) : calls);
      expect(report.actions.map((a) => a.operation)).toEqual(calls.slice(1, -1));
      expect(report.actions.every((a) => typeof a.requestId === 'string')).toBe(true);
      if (!lookup) expect(firstLookups).toEqual([]);
      if (lookup && !aws.target.external) {
        expect(firstLookups).toEqual(['LookupEvents']);
        expect(report.decision).toMatchObject({
          failedStep: step,
          evidence: expect.objectContaining({ stepSource: 'history-exact' }),
        });
      }
      expect(report.before.rotationEnabled).toBe(true);
      expect(report.before.lastRotatedDate).not.toBeNull();
      expect(report.before.nextRotationDate).not.toBeNull();
      expect(report.after.rotationEnabled).toBe(false);
      expect(report.after.versionIdsToStages).toEqual(labels(versions));
      const described = await describeSecret(seeded.arn);
      expect(described.RotationEnabled).toBe(false);
      expect(described.RotationLambdaARN).toBeDefined();
      expect(comparableLabels(described.VersionIdsToStages)).toEqual(labels(versions));
      expect(second.status).toBe('already-clean');
      expect(secondCalls).toEqual(['DescribeSecret']);
    }
  );

  it('failed at testSecret with auto and no record of the step: UNKNOWN_STEP_ACTION decides', async () => {
    // Prepare
    const seeded = await seedFailedRotation(aws.target, {
      name: uniqueName('test-auto'),
      step: 'testSecret',
      failureRecord: false,
    });

    // Act
    const report = await run({ secretId: seeded.name });

    // Assess: the emulator answers the look-up and finds nothing; `npm run test:moto` turns it off
    // (moto 5.2 answers LookupEvents with HTTP 500). Either way the step stays unknown, and the
    // suite's UNKNOWN_STEP_ACTION=discard applies (a failed look-up holds: failed-step.test.ts)
    expect(report.failedStepLookup?.outcome).not.toBe('found');
    expect(report.decision).toMatchObject({
      requested: 'auto',
      failedStep: null,
      resolved: 'discard',
      rule: 'auto.unknown-step.discard',
      evidence: expect.objectContaining({ lookup: aws.target.external ? 'off' : 'complete' }),
    });
    expect(report.status).toBe('remediated');
  });

  it('a dry run reads the state (and the step) and changes nothing', async () => {
    // Prepare
    const seeded = await seedFailedRotation(aws.target, {
      name: uniqueName('dry'),
      step: 'finishSecret',
    });
    const before = await describeSecret(seeded.arn);

    // Act
    const report = await run({
      secretId: seeded.name,
      dryRun: true,
      pendingAction: 'promote',
      expectedPendingVersionId: seeded.pendingVersionId,
    });
    const calls = aws.counter.secretsManagerOperations();

    // Assess
    expect(calls).toEqual(['DescribeSecret', 'ListSecretVersionIds']);
    expect(report.status).toBe('planned');
    expect(report.dryRun).toBe(true);
    expect(report.actions.map((a) => a.operation)).toEqual([
      'CancelRotateSecret',
      'UpdateSecretVersionStage',
      'UpdateSecretVersionStage',
    ]);
    expect(report.after.versionIdsToStages).toEqual({
      [seeded.currentVersionId]: ['AWSPREVIOUS'],
      [seeded.pendingVersionId]: ['AWSCURRENT'],
    });
    const after = await describeSecret(seeded.arn);
    expect(after.VersionIdsToStages).toEqual(before.VersionIdsToStages);
    expect(after.RotationEnabled).toBe(true);
  });
});

interface Versions {
  previous: string;
  current: string;
  pending: string;
}

describe('RotationFailed at each step: the documented end state (rotation enabled)', () => {
  const discarded = (v: Versions) => ({
    [v.previous]: ['AWSPREVIOUS'],
    [v.current]: ['AWSCURRENT'],
  });
  it.each([
    {
      step: 'createSecret',
      status: 'remediated',
      rule: 'auto.discard',
      calls: ['DescribeSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'DescribeSecret'],
      labels: discarded,
    },
    {
      step: 'setSecret',
      status: 'remediated',
      rule: 'auto.discard',
      calls: ['DescribeSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'DescribeSecret'],
      labels: discarded,
    },
    {
      step: 'testSecret',
      status: 'needs-decision',
      rule: 'auto.testSecret.hold',
      calls: ['DescribeSecret', 'CancelRotateSecret', 'DescribeSecret'],
      labels: (v: Versions) => ({
        [v.previous]: ['AWSPREVIOUS'],
        [v.current]: ['AWSCURRENT'],
        [v.pending]: ['AWSPENDING'],
      }),
    },
    {
      step: 'finishSecret',
      status: 'remediated',
      rule: 'auto.finishSecret.promote',
      calls: [
        'DescribeSecret',
        'CancelRotateSecret',
        'UpdateSecretVersionStage',
        'UpdateSecretVersionStage',
        'DescribeSecret',
      ],
      labels: (v: Versions) => ({ [v.current]: ['AWSPREVIOUS'], [v.pending]: ['AWSCURRENT'] }),
    },
  ] as const)(
    'failed at $step → $status ($rule)',
    async ({ step, status, rule, calls, labels }) => {
      // Prepare
      const seeded = await seedFailedRotation(aws.target, {
        name: uniqueName(`rf-${step}`),
        step,
      });
      const versions: Versions = {
        previous: seeded.previousVersionId,
        current: seeded.currentVersionId,
        pending: seeded.pendingVersionId,
      };
      const event = substituteSecret(loadSample(`rotation-failed-${step}.json`), seeded);

      // Act
      const report = await run(event);
      const firstCalls = aws.counter.secretsManagerOperations();
      const lookups = aws.counter.cloudTrailOperations();
      const again = await run(event);
      const secondCalls = aws.counter.secretsManagerOperations();

      // Assess
      expect(report.status).toBe(status);
      expect(report.decision).toMatchObject({
        rule,
        failedStep: step,
        evidence: expect.objectContaining({ stepSource: 'event', eventTie: 'exact' }),
      });
      // the event's requestID names the pending version: it is tied by it alone, with no
      // ListSecretVersionIds and no history look-up (the minimum calls)
      expect(firstCalls).toEqual(calls);
      expect(lookups).toEqual([]);
      const described = await describeSecret(seeded.arn);
      expect(described.RotationEnabled).toBe(false);
      expect(comparableLabels(described.VersionIdsToStages)).toEqual(labels(versions));
      expect(again.status).toBe(status === 'remediated' ? 'already-clean' : status);
      // a held secret still has AWSPENDING: the event is tied again (and holds again)
      expect(secondCalls).toEqual(['DescribeSecret']);
    }
  );
});

describe('stuck secrets seeded with public calls (any endpoint)', () => {
  it.each([
    {
      pendingAction: 'discard',
      calls: ['DescribeSecret', 'UpdateSecretVersionStage', 'DescribeSecret'],
      labels: (v: Versions) => ({ [v.previous]: ['AWSPREVIOUS'], [v.current]: ['AWSCURRENT'] }),
    },
    {
      pendingAction: 'promote',
      calls: [
        'DescribeSecret',
        'ListSecretVersionIds',
        'UpdateSecretVersionStage',
        'UpdateSecretVersionStage',
        'DescribeSecret',
      ],
      labels: (v: Versions) => ({ [v.current]: ['AWSPREVIOUS'], [v.pending]: ['AWSCURRENT'] }),
    },
  ] as const)(
    '$pendingAction reaches the exact end state',
    async ({ pendingAction, calls, labels }) => {
      // Prepare
      const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName(pendingAction));
      const versions = {
        previous: seeded.previousVersionId,
        current: seeded.currentVersionId,
        pending: seeded.pendingVersionId,
      };

      // Act
      // pinned by a person: a discard needs no evidence, a promote the step (never createSecret)
      const report = await run({
        secretId: seeded.arn,
        pendingAction,
        expectedPendingVersionId: seeded.pendingVersionId,
      });
      const first = aws.counter.secretsManagerOperations();
      const second = await run({ secretId: seeded.name, pendingAction });
      const secondCalls = aws.counter.secretsManagerOperations();

      // Assess
      expect(first).toEqual(calls);
      expect(report.status).toBe('remediated');
      expect(await labelsOf(seeded.arn)).toEqual(labels(versions));
      expect(second.status).toBe('already-clean');
      expect(secondCalls).toEqual(['DescribeSecret']);
    }
  );

  it('refuses a secret marked for deletion with one read and no change', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('deleted'));
    await aws.target.client.send(
      new DeleteSecretCommand({ SecretId: seeded.arn, RecoveryWindowInDays: 7 })
    );
    const before = await labelsOf(seeded.arn);

    // Act
    const report = await run({ secretId: seeded.arn, pendingAction: 'discard' });

    // Assess
    expect(report.status).toBe('refused');
    expect(report.decision.rule).toBe('refuse.marked-for-deletion');
    expect(aws.counter.secretsManagerOperations()).toEqual(['DescribeSecret']);
    expect(await labelsOf(seeded.arn)).toEqual(before);
  });

  it('refuses when the expected pending version does not match', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('expected'));

    // Act
    const report = await run({
      secretId: seeded.arn,
      expectedPendingVersionId: seeded.currentVersionId,
    });

    // Assess
    expect(report.status).toBe('refused');
    expect(report.decision.rule).toBe('refuse.pending-version-mismatch');
    expect(mutatingCalls()).toEqual([]);
  });

  it('reports a missing secret as SecretNotFound', async () => {
    // Act
    const outcome = run({ secretId: uniqueName('missing') });

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'SecretNotFound' });
    expect(aws.counter.secretsManagerOperations()).toEqual(['DescribeSecret']);
  });

  it.each([
    { name: 'missing secretId', event: { dryRun: true, secretId: undefined }, field: 'secretId' },
    { name: 'empty secretId', event: { secretId: '' }, field: 'secretId' },
    { name: 'bad characters', event: { secretId: 'a b;c' }, field: 'secretId' },
    { name: 'too long', event: { secretId: 'a'.repeat(2049) }, field: 'secretId' },
    { name: 'wrong type', event: { secretId: 42 }, field: 'secretId' },
    { name: 'typo dryrun', event: { secretId: 'app/db', dryrun: true }, field: 'dryrun' },
    {
      name: 'bad pendingAction',
      event: { secretId: 'app/db', pendingAction: 'yolo' },
      field: 'pendingAction',
    },
    { name: 'dryRun as a string', event: { secretId: 'app/db', dryRun: 'false' }, field: 'dryRun' },
    {
      name: 'reason too long',
      event: { secretId: 'app/db', reason: 'x'.repeat(1025) },
      field: 'reason',
    },
    {
      name: 'bad expected version',
      event: { secretId: 'app/db', expectedPendingVersionId: 'v1' },
      field: 'expectedPendingVersionId',
    },
  ])(
    'rejects $name as ValidationError naming $field, with no AWS call',
    async ({ event, field }) => {
      // Act
      const outcome = run(event);

      // Assess
      await expect(outcome).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining(field),
      });
      expect(aws.counter.calls).toEqual([]);
    }
  );

  it.each([null, [], 'app/db', 42, {}])(
    'rejects the event %p as ValidationError',
    async (event) => {
      // Act
      const outcome = run(event);

      // Assess
      await expect(outcome).rejects.toMatchObject({ name: 'ValidationError' });
      expect(aws.counter.calls).toEqual([]);
    }
  );
});
