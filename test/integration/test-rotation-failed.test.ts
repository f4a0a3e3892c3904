/**
 * A test rotation that fails: a resume (RotateSecret with RotateImmediately=false runs only the
 * rotation function's testSecret step) whose test fails leaves AWSPENDING on the test's version and
 * rotation on. With TestRotationFailed in ACT_ON_EVENTS, its event makes the function discard that
 * AWSPENDING (a test never changes the database) and cancel rotation again, and say so.
 *
 * Always an emulator of its own: moto 5.2 gets RotateSecret with RotateImmediately=false wrong
 * (docs/secrets-manager-semantics.md, Emulators), and failing the test is an emulator switch.
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import type { RemediationReport } from '../../src/remediation/types.js';
import type { Bundle } from '../helpers/bundle.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { useOwnEmulator } from '../helpers/own-emulator.js';
import { loadSample, substituteSecret } from '../helpers/samples.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator(
  'a test rotation that fails',
  'moto 5.2 gets RotateSecret with RotateImmediately=false wrong; failing the test is an emulator switch'
);

let bundle: Bundle;
// the default grace period: a TestRotationFailed event that left no AWSPENDING acts only within it
const own = useOwnEmulator('me-central-1', {
  ACT_ON_EVENTS: 'RotationFailed,TestRotationFailed',
  ROTATION_GRACE_SECONDS: '3600',
  ROTATION_FUNCTION_ARNS: 'arn:aws:lambda:me-central-1:123456789012:function:rotator',
});
let emulator: SecretsManagerEmulator;

beforeAll(() => {
  emulator = own.emulator;
  bundle = loadBundle();
});

beforeEach(() => {
  emulator.store.clear();
  emulator.store.failTestRotation = false;
});

const invoke = async (event: unknown): Promise<RemediationReport> =>
  (await bundle.handler(event, lambdaContext())) as RemediationReport;

/**
 * The TestRotationFailed event of `secret`, as EventBridge delivers Secrets Manager's events, its
 * requestID naming the test's version (none: a plain one).
 */
const testRotationFailedEvent = (
  secret: { name: string; arn: string },
  testVersion: string | undefined
) => {
  const event = substituteSecret(loadSample('rotation-failed-testSecret.json'), {
    name: secret.name,
    arn: secret.arn,
    pendingVersionId: testVersion,
  });
  const detail = (event as { detail: Record<string, unknown> }).detail;
  return { ...event, detail: { ...detail, eventName: 'TestRotationFailed' } };
};

/** A secret whose rotation a remediation cancelled, then resumed with a test that fails. */
const resumeWithFailingTest = async () => {
  const seeded = emulator.store.seedFailedRotation({
    name: 'rr-test-rotation/db',
    step: 'setSecret',
  });
  await invoke({ secretId: seeded.arn, pendingAction: 'discard' });
  emulator.store.failTestRotation = true;
  const resumed = await invoke({ resume: { secretId: seeded.arn } });
  return { seeded, resumed };
};

const pendingHolder = (arn: string): string | undefined =>
  Object.entries(emulator.store.labels(arn)).find(([, stages]) =>
    stages.includes('AWSPENDING')
  )?.[0];

describe('a test rotation that fails', () => {
  it('leaves, after its TestRotationFailed event, AWSPENDING clean, rotation off, and says so', async () => {
    // Prepare
    const { seeded, resumed } = await resumeWithFailingTest();
    const testVersion = pendingHolder(seeded.arn);
    expect(resumed.status).toBe('resumed');
    expect(testVersion).toBeDefined();
    expect(emulator.store.describe(seeded.arn).RotationEnabled).toBe(true);

    // Act
    const report = await invoke(testRotationFailedEvent(seeded, testVersion));

    // Assess
    expect(report.status).toBe('remediated');
    expect(report.decision).toMatchObject({
      rule: 'test-rotation-failed.discard',
      resolved: 'discard',
    });
    expect(report.reason).toContain('test rotation failed');
    expect(report.actions.map((action) => action.operation)).toEqual([
      'CancelRotateSecret',
      'UpdateSecretVersionStage',
    ]);
    expect(pendingHolder(seeded.arn)).toBeUndefined();
    expect(emulator.store.describe(seeded.arn).RotationEnabled).toBe(false);
  });

  it('with no AWSPENDING left behind, cancels rotation again only', async () => {
    // Prepare: the test's AWSPENDING already gone (say, the service removed it)
    const { seeded } = await resumeWithFailingTest();
    const testVersion = pendingHolder(seeded.arn) ?? '';
    emulator.store.execute('UpdateSecretVersionStage', {
      SecretId: seeded.arn,
      VersionStage: 'AWSPENDING',
      RemoveFromVersionId: testVersion,
    });

    // Act
    const report = await invoke(testRotationFailedEvent(seeded, undefined));

    // Assess
    expect(report).toMatchObject({
      status: 'remediated',
      decision: { rule: 'test-rotation-failed.cancel', resolved: 'none' },
    });
    expect(report.actions.map((action) => action.operation)).toEqual(['CancelRotateSecret']);
    expect(emulator.store.describe(seeded.arn).RotationEnabled).toBe(false);
  });

  it('without TestRotationFailed in ACT_ON_EVENTS, the event is ignored', async () => {
    // Prepare
    const { seeded } = await resumeWithFailingTest();
    process.env.ACT_ON_EVENTS = 'RotationFailed';
    const defaults = loadBundle();
    process.env.ACT_ON_EVENTS = 'RotationFailed,TestRotationFailed';

    // Act
    const answer = await defaults.handler(
      testRotationFailedEvent(seeded, undefined),
      lambdaContext()
    );

    // Assess
    expect(answer).toMatchObject({ status: 'ignored' });
    expect(pendingHolder(seeded.arn)).toBeDefined();
  });
});
