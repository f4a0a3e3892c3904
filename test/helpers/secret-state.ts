/** The state of one secret as the planner reads it, for the pure tests of the planner. */
import type { AssessedEvidence } from '../../src/remediation/plan-context.js';
import type { Evidence, RotationStep, SecretState } from '../../src/remediation/types.js';

/** `app/db` in us-east-1, rotation on with its function, no dates, tags or labels unless given. */
export const secretState = (overrides: Partial<SecretState> = {}): SecretState => ({
  arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf',
  name: 'app/db',
  rotationEnabled: true,
  rotationLambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotator',
  lastRotatedDate: undefined,
  nextRotationDate: undefined,
  deletedDate: undefined,
  owningService: undefined,
  primaryRegion: undefined,
  tags: {},
  versionIdsToStages: {},
  ...overrides,
});

/**
 * Evidence as the planner takes it: a complete look-up, a pending version (`pendingVersionId`)
 * created two hours before the decision, and, when a step is named, a history record naming it.
 */
export const assessedEvidence = (
  pendingVersionId: string,
  step: RotationStep | undefined,
  overrides: Partial<Evidence> = {}
): AssessedEvidence => ({
  step,
  evidence: {
    stepSource: step === undefined ? 'none' : 'history-exact',
    lookup: 'complete',
    lookupError: null,
    record:
      step === undefined
        ? null
        : { source: 'history', time: '2026-11-30T00:10:00.000Z', id: 'ct-1', requestId: null },
    eventTie: null,
    eventAgeSeconds: null,
    pendingVersionId,
    pendingVersionCreatedAt: '2026-11-30T00:00:00.000Z',
    pendingVersionAgeSeconds: 7200,
    ...overrides,
  },
});
