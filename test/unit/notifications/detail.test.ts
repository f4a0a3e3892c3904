/**
 * The events as pure values (src/notifications/detail.ts): which outcomes notify, the pinned
 * `decide` commands (and that a shell reads their CLI lines back as given), the Failed event, the
 * redaction of the serialised detail, and the secret name from an ARN.
 */

import { cliArgsOf } from '../../../scripts/demo/decide.js';
import {
  AwsCallFailed,
  SecretNotFound,
  StateChanged,
  ValidationError,
} from '../../../src/errors.js';
import {
  cliLine,
  DECIDE_REASON,
  decideOf,
  detailTypeOf,
  failureNotification,
  outcomeNotification,
  serializeDetail,
  sweepNotification,
} from '../../../src/notifications/detail.js';
import { secretNameOfArn } from '../../../src/notifications/witness.js';
import { noEvidence } from '../../../src/remediation/evidence.js';
import type { RemediationReport, RemediationRequest } from '../../../src/remediation/types.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db!x+y=z-AbCdEf';

const report = (overrides: Partial<RemediationReport> = {}): RemediationReport => ({
  status: 'needs-decision',
  dryRun: false,
  secret: { arn: ARN, name: 'app/db!x+y=z' },
  decision: {
    requested: 'auto',
    resolved: 'hold',
    rule: 'auto.testSecret.hold',
    failedStep: 'testSecret',
    evidence: { ...noEvidence('p'), stepSource: 'event', lookup: 'not-needed' },
  },
  reason: 'Hold',
  actions: [{ operation: 'CancelRotateSecret' }],
  before: {
    rotationEnabled: true,
    versionIdsToStages: { c: ['AWSCURRENT'], p: ['AWSPENDING'] },
    lastRotatedDate: null,
    nextRotationDate: null,
    rotationLambdaArn: null,
  },
  after: {
    rotationEnabled: false,
    versionIdsToStages: { c: ['AWSCURRENT'], p: ['AWSPENDING'] },
    lastRotatedDate: null,
    nextRotationDate: null,
    rotationLambdaArn: null,
  },
  ...overrides,
});

const request: RemediationRequest = {
  secretId: ARN,
  dryRun: false,
  pendingAction: 'auto',
  trigger: 'rotation-failed',
  correlationId: 'evt-1',
  reason: 'tried password=hunter2',
};

describe('which outcomes notify', () => {
  it.each([
    [{ status: 'remediated' }, 'Rotation Remediated'],
    [{ status: 'needs-decision' }, 'Rotation Remediation Needs Decision'],
    [{ status: 'refused' }, 'Rotation Remediation Refused'],
    [{ status: 'already-clean' }, undefined],
    [{ status: 'planned', dryRun: true }, undefined],
    [{ status: 'refused', dryRun: true }, undefined],
    [{ status: 'remediated', replayed: true }, undefined],
  ] as const)('%j → %s', (overrides, detailType) => {
    // Act
    const type = detailTypeOf(report(overrides));

    // Assess
    expect(type).toBe(detailType);
  });

  it.each([
    [new AwsCallFailed('x'), 'Rotation Remediation Failed'],
    [new StateChanged('x'), 'Rotation Remediation Failed'],
    [new ValidationError('x'), undefined],
    [new SecretNotFound('x'), undefined],
    [new Error('x'), undefined],
  ])('a remediation that threw %p → %s', (error, detailType) => {
    // Act
    const notification = failureNotification(
      { secret: report().secret, decision: null, reason: null, actions: [], after: null },
      request,
      error
    );

    // Assess
    expect(notification?.detailType).toBe(detailType);
  });
});

describe('decide', () => {
  it('pins both choices to the pending version, as a body and a CLI line a shell reads back', () => {
    // Act
    const decide = decideOf(report());

    // Assess
    expect(decide?.pendingVersionId).toBe('p');
    expect(decide?.promote.body).toEqual({
      secretId: ARN,
      pendingAction: 'promote',
      expectedPendingVersionId: 'p',
    });
    expect(cliArgsOf(decide?.discard.cli ?? '')).toEqual([
      'decide',
      '--secret-id',
      ARN,
      '--expected-pending-version',
      'p',
      '--discard',
      '--reason',
      DECIDE_REASON.discard,
      '--region',
      'eu-west-1',
    ]);
  });

  it.each([
    [
      'a managed secret',
      report({ decision: { ...report().decision, rule: 'managed.cancel-only' } }),
    ],
    ['another status', report({ status: 'remediated' })],
    [
      'nothing pending',
      report({ after: { ...report().after, versionIdsToStages: { c: ['AWSCURRENT'] } } }),
    ],
  ])('is null for %s', (_case, value) => {
    // Act & Assess
    expect(decideOf(value)).toBeNull();
  });

  it('quotes a quote inside a word so that a shell reads it back', () => {
    // Act
    const args = cliArgsOf(cliLine("arn:aws:secretsmanager:us-east-1:1:secret:it's-AbCdEf", {}));

    // Assess
    expect(args[2]).toBe("arn:aws:secretsmanager:us-east-1:1:secret:it's-AbCdEf");
  });
});

describe('the detail', () => {
  it('carries the report and the request, never the raw event, and masks credential shapes', () => {
    // Prepare
    const notification = outcomeNotification(report(), request);

    // Act
    const text = serializeDetail(notification?.detail ?? {});

    // Assess
    expect(JSON.parse(text)).toMatchObject({
      status: 'needs-decision',
      secret: report().secret,
      decision: report().decision,
      trigger: 'rotation-failed',
      correlationId: 'evt-1',
      requestReason: 'tried password=[REDACTED]',
    });
    expect(text).not.toContain('hunter2');
  });

  it('a live sweep notifies its counts; a dry run nothing', () => {
    // Prepare
    const counts = {
      candidates: 3,
      stuck: 2,
      running: 1,
      cleared: 0,
      skipped: 0,
      remediated: 1,
      alreadyClean: 0,
      planned: 0,
      needsDecision: 1,
      refused: 0,
      inProgress: 0,
      failed: 0,
      remaining: 0,
      throttled: 0,
    };

    // Act
    const live = sweepNotification(
      { ...counts, dryRun: false, durationMs: 5 },
      { correlationId: 'c', reason: undefined }
    );
    const dry = sweepNotification(
      { ...counts, dryRun: true, durationMs: 5 },
      { correlationId: 'c', reason: undefined }
    );

    // Assess
    expect(live).toMatchObject({
      detailType: 'Rotation Sweep Completed',
      detail: { counts, continued: false },
    });
    expect(dry).toBeUndefined();
  });

  it.each([
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf', 'app/db'],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-x9Y8z7', 'rds!db-1'],
  ])('names the secret of %s %s', (arn, name) => {
    // Act & Assess
    expect(secretNameOfArn(arn)).toBe(name);
  });
});
