/**
 * Runs that outlive the Lambda's remaining time, through the built dist/handler.js. The lock a run
 * takes expires with the run's in-progress expiry (its deadline), never with the record's TTL, and
 * the retry completes. A run the runtime "kills" is simulated by a remediation that fails after
 * taking the lock while the lock's release (DeleteItem) never arrives.
 */
import { FaultKind } from '../../emulator/secrets-manager/index.js';
import { DynamoDbOperation } from '../helpers/faulty-dynamodb.js';
import { LogCapture } from '../helpers/log-capture.js';
import { uniqueName } from '../helpers/secrets-manager-target.js';
import { writeCounters } from './report/counters.js';
import type { BundleWorld } from './support/bundle-world.js';
import { startBundleWorld } from './support/bundle-world.js';
import { canonicalLabels, storedState } from './support/truth.js';
import type { IdempotencyItem } from './support/world.js';
import { describeOutcome, stuckLocks, waitForLocksToExpire } from './support/world.js';

let world: BundleWorld;
const capture = new LogCapture();
const figures = { run: 0, completed: 0, wrongStates: 0, stuckLocks: 0 };

beforeAll(async () => {
  world = await startBundleWorld();
  capture.start();
});

afterEach(() => {
  world.emulator.faults.clear();
  world.emulator.hooks.clear();
  world.dynamo.faults.clear();
});

afterAll(async () => {
  capture.stop();
  await world.stop();
  writeCounters('timeouts', {
    timeouts: { run: figures.run, completed: figures.completed },
    wrongStates: figures.wrongStates,
    stuckLocks: figures.stuckLocks,
  });
});

/** Seeds a secret stuck at setSecret (auto → cancel and discard). */
const seedStuck = () =>
  world.emulator.store.seedFailedRotation({ name: uniqueName('deadline'), step: 'setSecret' });

/** Makes the next run "die" holding its lock: it fails after locking and never releases it. */
const killAfterLocking = (): void => {
  world.emulator.faults.inject({
    operation: 'CancelRotateSecret',
    kind: FaultKind.Error,
    errorName: 'InternalServiceError',
    times: 'always',
  });
  world.dynamo.inject({
    operation: DynamoDbOperation.DeleteItem,
    kind: FaultKind.DropBeforeApply,
    times: 'always',
  });
};

/** Ids of the records written before the current case (they belong to other cases). */
let earlier = new Set<string>();

beforeEach(async () => {
  earlier = new Set((await world.items()).map((item) => item.id));
});

/** The records the current case wrote. */
const caseItems = async (): Promise<IdempotencyItem[]> =>
  (await world.items()).filter((item) => !earlier.has(item.id));

/** The current case's locks. */
const locksOf = async (): Promise<IdempotencyItem[]> =>
  (await caseItems()).filter((item) => item.status === 'INPROGRESS');

/** Records the figures of one case: wrong end state, stuck locks. */
const tally = async (arn: string, expectedLabels: Record<string, string[]>) => {
  const stored = storedState(world.emulator, arn);
  const locks = stuckLocks(await caseItems(), world.latestDeadline());
  const expected = { labels: canonicalLabels(expectedLabels), rotationEnabled: false };
  if (JSON.stringify(stored) !== JSON.stringify(expected)) figures.wrongStates += 1;
  figures.stuckLocks += locks.length;
  return { stored, expected, locks };
};

describe('runs that exceed the remaining time', () => {
  it('a lock taken after the deadline still expires with it, and the retry completes', async () => {
    // Prepare: the first read outlasts the 300 ms the run has, so the lock is written with 0 ms left
    const seeded = seedStuck();
    const event = { secretId: seeded.arn };
    world.emulator.faults.inject({
      operation: 'DescribeSecret',
      kind: FaultKind.Latency,
      latencyMs: 600,
    });
    killAfterLocking();
    figures.run += 1;

    // Act
    const dead = await world.invoke(event, 'deadline-zero:dead', 300);
    const [lock] = await locksOf();
    world.emulator.faults.clear();
    world.dynamo.faults.clear();
    const retry = await world.invoke(event, 'deadline-zero:retry');
    if (describeOutcome(retry) === 'remediated') figures.completed += 1;
    const { stored, expected, locks } = await tally(seeded.arn, {
      [seeded.previousVersionId]: ['AWSPREVIOUS'],
      [seeded.currentVersionId]: ['AWSCURRENT'],
    });

    // Assess
    expect(describeOutcome(dead)).toBe('AwsCallFailed');
    expect(lock?.in_progress_expiration).toEqual(expect.any(Number));
    expect(describeOutcome(retry)).toBe('remediated');
    expect(stored).toEqual(expected);
    expect(locks).toEqual([]);
  });

  it('a lock held by a dead run answers 409 until its deadline, then the retry completes', async () => {
    // Prepare
    const seeded = seedStuck();
    const event = { secretId: seeded.arn };
    killAfterLocking();
    figures.run += 1;

    // Act
    const dead = await world.invoke(event, 'deadline-held:dead', 5_000);
    const [lock] = await locksOf();
    world.emulator.faults.clear();
    world.dynamo.faults.clear();
    const early = await world.invoke(event, 'deadline-held:early');
    await waitForLocksToExpire(caseItems);
    const retry = await world.invoke(event, 'deadline-held:retry');
    if (describeOutcome(retry) === 'remediated') figures.completed += 1;
    const { stored, expected, locks } = await tally(seeded.arn, {
      [seeded.previousVersionId]: ['AWSPREVIOUS'],
      [seeded.currentVersionId]: ['AWSCURRENT'],
    });

    // Assess
    expect(describeOutcome(dead)).toBe('AwsCallFailed');
    expect(lock?.in_progress_expiration).toBeLessThanOrEqual(world.latestDeadline());
    expect(describeOutcome(early)).toBe('RemediationInProgress');
    expect(describeOutcome(retry)).toBe('remediated');
    expect(stored).toEqual(expected);
    expect(locks).toEqual([]);
  });

  it('a run that resumes after its deadline, behind the retry that took over, changes nothing twice', async () => {
    // Prepare: the cancel is applied at once but answered 1.5 s later, long after the run's 300 ms
    const seeded = seedStuck();
    const event = { secretId: seeded.arn };
    world.emulator.faults.inject({
      operation: 'CancelRotateSecret',
      kind: FaultKind.Latency,
      latencyMs: 1_500,
    });
    figures.run += 1;

    // Act
    const zombie = world.invoke(event, 'deadline-resume:zombie', 300);
    for (let lock = await locksOf(); lock.length === 0; lock = await locksOf()) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitForLocksToExpire(caseItems);
    const retry = await world.invoke(event, 'deadline-resume:retry');
    const resumed = await zombie;
    if (retry.kind === 'report') figures.completed += 1;
    const labelMoves = world.emulator.calls.filter(
      (c) => c.secretId === seeded.arn && c.operation === 'UpdateSecretVersionStage' && c.applied
    );
    const { stored, expected, locks } = await tally(seeded.arn, {
      [seeded.previousVersionId]: ['AWSPREVIOUS'],
      [seeded.currentVersionId]: ['AWSCURRENT'],
    });

    // Assess
    expect(['remediated', 'already-clean']).toContain(describeOutcome(retry));
    expect(['remediated', 'already-clean']).toContain(describeOutcome(resumed));
    expect(labelMoves).toHaveLength(1);
    expect(stored).toEqual(expected);
    expect(locks).toEqual([]);
  });
});
