/**
 * Act once per failure: the built dist/handler.js with Powertools idempotency on DynamoDB
 * (dynalite, or AWS_ENDPOINT_URL_DYNAMODB) against Secrets Manager (emulator, or
 * AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */

import type { RemediationReport } from '../../src/remediation/types.js';
import { lambdaContext } from '../helpers/bundle.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import { useBundleAgainstAws } from '../helpers/local-aws.js';
import {
  describeEmulatorOnly,
  seedStuckWithPublicCalls,
  uniqueName,
} from '../helpers/secrets-manager-target.js';
import { waitUntil } from '../helpers/wait-until.js';

const aws = useBundleAgainstAws();

beforeEach(() => {
  aws.counter.reset();
  aws.target.emulator?.faults.clear();
  aws.target.emulator?.hooks.clear();
});

const mutatingCalls = (): string[] =>
  aws.counter
    .secretsManagerOperations()
    .filter((op) => (MUTATING_OPERATIONS as readonly string[]).includes(op));

/** Settles an invocation into its report or its error name. */
const settle = async (
  promise: Promise<unknown>
): Promise<RemediationReport | { error: string }> => {
  try {
    return (await promise) as RemediationReport;
  } catch (error) {
    return { error: (error as Error).name };
  }
};

/** Idempotency records still marked in progress: locks. */
const locksHeld = async () =>
  (await aws.dynamoDb.items()).filter((item) => JSON.stringify(item).includes('INPROGRESS'));

describe('duplicates', () => {
  it('20 identical requests at once: one remediates, the others get RemediationInProgress or a replay', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('dup20'));
    // hold the winner's write until all 20 duplicates have read the stuck state
    const emulator = aws.target.emulator;
    emulator?.hooks.beforeApply('UpdateSecretVersionStage', () =>
      waitUntil(
        () =>
          emulator.calls.filter(
            (c) => c.operation === 'DescribeSecret' && c.secretId === seeded.arn
          ).length >= 20
      )
    );
    const event = { secretId: seeded.arn, pendingAction: 'discard', reason: 'duplicate storm' };
    aws.counter.reset();

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        settle(aws.bundle.handler(event, lambdaContext(30_000, `dup-${i}`)))
      )
    );

    // Assess
    expect(mutatingCalls()).toEqual(['UpdateSecretVersionStage']);
    const fresh = outcomes.filter(
      (o) => 'status' in o && o.status === 'remediated' && o.replayed !== true
    );
    expect(fresh).toHaveLength(1);
    const others = outcomes.filter((o) => !fresh.includes(o));
    for (const other of others) {
      const acceptable =
        ('error' in other && other.error === 'RemediationInProgress') ||
        ('status' in other && other.replayed === true) ||
        // without the emulator's latency a late duplicate may read the repaired state
        (aws.target.external && 'status' in other && other.status === 'already-clean');
      expect({ acceptable, other }).toEqual({ acceptable: true, other });
    }
    expect(await locksHeld()).toEqual([]);
  });

  it('dry runs are not recorded', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('dry'));
    const before = (await aws.dynamoDb.items()).length;
    aws.counter.reset();

    // Act
    const report = (await aws.bundle.handler(
      { secretId: seeded.arn, dryRun: true },
      lambdaContext()
    )) as RemediationReport;
    const calls = aws.counter.calls.map((c) => c.operation);

    // Assess
    expect(report.status).toBe('planned');
    // the read calls of a dry run (the step is looked up, as for a real run), and no DynamoDB call
    expect(calls.filter((call) => call !== 'LookupEvents')).toEqual([
      'DescribeSecret',
      'ListSecretVersionIds',
    ]);
    // the look-up is made, except under `npm run test:moto`, which turns it off
    expect(calls.includes('LookupEvents')).toBe(!aws.target.external);
    expect((await aws.dynamoDb.items()).length).toBe(before);
  });

  it('read-only outcomes never load or touch DynamoDB', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('clean'));
    await aws.bundle.handler({ secretId: seeded.arn, pendingAction: 'discard' }, lambdaContext());
    aws.counter.reset();

    // Act
    const report = (await aws.bundle.handler(
      { secretId: seeded.arn },
      lambdaContext()
    )) as RemediationReport;

    // Assess
    expect(report.status).toBe('already-clean');
    expect(aws.counter.calls.map((c) => c.operation)).toEqual(['DescribeSecret']);
  });
});

describeEmulatorOnly(
  'a duplicate held back by a race hook',
  "race hook: the duplicate's DescribeSecret answer is held back until the first run finished",
  () => {
    it('a duplicate that planned before the first finished receives the stored report, marked replayed', async () => {
      // Prepare
      const emulator = aws.target.emulator;
      if (emulator === undefined) throw new Error('emulator-only scenario');
      const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('replay'));
      const event = { secretId: seeded.arn, pendingAction: 'discard' };
      // the duplicate's DescribeSecret reads the stuck state, then its answer is held back
      emulator.faults.inject({
        operation: 'DescribeSecret',
        nth: 2,
        kind: 'latency',
        latencyMs: 500,
      });
      aws.counter.reset();

      // Act
      const firstPromise = aws.bundle.handler(event, lambdaContext());
      const secondPromise = settle(aws.bundle.handler(event, lambdaContext()));
      const first = (await firstPromise) as RemediationReport;
      const second = await secondPromise;

      // Assess
      expect(first.status).toBe('remediated');
      expect(mutatingCalls()).toEqual(['UpdateSecretVersionStage']);
      expect(second).toEqual({ ...first, replayed: true });
    });
  }
);

describeEmulatorOnly(
  'failures and time-outs (fault injection)',
  'fault injection: UpdateSecretVersionStage failing on every call; CancelRotateSecret answering after the Lambda deadline',
  () => {
    it('a remediation that fails in the middle leaves no record, and the retry completes', async () => {
      // Prepare
      const emulator = aws.target.emulator;
      if (emulator === undefined) throw new Error('emulator-only scenario');
      const seeded = emulator.store.seedFailedRotation({
        name: uniqueName('midfail'),
        step: 'setSecret',
      });
      emulator.faults.inject({
        operation: 'UpdateSecretVersionStage',
        kind: 'error',
        errorName: 'InternalServiceError',
        times: 'always',
      });
      const event = { secretId: seeded.arn };
      const itemsBefore = (await aws.dynamoDb.items()).length;

      // Act
      const failed = await settle(aws.bundle.handler(event, lambdaContext()));
      const itemsAfterFailure = await aws.dynamoDb.items();
      emulator.faults.clear();
      const retry = (await aws.bundle.handler(event, lambdaContext())) as RemediationReport;

      // Assess
      expect(failed).toEqual({ error: 'AwsCallFailed' });
      expect(itemsAfterFailure).toHaveLength(itemsBefore);
      expect(retry.status).toBe('remediated');
      // the cancel went through the first time; the retry re-read and only discards
      expect(retry.actions.map((a) => a.operation)).toEqual(['UpdateSecretVersionStage']);
      expect(emulator.store.labels(seeded.arn)).toEqual({
        [seeded.previousVersionId]: ['AWSPREVIOUS'],
        [seeded.currentVersionId]: ['AWSCURRENT'],
      });
    });

    it('a run that outlives its Lambda deadline does not hold the lock past its in-progress expiry', async () => {
      // Prepare
      const emulator = aws.target.emulator;
      if (emulator === undefined) throw new Error('emulator-only scenario');
      const seeded = emulator.store.seedFailedRotation({
        name: uniqueName('timeout'),
        step: 'setSecret',
      });
      // the first invocation's cancel hangs far beyond its 300 ms of remaining time
      emulator.faults.inject({
        operation: 'CancelRotateSecret',
        kind: 'latency',
        latencyMs: 2_500,
      });
      const event = { secretId: seeded.arn };

      // Act
      const stuck = settle(aws.bundle.handler(event, lambdaContext(300, 'timed-out')));
      await new Promise((resolve) => setTimeout(resolve, 600));
      const retry = (await aws.bundle.handler(
        event,
        lambdaContext(30_000, 'retry')
      )) as RemediationReport;
      await stuck;

      // Assess
      expect(retry.status).toBe('remediated');
      expect(Object.values(emulator.store.labels(seeded.arn)).flat()).not.toContain('AWSPENDING');
      expect(emulator.store.describe(seeded.arn).RotationEnabled).toBe(false);
      expect(await locksHeld()).toEqual([]);
    });
  }
);
