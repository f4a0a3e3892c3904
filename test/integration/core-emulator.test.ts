/**
 * The remediation core (src/remediation) against the emulator, for the states and races only the
 * emulator can make: rotation enabled, managed secrets, replicas, state changing mid-run.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { createFailedStepResolver } from '../../src/history/resolver.js';
import type { RemediationDependencies } from '../../src/remediation/remediate.js';
import { remediate } from '../../src/remediation/remediate.js';
import type { RemediationRequest } from '../../src/remediation/types.js';
import { noteOwnEmulator, uniqueName } from '../helpers/secrets-manager-target.js';

noteOwnEmulator(
  'the remediation core',
  'states changed between read and write, replicas, rotation without a function: emulator hooks and seeds'
);

let emulator: SecretsManagerEmulator;
let client: SecretsManagerClient;
let cloudTrail: CloudTrailClient;

/**
 * The core as the service wires it: the step from the history the emulator seeds with each failed
 * rotation, and the suite's evidence settings (no grace period, UNKNOWN_STEP_ACTION=discard).
 */
const core = (): RemediationDependencies => ({
  secretsManager: client,
  failedSteps: createFailedStepResolver(cloudTrail),
  policy: { graceSeconds: 0, unknownStepAction: 'discard' },
});

beforeAll(async () => {
  emulator = await startSecretsManagerEmulator();
  client = new SecretsManagerClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  cloudTrail = new CloudTrailClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  cloudTrail.destroy();
  await emulator.stop();
});

beforeEach(() => {
  emulator.hooks.clear();
  emulator.faults.clear();
  emulator.resetCalls();
});

const request = (
  overrides: Partial<RemediationRequest> & { secretId: string }
): RemediationRequest => ({
  dryRun: false,
  pendingAction: 'auto',
  trigger: 'direct',
  ...overrides,
});

const operations = (): string[] => emulator.calls.map((call) => call.operation);

describe('failed-step decisions the direct command cannot express', () => {
  it('testSecret failure: cancel only, AWSPENDING kept, needs-decision', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('hold'),
      step: 'testSecret',
    });
    const labelsBefore = emulator.store.labels(seeded.arn);

    // Act
    const report = await remediate(core(), request({ secretId: seeded.name }));

    // Assess
    expect(report.status).toBe('needs-decision');
    expect(report.decision.rule).toBe('auto.testSecret.hold');
    expect(report.reason).toMatch(/promote.*discard/s);
    // the evidence: the versions (the pending version's age), then the history (the step)
    expect(operations()).toEqual([
      'DescribeSecret',
      'ListSecretVersionIds',
      'LookupEvents',
      'CancelRotateSecret',
      'DescribeSecret',
    ]);
    expect(emulator.store.labels(seeded.arn)).toEqual(labelsBefore);
    expect(emulator.store.describe(seeded.arn).RotationEnabled).toBe(false);
  });

  it('finishSecret failure with auto: promote', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('finish'),
      step: 'finishSecret',
    });

    // Act
    const report = await remediate(core(), request({ secretId: seeded.arn }));

    // Assess
    expect(report.status).toBe('remediated');
    expect(report.decision.rule).toBe('auto.finishSecret.promote');
    expect(emulator.store.labels(seeded.arn)).toEqual({
      [seeded.currentVersionId]: ['AWSPREVIOUS'],
      [seeded.pendingVersionId ?? '']: ['AWSCURRENT'],
    });
  });
});

describe('secrets the remediator must not repair', () => {
  it.each([{ kind: 'replica' as const, rule: 'refuse.replica' }])(
    '$kind → refused with one read',
    async ({ kind, rule }) => {
      // Prepare
      const seeded = emulator.store.seedFailedRotation({
        name: uniqueName(kind),
        step: 'setSecret',
        kind,
      });

      // Act
      const report = await remediate(core(), request({ secretId: seeded.arn }));

      // Assess
      expect(report.status).toBe('refused');
      expect(report.decision.rule).toBe(rule);
      expect(operations()).toEqual(['DescribeSecret']);
    }
  );

  it('refuses a secret outside REQUIRED_TAG', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('scope'),
      step: 'setSecret',
      tags: { remediate: 'no' },
    });

    // Act
    const report = await remediate(
      { secretsManager: client, requiredTag: { key: 'remediate', value: 'yes' } },
      request({ secretId: seeded.arn })
    );

    // Assess
    expect(report.status).toBe('refused');
    expect(report.decision.rule).toBe('refuse.out-of-scope');
    expect(operations()).toEqual(['DescribeSecret']);
  });

  it('managed secret whose service refuses the cancel → refused, labels untouched', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: `rds!${uniqueName('managed').replaceAll('/', '-')}`,
      step: 'setSecret',
      kind: 'managed',
    });
    const labelsBefore = emulator.store.labels(seeded.arn);

    // Act
    const report = await remediate(core(), request({ secretId: seeded.arn }));

    // Assess
    expect(report.status).toBe('refused');
    expect(report.reason).toContain('rds');
    expect(report.actions).toEqual([]);
    expect(emulator.store.labels(seeded.arn)).toEqual(labelsBefore);
  });

  it('managed secret whose service allows the cancel → cancel only, needs-decision', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: `rds!${uniqueName('managed-ok').replaceAll('/', '-')}`,
      step: 'setSecret',
      kind: 'managed',
      managedAllowsCancel: true,
    });
    const labelsBefore = emulator.store.labels(seeded.arn);

    // Act
    const report = await remediate(core(), request({ secretId: seeded.arn }));

    // Assess
    expect(report.status).toBe('needs-decision');
    expect(report.decision.rule).toBe('managed.cancel-only');
    expect(report.actions.map((a) => a.operation)).toEqual(['CancelRotateSecret']);
    expect(emulator.store.labels(seeded.arn)).toEqual(labelsBefore);
    expect(emulator.store.describe(seeded.arn).RotationEnabled).toBe(false);
  });
});

describe('state changing under the remediation', () => {
  it('an operator moving AWSCURRENT before our promote → clean refusal, AWSCURRENT not moved by us', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('race-op'),
      step: 'finishSecret',
    });
    emulator.hooks.beforeApply('UpdateSecretVersionStage', ({ store }) => {
      store.attachLabel(seeded.arn, 'AWSCURRENT', seeded.previousVersionId);
    });

    // Act
    const report = await remediate(
      core(),
      request({
        secretId: seeded.arn,
        pendingAction: 'promote',
        expectedPendingVersionId: seeded.pendingVersionId,
        humanDecision: true,
      })
    );

    // Assess
    expect(report.status).toBe('refused');
    expect(report.decision.rule).toBe('refuse.current-changed-during-remediation');
    expect(report.actions.map((a) => a.operation)).toEqual(['CancelRotateSecret']);
    const labels = emulator.store.labels(seeded.arn);
    expect(labels[seeded.previousVersionId]).toContain('AWSCURRENT');
    expect(labels[seeded.pendingVersionId ?? '']).toEqual(['AWSPENDING']);
  });

  it('the rotation finishing on its own before our discard → VerificationFailed, then already-clean', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('race-fin'),
      step: 'setSecret',
    });
    const pending = seeded.pendingVersionId ?? '';
    emulator.hooks.beforeApply('UpdateSecretVersionStage', ({ store }) => {
      // finishSecret of a late rotation Lambda: AWSCURRENT moves to the pending version
      store.attachLabel(seeded.arn, 'AWSCURRENT', pending);
    });

    // Act
    const first = remediate(core(), request({ secretId: seeded.arn, pendingAction: 'discard' }));
    await expect(first).rejects.toMatchObject({ name: 'VerificationFailed' });
    const retry = await remediate(
      core(),
      request({ secretId: seeded.arn, pendingAction: 'discard' })
    );

    // Assess
    expect(retry.status).toBe('already-clean');
    const labels = emulator.store.labels(seeded.arn);
    expect(labels[pending]).toContain('AWSCURRENT');
    expect(Object.values(labels).flat()).not.toContain('AWSPENDING');
  });

  it('the rotation Lambda re-attaching AWSPENDING to a new version → clean refusal, new version untouched', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('race-pend'),
      step: 'setSecret',
    });
    emulator.hooks.beforeApply('UpdateSecretVersionStage', ({ store }) => {
      store.attachLabel(seeded.arn, 'AWSPENDING', seeded.previousVersionId);
    });

    // Act
    const report = await remediate(
      core(),
      request({ secretId: seeded.arn, pendingAction: 'discard' })
    );

    // Assess
    expect(report.status).toBe('refused');
    expect(report.decision.rule).toBe('refuse.pending-changed-during-remediation');
    expect(report.actions.map((a) => a.operation)).toEqual(['CancelRotateSecret']);
    expect(emulator.store.labels(seeded.arn)[seeded.previousVersionId]).toContain('AWSPENDING');
  });

  it('a state that keeps changing → StateChanged after two re-plans', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('churn'),
      step: 'setSecret',
    });
    emulator.faults.inject({
      operation: 'UpdateSecretVersionStage',
      kind: 'error',
      errorName: 'InvalidParameterException',
      times: 'always',
    });

    // Act
    const outcome = remediate(core(), request({ secretId: seeded.arn }));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'StateChanged' });
    expect(operations().filter((op) => op === 'DescribeSecret')).toHaveLength(3);
    expect(operations().filter((op) => op === 'UpdateSecretVersionStage')).toHaveLength(3);
  });

  it('an end state that differs from the plan → VerificationFailed', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: uniqueName('verify'),
      step: 'setSecret',
    });

    // Act
    const outcome = remediate(
      {
        ...core(),
        observer: {
          call: (record) => {
            if (record.operation === 'UpdateSecretVersionStage') {
              emulator.store.attachLabel(seeded.arn, 'AWSPENDING', seeded.previousVersionId);
            }
          },
        },
      },
      request({ secretId: seeded.arn })
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'VerificationFailed' });
  });
});
