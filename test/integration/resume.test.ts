/**
 * Back to rotating: the resume command (`{"resume": {...}}`) through the built dist/handler.js,
 * against the emulator and dynalite. Emulator only: moto 5.2 gets RotateSecret with
 * `RotateImmediately=false` wrong (it clears the rotation function and leaves AWSCURRENT on two
 * versions; docs/secrets-manager-semantics.md, Emulators), and the refusals need seeded kinds
 * (managed, replica) that only the emulator's store makes.
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

// resume is on for the emulator's rotation function (the one its seeded secrets name)
const aws = useBundleAgainstAws((target) => ({
  ROTATION_FUNCTION_ARNS: `arn:aws:lambda:${target.emulator?.region ?? process.env.AWS_REGION}:${target.emulator?.accountId ?? '123456789012'}:function:rotator`,
}));

beforeEach(() => {
  aws.counter.reset();
  if (aws.target.emulator !== undefined) aws.target.emulator.store.failTestRotation = false;
});

const emulator = () => {
  const running = aws.target.emulator;
  if (running === undefined) throw new Error('emulator only');
  return running;
};

const invoke = async (event: unknown, id = 'resume-req'): Promise<RemediationReport> =>
  (await aws.bundle.handler(event, lambdaContext(30_000, id))) as RemediationReport;

const resume = (secretId: string, extra: Record<string, unknown> = {}, id?: string) =>
  invoke({ resume: { secretId, reason: 'INC-15', ...extra } }, id);

const mutatingCalls = (): string[] =>
  aws.counter
    .secretsManagerOperations()
    .filter((op) => (MUTATING_OPERATIONS as readonly string[]).includes(op));

/** The TestRotation* records the emulator's history holds for a secret. */
const testRotationEvents = (arn: string): string[] =>
  emulator()
    .store.cloudTrail.eventNamesOf(arn)
    .filter((name) => name.startsWith('TestRotation'));

describeEmulatorOnly(
  'resume',
  'moto 5.2 clears the rotation function on RotateSecret with RotateImmediately=false; managed and replica seeds are the emulator store’s',
  () => {
    it.each([
      ['setSecret', 'auto', 'auto.discard'],
      ['createSecret', 'auto', 'auto.discard'],
      ['finishSecret', 'auto', 'auto.finishSecret.promote'],
      ['testSecret', 'promote', 'requested.promote'],
      ['testSecret', 'discard', 'requested.discard'],
    ] as const)(
      'after a remediation of a %s failure (%s): DescribeSecret, RotateSecret, DescribeSecret; rotation on, next date ahead',
      async (step, pendingAction, rule) => {
        // Prepare
        const seeded = emulator().store.seedFailedRotation({ name: uniqueName('resume'), step });
        // a discard or promote after testSecret is a person's decision, pinned to the version
        const pin =
          pendingAction === 'auto' ? {} : { expectedPendingVersionId: seeded.pendingVersionId };
        const remediation = await invoke(
          { secretId: seeded.arn, pendingAction, ...pin },
          `fix-${step}`
        );
        expect(remediation.decision.rule).toBe(rule);
        const current = Object.entries(emulator().store.labels(seeded.arn)).find(([, labels]) =>
          labels.includes('AWSCURRENT')
        )?.[0];
        aws.counter.reset();
        // Act
        const report = await resume(seeded.arn, {}, `resume-${step}-${pendingAction}`);
        // Assess
        expect(report.status).toBe('resumed');
        expect(report.decision.rule).toBe('resume.rotate-secret');
        expect(aws.counter.secretsManagerOperations()).toEqual([
          'DescribeSecret',
          'RotateSecret',
          'DescribeSecret',
        ]);
        const described = emulator().store.describe(seeded.arn);
        expect(described.RotationEnabled).toBe(true);
        expect(described.RotationLambdaARN).toBe(remediation.before.rotationLambdaArn);
        expect(Number(described.NextRotationDate) * 1000).toBeGreaterThan(Date.now());
        expect(report.after.nextRotationDate).not.toBeNull();
        const labels = emulator().store.labels(seeded.arn);
        expect(Object.values(labels).flat()).not.toContain('AWSPENDING');
        expect(labels[current ?? '']).toContain('AWSCURRENT');
        expect(testRotationEvents(seeded.arn)).toEqual([
          'TestRotationStarted',
          'TestRotationSucceeded',
        ]);
      }
    );

    it('already rotating: already-rotating, no write', async () => {
      // Prepare
      const seeded = emulator().store.seedCleanSecret({
        name: uniqueName('rotating'),
        rotationEnabled: true,
      });
      // Act
      const report = await resume(seeded.arn);
      // Assess
      expect(report.status).toBe('already-rotating');
      expect(report.decision.rule).toBe('resume.already-rotating');
      expect(mutatingCalls()).toEqual([]);
    });

    it.each([
      [
        'stuck (AWSPENDING off AWSCURRENT)',
        'refuse.resume-while-stuck',
        () =>
          emulator().store.seedFailedRotation({ name: uniqueName('stuck'), step: 'setSecret' }).arn,
      ],
      [
        'without a rotation function',
        'refuse.resume-no-rotation-function',
        () => emulator().store.seedCleanSecret({ name: uniqueName('nofn') }).arn,
      ],
      [
        'managed by RDS',
        'refuse.resume-managed',
        () => {
          const seeded = emulator().store.seedFailedRotation({
            name: `rds!${uniqueName('managed').replace('rr-test/', '')}`,
            step: 'setSecret',
            kind: 'managed',
            rotationEnabled: false,
          });
          emulator().store.attachLabel(seeded.arn, 'AWSPENDING', seeded.currentVersionId);
          return seeded.arn;
        },
      ],
      [
        'marked for deletion',
        'refuse.marked-for-deletion',
        () => {
          const seeded = emulator().store.seedCleanSecret({
            name: uniqueName('deleted'),
            rotationEnabled: false,
          });
          emulator().store.markForDeletion(seeded.arn);
          return seeded.arn;
        },
      ],
      [
        'a replica',
        'refuse.replica',
        () => {
          const seeded = emulator().store.seedFailedRotation({
            name: uniqueName('replica'),
            step: 'setSecret',
            kind: 'replica',
            rotationEnabled: false,
          });
          emulator().store.attachLabel(seeded.arn, 'AWSPENDING', seeded.currentVersionId);
          return seeded.arn;
        },
      ],
    ] as const)('refused %s (%s), with no write', async (_case, rule, seed) => {
      // Prepare
      const arn = seed();
      // Act
      const report = await resume(arn);
      // Assess
      expect({ status: report.status, rule: report.decision.rule }).toEqual({
        status: 'refused',
        rule,
      });
      expect(mutatingCalls()).toEqual([]);
    });

    it('a duplicate resume acts once (the second is a replay)', async () => {
      // Prepare
      const seeded = emulator().store.seedCleanSecret({
        name: uniqueName('dup'),
        rotationEnabled: false,
      });
      // Act
      const first = await resume(seeded.arn, {}, 'dup-1');
      // rotation is on now: flip it off again behind the remediator's back, so only the
      // idempotency record can stop a second RotateSecret
      emulator().store.cancelRotateSecret({ SecretId: seeded.arn });
      const second = await resume(seeded.arn, {}, 'dup-2');
      // Assess
      expect(first.status).toBe('resumed');
      expect(second.replayed).toBe(true);
      expect(mutatingCalls()).toEqual(['RotateSecret']);
    });

    it('a dry run plans RotateSecret with one DescribeSecret', async () => {
      // Prepare
      const seeded = emulator().store.seedCleanSecret({
        name: uniqueName('dry'),
        rotationEnabled: false,
      });
      // Act
      const report = await resume(seeded.arn, { dryRun: true });
      // Assess
      expect(report.status).toBe('planned');
      expect(report.actions).toEqual([{ operation: 'RotateSecret', rotateImmediately: false }]);
      expect(aws.counter.secretsManagerOperations()).toEqual(['DescribeSecret']);
    });
  }
);

describe('resume on any endpoint', () => {
  it('a secret still stuck is refused (remediate first), and nothing is written', async () => {
    // Prepare: AWSPENDING on a third version, seeded with public calls (any endpoint)
    const seeded = await seedStuckWithPublicCalls(aws.target, uniqueName('resume-stuck'));
    aws.counter.reset();

    // Act
    const report = await resume(seeded.arn);

    // Assess
    expect(report.status).toBe('refused');
    expect(report.decision.rule).toBe('refuse.resume-while-stuck');
    expect(mutatingCalls()).toEqual([]);
  });
});
