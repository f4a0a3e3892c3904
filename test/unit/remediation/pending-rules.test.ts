/**
 * The planner on named evidence (src/remediation/pending-rules.ts): stale and untied events, the
 * grace period, incomplete look-ups, UNKNOWN_STEP_ACTION, and pinned promotes. Every refusal and
 * hold writes nothing irreversible.
 */
import type {
  AssessedEvidence,
  PlannedRequest,
  PlanOptions,
} from '../../../src/remediation/plan-context.js';
import { planRemediation } from '../../../src/remediation/planner.js';
import type { Evidence, RotationStep, SecretState } from '../../../src/remediation/types.js';
import { Rule } from '../../../src/remediation/types.js';
import { assessedEvidence, secretState } from '../../helpers/secret-state.js';

const CUR = 'b0000000-0000-4000-8000-000000000002';
const PEND = 'c0000000-0000-4000-8000-000000000003';

const state = (overrides: Partial<SecretState> = {}): SecretState =>
  secretState({
    versionIdsToStages: { [CUR]: ['AWSCURRENT'], [PEND]: ['AWSPENDING'] },
    ...overrides,
  });

const assessed = (step: RotationStep | undefined, overrides: Partial<Evidence> = {}) =>
  assessedEvidence(PEND, step, overrides);

const event = {
  failureEvent: {
    eventName: 'RotationFailed',
    time: '2026-11-29T21:00:00.000Z',
    id: 'ev-1',
    requestId: undefined,
  },
};
const pinned = (pendingAction: 'promote' | 'discard'): PlannedRequest => ({
  pendingAction,
  expectedPendingVersionId: PEND,
  humanDecision: true,
});

describe('the planner on evidence', () => {
  it.each<{
    case: string;
    request: PlannedRequest;
    evidence: AssessedEvidence;
    options?: PlanOptions;
    outcome: string;
    rule: string;
    calls: string[];
  }>([
    // stale and untied events write nothing, not even a cancel
    {
      case: 'an event older than the pending version',
      request: { pendingAction: 'auto', failedStep: 'finishSecret', ...event },
      evidence: assessed(undefined, { eventTie: 'stale-older', lookup: 'not-needed' }),
      outcome: 'stale',
      rule: Rule.StaleOlder,
      calls: [],
    },
    {
      case: 'an event naming a superseded version',
      request: { pendingAction: 'auto', failedStep: 'testSecret', ...event },
      evidence: assessed(undefined, { eventTie: 'stale-superseded', lookup: 'not-needed' }),
      outcome: 'stale',
      rule: Rule.StaleSuperseded,
      calls: [],
    },
    {
      case: 'a TestRotationFailed event older than the pending version',
      request: { pendingAction: 'discard', testRotationFailed: true, ...event },
      evidence: assessed(undefined, { eventTie: 'stale-older', lookup: 'not-needed' }),
      outcome: 'stale',
      rule: Rule.StaleOlder,
      calls: [],
    },
    {
      case: 'an event that cannot be tied',
      request: { pendingAction: 'auto', failedStep: 'setSecret', ...event },
      evidence: assessed(undefined, { eventTie: 'unknown', lookup: 'not-needed' }),
      outcome: 'needs-decision',
      rule: Rule.HoldEvidenceIncomplete,
      calls: ['CancelRotateSecret'],
    },
    // in flight is not failed
    {
      case: 'a young version with no failure record',
      request: { pendingAction: 'auto' },
      evidence: assessed(undefined, { pendingVersionAgeSeconds: 5 }),
      outcome: 'deferred',
      rule: Rule.DeferredInFlight,
      calls: [],
    },
    {
      case: 'a young version whose look-up failed',
      request: { pendingAction: 'discard' },
      evidence: assessed(undefined, { pendingVersionAgeSeconds: 5, lookup: 'denied' }),
      outcome: 'deferred',
      rule: Rule.DeferredInFlight,
      calls: [],
    },
    {
      case: 'a young version a failure record names',
      request: { pendingAction: 'auto' },
      evidence: assessed('setSecret', { pendingVersionAgeSeconds: 5 }),
      outcome: 'remediated',
      rule: Rule.AutoDiscard,
      calls: ['CancelRotateSecret', 'UpdateSecretVersionStage'],
    },
    {
      case: 'a young version a person pinned a discard for',
      request: pinned('discard'),
      evidence: assessed(undefined, { pendingVersionAgeSeconds: 5 }),
      outcome: 'remediated',
      rule: Rule.DiscardRequested,
      calls: ['CancelRotateSecret', 'UpdateSecretVersionStage'],
    },
    {
      case: 'a version exactly as old as the grace period',
      request: { pendingAction: 'auto' },
      evidence: assessed(undefined, { pendingVersionAgeSeconds: 3600 }),
      outcome: 'needs-decision',
      rule: Rule.AutoUnknownHold,
      calls: ['CancelRotateSecret'],
    },
    // unknown never destroys by default
    ...(['denied', 'throttled', 'failed', 'window-incomplete'] as const).flatMap((lookup) =>
      (['auto', 'discard'] as const).map((pendingAction) => ({
        case: `${pendingAction} with a look-up ${lookup}`,
        request: { pendingAction },
        evidence: assessed(undefined, { lookup }),
        options: { policy: { graceSeconds: 3600, unknownStepAction: 'discard' as const } },
        outcome: 'needs-decision',
        rule: Rule.HoldEvidenceIncomplete,
        calls: ['CancelRotateSecret'],
      }))
    ),
    {
      case: 'auto with the age unknown',
      request: { pendingAction: 'auto' },
      evidence: assessed(undefined, {
        pendingVersionAgeSeconds: null,
        pendingVersionCreatedAt: null,
      }),
      options: { policy: { graceSeconds: 3600, unknownStepAction: 'discard' } },
      outcome: 'needs-decision',
      rule: Rule.HoldEvidenceIncomplete,
      calls: ['CancelRotateSecret'],
    },
    {
      case: 'a tied event naming no step (a time-out), the version undated: UNKNOWN_STEP_ACTION',
      request: { pendingAction: 'auto', ...event },
      evidence: assessed(undefined, {
        eventTie: 'exact',
        lookup: 'not-needed',
        record: { source: 'event', time: '2026-11-30T00:10:00.000Z', id: 'ev-1', requestId: null },
        pendingVersionAgeSeconds: null,
        pendingVersionCreatedAt: null,
      }),
      options: { policy: { graceSeconds: 3600, unknownStepAction: 'discard' } },
      outcome: 'remediated',
      rule: Rule.AutoUnknownDiscard,
      calls: ['CancelRotateSecret', 'UpdateSecretVersionStage'],
    },
    {
      case: 'auto, step unknown on complete evidence, the default hold',
      request: { pendingAction: 'auto' },
      evidence: assessed(undefined),
      outcome: 'needs-decision',
      rule: Rule.AutoUnknownHold,
      calls: ['CancelRotateSecret'],
    },
    {
      case: 'auto, step unknown on complete evidence, UNKNOWN_STEP_ACTION=discard',
      request: { pendingAction: 'auto' },
      evidence: assessed(undefined, { lookup: 'off' }),
      options: { policy: { graceSeconds: 3600, unknownStepAction: 'discard' } },
      outcome: 'remediated',
      rule: Rule.AutoUnknownDiscard,
      calls: ['CancelRotateSecret', 'UpdateSecretVersionStage'],
    },
    {
      case: 'an unpinned discard, step unknown on complete evidence',
      request: { pendingAction: 'discard' },
      evidence: assessed(undefined),
      outcome: 'remediated',
      rule: Rule.DiscardRequested,
      calls: ['CancelRotateSecret', 'UpdateSecretVersionStage'],
    },
    // promote only pinned
    {
      case: 'an unpinned promote after finishSecret',
      request: { pendingAction: 'promote' },
      evidence: assessed('finishSecret'),
      outcome: 'refused',
      rule: Rule.PromoteUnpinned,
      calls: [],
    },
    {
      case: 'a pinned promote after createSecret',
      request: pinned('promote'),
      evidence: assessed('createSecret'),
      outcome: 'refused',
      rule: Rule.PromoteUnsafeAfterCreate,
      calls: [],
    },
    {
      case: 'a pinned promote with the step unknown (a person has looked)',
      request: pinned('promote'),
      evidence: assessed(undefined, { lookup: 'failed' }),
      outcome: 'remediated',
      rule: Rule.PromoteRequested,
      calls: ['CancelRotateSecret', 'UpdateSecretVersionStage', 'UpdateSecretVersionStage'],
    },
    {
      case: 'a young version a person pinned a promote for',
      request: pinned('promote'),
      evidence: assessed(undefined, { pendingVersionAgeSeconds: 5 }),
      outcome: 'remediated',
      rule: Rule.PromoteRequested,
      calls: ['CancelRotateSecret', 'UpdateSecretVersionStage', 'UpdateSecretVersionStage'],
    },
  ])('$case → $outcome ($rule)', ({ request, evidence, options, outcome, rule, calls }) => {
    // Act
    const plan = planRemediation(state(), request, {
      ...options,
      assessed: evidence,
      now: new Date('2026-11-30T02:00:00.000Z'),
    });

    // Assess
    expect(plan.outcome).toBe(outcome);
    expect(plan.decision.rule).toBe(rule);
    expect(plan.decision.evidence).toEqual(evidence.evidence);
    expect(plan.actions.map((action) => action.operation)).toEqual(calls);
  });

  it('says when to look again after a deferral', () => {
    // Act
    const plan = planRemediation(
      state(),
      { pendingAction: 'auto' },
      { assessed: assessed(undefined, { pendingVersionAgeSeconds: 600 }) }
    );

    // Assess
    expect(plan.retryAfterSeconds).toBe(3000);
    expect(plan.reason).toContain('look again in 3000 s');
  });

  it('prints only pinned choices when it holds', () => {
    // Act
    const plan = planRemediation(
      state(),
      { pendingAction: 'auto' },
      { assessed: assessed('testSecret') }
    );

    // Assess
    expect(plan.reason).toContain(`expectedPendingVersionId ${PEND}`);
  });
});
