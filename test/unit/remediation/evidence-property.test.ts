/**
 * The one unforgivable outcome, as a property: over random interleavings of event age, version age,
 * look-up outcome and requested action, the product never discards a version whose failure record
 * names testSecret or finishSecret, and never promotes a version without a record naming
 * finishSecret for it, unless a person pinned that decision. The world is modelled, then run
 * through the pure chain the core runs: the history match (src/history/match.ts), the evidence
 * (src/remediation/evidence.ts) and the planner.
 */
import fc from 'fast-check';
import type { RotationFailure } from '../../../src/history/match.js';
import { findFailure } from '../../../src/history/match.js';
import { assessEvidence } from '../../../src/remediation/evidence.js';
import { planRemediation } from '../../../src/remediation/planner.js';
import type {
  FailureEvent,
  PendingAction,
  RemediationRequest,
  RotationStep,
  SecretState,
  StepLookup,
} from '../../../src/remediation/types.js';
import { secretState } from '../../helpers/secret-state.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf';
const CUR = 'b0000000-0000-4000-8000-000000000002';
const PEND = 'c0000000-0000-4000-8000-000000000003';
const OLD = 'd0000000-0000-4000-8000-000000000004';
const NOW_MS = Date.parse('2026-11-30T12:00:00.000Z');
const GRACE = 3600;
const STEPS: readonly RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

const state: SecretState = secretState({
  arn: ARN,
  versionIdsToStages: { [CUR]: ['AWSCURRENT'], [PEND]: ['AWSPENDING'] },
});

/** A world: when the pending version was made, how it failed, what was delivered, who asks. */
const world = fc.record({
  ageSeconds: fc.integer({ min: 0, max: 3 * 86_400 }),
  /**
   * The pending version's failure record, if it failed: its step, how long after creation. The
   * design's assumption, as the grace period's default says: a rotation fails, and CloudTrail
   * delivers its record, within the grace period of the version's creation (here within 30 min,
   * delivered within 30 min more).
   */
  failure: fc.option(
    fc.record({
      step: fc.option(fc.constantFrom(...STEPS), { nil: undefined }),
      afterSeconds: fc.integer({ min: 0, max: 1_800 }),
      requestIdNames: fc.constantFrom('pending', 'other-id', 'plain'),
      deliveryDelaySeconds: fc.integer({ min: 0, max: 1_800 }),
    }),
    { nil: undefined }
  ),
  /** An older failure of the same secret (another, superseded version). */
  olderFailureStep: fc.option(fc.constantFrom(...STEPS), { nil: undefined }),
  trigger: fc.constantFrom(
    'none',
    'event-of-this-failure',
    'replayed-older-event',
    'superseded-version-event'
  ),
  lookup: fc.constantFrom('complete', 'denied', 'throttled', 'failed', 'incomplete', 'off'),
  pendingAction: fc.constantFrom<PendingAction>('auto', 'discard', 'promote'),
  pinned: fc.boolean(),
  byPerson: fc.boolean(),
  unknownStepAction: fc.constantFrom('hold' as const, 'discard' as const),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The failure as it really is (whether or not anyone has seen it yet). */
const realFailure = (w: World) => {
  if (w.failure === undefined) return undefined;
  const at = NOW_MS - w.ageSeconds * 1000 + Math.min(w.failure.afterSeconds, w.ageSeconds) * 1000;
  const requestId =
    w.failure.requestIdNames === 'pending'
      ? `Rotation-${ARN}-${PEND}`
      : w.failure.requestIdNames === 'other-id'
        ? `Rotation-${ARN}-e0000000-0000-4000-8000-00000000000e`
        : 'f7c3b0a2-1111-4222-8333-444455556666';
  return { ...w.failure, at, requestId };
};

/** CloudTrail's history as a look-up sees it now. */
const historyLookup = (w: World): StepLookup | 'off' => {
  if (w.lookup === 'off') return 'off';
  if (w.lookup !== 'complete') {
    return {
      outcome: w.lookup,
      step: undefined,
      eventTime: null,
      exact: false,
      pages: 1,
      errorName: 'E',
    };
  }
  const createdMs = NOW_MS - w.ageSeconds * 1000;
  const records: RotationFailure[] = [];
  const real = realFailure(w);
  if (real !== undefined && real.at + real.deliveryDelaySeconds * 1000 <= NOW_MS) {
    records.push({
      eventId: 'ct-1',
      eventTime: new Date(real.at),
      secretId: ARN,
      errorMessage:
        real.step === undefined
          ? 'Task timed out'
          : `Error when executing lambda during ${real.step} step`,
      requestId: real.requestId,
    });
  }
  if (w.olderFailureStep !== undefined) {
    records.push({
      eventId: 'ct-0',
      eventTime: new Date(createdMs - 86_400_000),
      secretId: ARN,
      errorMessage: `during ${w.olderFailureStep} step`,
      requestId: `Rotation-${ARN}-${OLD}`,
    });
  }
  const found = findFailure(
    records,
    { secretArn: ARN, secretName: 'app/db', pendingVersionId: PEND },
    new Date(createdMs)
  );
  return found === undefined
    ? { outcome: 'not-found', step: undefined, eventTime: null, exact: false, pages: 1 }
    : {
        outcome: found.step === undefined ? 'no-step' : 'found',
        step: found.step,
        eventTime: found.failure.eventTime.toISOString(),
        exact: found.exact,
        pages: 1,
      };
};

/** The trigger's event, if the world has one. */
const triggerEvent = (
  w: World
): { failure: FailureEvent; step: RotationStep | undefined } | undefined => {
  const real = realFailure(w);
  const createdMs = NOW_MS - w.ageSeconds * 1000;
  switch (w.trigger) {
    case 'event-of-this-failure':
      return real === undefined
        ? undefined
        : {
            failure: {
              eventName: 'RotationFailed',
              time: iso(real.at),
              id: 'ev',
              requestId: real.requestId,
            },
            step: real.step,
          };
    case 'replayed-older-event':
      return {
        failure: {
          eventName: 'RotationFailed',
          time: iso(createdMs - 3 * 3_600_000),
          id: 'ev-old',
          requestId: 'plain-id',
        },
        step: w.olderFailureStep ?? 'finishSecret',
      };
    case 'superseded-version-event':
      return {
        failure: {
          eventName: 'RotationFailed',
          time: iso(NOW_MS),
          id: 'ev-sup',
          requestId: `Rotation-${ARN}-${OLD}`,
        },
        step: 'finishSecret',
      };
    default:
      return undefined;
  }
};

/** The plan the product makes in that world. */
const decide = (w: World) => {
  const event = triggerEvent(w);
  const human = w.byPerson && w.pinned && w.pendingAction !== 'auto';
  const request: RemediationRequest = {
    secretId: ARN,
    dryRun: false,
    pendingAction: w.pendingAction,
    trigger: event === undefined ? 'direct' : 'rotation-failed',
    ...(w.pinned ? { expectedPendingVersionId: PEND } : {}),
    ...(human ? { humanDecision: true } : {}),
    ...(event === undefined ? {} : { failureEvent: event.failure, failedStep: event.step }),
  };
  const assessed = assessEvidence({
    secretArn: ARN,
    pendingVersionId: PEND,
    event,
    versions: {
      ids: new Set([CUR, PEND, OLD]),
      pendingCreatedAt: new Date(NOW_MS - w.ageSeconds * 1000),
    },
    pendingCreatedAt: undefined,
    lookup:
      event === undefined && !(human && w.pendingAction === 'discard')
        ? historyLookup(w)
        : 'not-needed',
    now: new Date(NOW_MS),
  });
  return {
    human,
    plan: planRemediation(state, request, {
      assessed,
      now: new Date(NOW_MS),
      policy: { graceSeconds: GRACE, unknownStepAction: w.unknownStepAction },
    }),
  };
};

const removesPending = (plan: ReturnType<typeof decide>['plan']): boolean =>
  plan.actions.some(
    (action) =>
      action.operation === 'UpdateSecretVersionStage' && action.versionStage === 'AWSPENDING'
  );
const promotes = (plan: ReturnType<typeof decide>['plan']): boolean =>
  plan.actions.some(
    (action) =>
      action.operation === 'UpdateSecretVersionStage' && action.versionStage === 'AWSCURRENT'
  );

describe('the product never destroys a live password on a guess', () => {
  it('never discards after testSecret or finishSecret, never promotes without finishSecret, unless a person pinned it', () => {
    fc.assert(
      fc.property(world, (w) => {
        // Act
        const { plan, human } = decide(w);
        const realStep = realFailure(w)?.step;

        // Assess
        // UNKNOWN_STEP_ACTION=discard with the look-up off is the old behaviour, for those who
        // choose it; everything else must hold
        const choseBlindDiscard = w.unknownStepAction === 'discard' && w.lookup === 'off';
        if (
          removesPending(plan) &&
          !promotes(plan) &&
          !choseBlindDiscard &&
          (realStep === 'testSecret' || realStep === 'finishSecret')
        ) {
          expect(human).toBe(true);
        }
        if (promotes(plan) && !human) {
          expect(realStep).toBe('finishSecret');
          expect(plan.decision.failedStep).toBe('finishSecret');
        }
      }),
      { numRuns: 3000 }
    );
  });

  it('writes nothing on a stale event, nor on a young version no delivered record names', () => {
    fc.assert(
      fc.property(world, (w) => {
        // Act
        const { plan, human } = decide(w);
        const real = realFailure(w);
        const delivered =
          real !== undefined && real.at + real.deliveryDelaySeconds * 1000 <= NOW_MS;
        const tiedEvent = w.trigger === 'event-of-this-failure' && real !== undefined;

        // Assess
        if (w.trigger === 'replayed-older-event' || w.trigger === 'superseded-version-event') {
          expect(plan.actions).toEqual([]);
        }
        if (
          w.ageSeconds < GRACE &&
          !human &&
          !tiedEvent &&
          !(delivered && w.lookup === 'complete')
        ) {
          expect(plan.actions).toEqual([]);
        }
      }),
      { numRuns: 3000 }
    );
  });
});
