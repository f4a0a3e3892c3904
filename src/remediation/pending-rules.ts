/**
 * The planner's rules for a stuck pending version, each on named evidence: the trigger's event
 * (stale, untied, a failed test), the grace period (in flight is not failed), and the pending
 * action by the failed step. Pure. A rule never guesses into a change that cannot be undone: a
 * discard needs a step that allows it, complete evidence, or a pinned human decision; a promote
 * needs a record naming finishSecret for this version, or a pinned human decision.
 */
import { isTied } from './evidence.js';
import { isStuck } from './labels.js';
import type { Choice, PlanContext } from './plan-context.js';
import { awaitingEvidence, DEFAULT_POLICY, hold, refusal } from './plan-context.js';
import type { PlannedAction, RotationStep } from './types.js';
import {
  EventTie,
  Label,
  LookupState,
  RemediationStatus,
  ResolvedAction,
  Rule,
  UnknownStepAction,
} from './types.js';

/** Nothing is written: the event reports another failure than the pending version's. */
const stale = (rule: Rule, reason: string): Choice => ({
  outcome: RemediationStatus.Stale,
  resolved: ResolvedAction.None,
  rule,
  reason: `${reason} Nothing is changed.`,
});

/** The discard of the pending version. */
const discardAction = (pendingVersionId: string): PlannedAction => ({
  operation: 'UpdateSecretVersionStage',
  versionStage: Label.Pending,
  removeFrom: pendingVersionId,
});

/**
 * A failed test with no AWSPENDING left: cancel rotation again, but only for a recent event (an
 * event past the grace period may be a replay from before a later resume).
 */
const testCancelChoice = (context: PlanContext): Choice | undefined => {
  const { request, options, cancel } = context;
  if (request.testRotationFailed !== true || cancel.length === 0) return undefined;
  const grace = (options.policy ?? DEFAULT_POLICY).graceSeconds;
  const time =
    request.failureEvent === undefined ? Number.NaN : Date.parse(request.failureEvent.time);
  const ageMs = options.now === undefined ? Number.NaN : options.now.getTime() - time;
  if (!(ageMs < grace * 1000)) {
    return stale(
      Rule.StalePastGrace,
      `The TestRotationFailed event (${request.failureEvent?.time ?? 'no time'}) is older than the grace period of ${grace} s and no AWSPENDING is left to tie it to: it may be a replay from before a later resume.`
    );
  }
  return {
    outcome: RemediationStatus.Remediated,
    resolved: ResolvedAction.None,
    rule: Rule.TestRotationFailedCancel,
    reason:
      'The test rotation failed (TestRotationFailed) and left no AWSPENDING: rotation is cancelled again. Fix the rotation function, then resume.',
    actions: cancel,
  };
};

/**
 * The trigger's event, tied to the pending version or not: a stale event writes nothing, an
 * untied one holds, a failed test discards its own AWSPENDING. Undefined for a request without an
 * event, or an event tied to a failed rotation (the step rules decide).
 */
export const eventChoice = (context: PlanContext): Choice | undefined => {
  const { request, options, cancel } = context;
  if (request.failureEvent === undefined) return undefined;
  if (!isStuck(context.state.versionIdsToStages)) return testCancelChoice(context);
  const pendingVersionId = context.pendingVersionId ?? '';
  if (options.assessed === undefined) return awaitingEvidence;
  const { eventTie } = options.assessed.evidence;
  const event = `The ${request.failureEvent.eventName} event of ${request.failureEvent.time}`;
  if (eventTie === EventTie.StaleOlder) {
    return stale(
      Rule.StaleOlder,
      `${event} is older than pending version ${pendingVersionId}: it reports an earlier failure (a retry, a redrive or a replay).`
    );
  }
  if (eventTie === EventTie.StaleSuperseded) {
    return stale(
      Rule.StaleSuperseded,
      `${event} names another version of this secret, one that no longer holds AWSPENDING (now on ${pendingVersionId}).`
    );
  }
  if (!isTied(eventTie)) {
    return hold(
      context,
      Rule.HoldEvidenceIncomplete,
      `${event} cannot be tied to pending version ${pendingVersionId}: the secret's versions could not be read.`
    );
  }
  if (request.testRotationFailed !== true) return undefined;
  return {
    outcome: RemediationStatus.Remediated,
    resolved: ResolvedAction.Discard,
    rule: Rule.TestRotationFailedDiscard,
    reason: `The test rotation failed (TestRotationFailed): a test never changes the database, so AWSPENDING is removed from the test's version ${pendingVersionId} and rotation is cancelled again. Fix the rotation function, then resume.`,
    actions: [...cancel, discardAction(pendingVersionId)],
  };
};

/**
 * In flight is not failed: a pending version younger than the grace period that no failure record
 * names is left alone (no write at all), unless a person pinned a decision.
 */
export const deferChoice = (context: PlanContext): Choice | undefined => {
  const { request, options } = context;
  if (request.humanDecision === true) return undefined;
  if (options.assessed === undefined) return awaitingEvidence;
  const { evidence } = options.assessed;
  const age = evidence.pendingVersionAgeSeconds;
  const grace = (options.policy ?? DEFAULT_POLICY).graceSeconds;
  if (evidence.record !== null || age === null || age >= grace) return undefined;
  return {
    outcome: RemediationStatus.Deferred,
    resolved: ResolvedAction.None,
    rule: Rule.DeferredInFlight,
    reason: `Pending version ${context.pendingVersionId} was created ${age} s ago, within the grace period of ${grace} s, and no failure record names it: its rotation may still be running. Nothing is changed; look again in ${grace - age} s.`,
    retryAfterSeconds: grace - age,
  };
};

const INCOMPLETE: readonly string[] = [
  LookupState.Denied,
  LookupState.Throttled,
  LookupState.Failed,
  LookupState.WindowIncomplete,
];

/** Why the evidence cannot let a discard through, or undefined when it can. */
const incompleteWhy = (context: PlanContext): string | undefined => {
  const evidence = context.options.assessed?.evidence;
  if (evidence === undefined) return 'No evidence was gathered.';
  if (INCOMPLETE.includes(evidence.lookup)) {
    return `The failed step is unknown and the history look-up is incomplete (${evidence.lookup}${evidence.lookupError === null ? '' : `: ${evidence.lookupError}`}): a failure record may name a later step.`;
  }
  // with no record tying a failure to it, an undatable version may be a rotation still running
  if (evidence.pendingVersionAgeSeconds === null && evidence.record === null) {
    return `The failed step is unknown and pending version ${context.pendingVersionId}'s creation could not be read${evidence.lookupError === null ? '' : ` (${evidence.lookupError})`}.`;
  }
  return undefined;
};

/** The promote of the pending version, with the labels it moves. */
const promote = (context: PlanContext, rule: Rule, why: string): Choice => {
  const { cancel, currentVersionId } = context;
  const pendingVersionId = context.pendingVersionId ?? '';
  return {
    outcome: RemediationStatus.Remediated,
    resolved: ResolvedAction.Promote,
    rule,
    reason: `Promote: ${why}; version ${pendingVersionId} becomes AWSCURRENT${currentVersionId === undefined ? '' : ` (version ${currentVersionId} becomes AWSPREVIOUS)`} and AWSPENDING is removed.`,
    actions: [
      ...cancel,
      {
        operation: 'UpdateSecretVersionStage',
        versionStage: Label.Current,
        moveTo: pendingVersionId,
        removeFrom: currentVersionId,
      },
      discardAction(pendingVersionId),
    ],
  };
};

/** The discard of the pending version. */
const discard = (context: PlanContext, rule: Rule, why: string): Choice => {
  const pendingVersionId = context.pendingVersionId ?? '';
  return {
    outcome: RemediationStatus.Remediated,
    resolved: ResolvedAction.Discard,
    rule,
    reason: `Discard: ${why}; AWSPENDING is removed from version ${pendingVersionId} and AWSCURRENT stays on ${context.currentVersionId ?? 'no version'}.`,
    actions: [...context.cancel, discardAction(pendingVersionId)],
  };
};

const stepText = (step: RotationStep | undefined): string => step ?? 'an unknown step';

/**
 * A promote no person pinned to the pending version is refused on every channel, before any
 * evidence is read: only a person who has looked promotes.
 */
export const unpinnedPromoteChoice = (context: PlanContext): Choice | undefined => {
  const { request } = context;
  if (request.pendingAction !== 'promote') return undefined;
  if (request.expectedPendingVersionId !== undefined && request.humanDecision === true) {
    return undefined;
  }
  return refusal(
    Rule.PromoteUnpinned,
    `A promote must name the version it promotes: repeat it with expectedPendingVersionId ${context.pendingVersionId} after checking that the database uses that version's credential. Nothing was changed.`
  );
};

/** A requested promote (pinned by a person): never after createSecret. */
const promoteChoice = (context: PlanContext, step: RotationStep | undefined): Choice => {
  const pendingVersionId = context.pendingVersionId ?? '';
  if (step === 'createSecret') {
    return refusal(
      Rule.PromoteUnsafeAfterCreate,
      `The rotation failed at createSecret, so pending version ${pendingVersionId} may hold no value: promoting it is refused. Use pendingAction "discard" with expectedPendingVersionId ${pendingVersionId}.`
    );
  }
  return promote(
    context,
    Rule.PromoteRequested,
    `requested for version ${pendingVersionId} (failed at ${stepText(step)})`
  );
};

/** A requested discard: pinned by a person, or allowed by the step and complete evidence. */
const discardChoice = (context: PlanContext, step: RotationStep | undefined): Choice => {
  if (context.request.humanDecision === true) {
    return discard(
      context,
      Rule.DiscardRequested,
      `requested for this version (failed at ${stepText(step)})`
    );
  }
  if (step === 'testSecret' || step === 'finishSecret') {
    return hold(
      context,
      Rule.HoldDiscardUnsafe,
      `The rotation failed at ${step}: the database may already use the pending credential, so a discard not pinned to this version by a person is not made.`
    );
  }
  const why = step === undefined ? incompleteWhy(context) : undefined;
  if (why !== undefined) return hold(context, Rule.HoldEvidenceIncomplete, why);
  if (step === undefined && context.options.assessed?.evidence.lookup === LookupState.Off) {
    // nobody looked: the step is unknown, not absent
    return unknownStepChoice(context);
  }
  return discard(context, Rule.DiscardRequested, `the rotation failed at ${stepText(step)}`);
};

/** `auto`: the action the failed step calls for; an unknown step by UNKNOWN_STEP_ACTION. */
const autoChoice = (context: PlanContext, step: RotationStep | undefined): Choice => {
  switch (step) {
    case 'finishSecret':
      return promote(context, Rule.AutoFinishPromote, 'the rotation failed at finishSecret');
    case 'testSecret':
      return hold(
        context,
        Rule.AutoTestHold,
        'The rotation failed at testSecret: the database may already use the pending credential.'
      );
    case 'createSecret':
    case 'setSecret':
      return discard(context, Rule.AutoDiscard, `the rotation failed at ${step}`);
  }
  const why = incompleteWhy(context);
  if (why !== undefined) return hold(context, Rule.HoldEvidenceIncomplete, why);
  return unknownStepChoice(context);
};

/** The step stays unknown on evidence that is complete or was turned off: UNKNOWN_STEP_ACTION. */
const unknownStepChoice = (context: PlanContext): Choice => {
  const policy = context.options.policy ?? DEFAULT_POLICY;
  if (policy.unknownStepAction === UnknownStepAction.Discard) {
    return discard(
      context,
      Rule.AutoUnknownDiscard,
      'the failed step is unknown and UNKNOWN_STEP_ACTION is discard'
    );
  }
  return hold(
    context,
    Rule.AutoUnknownHold,
    'The failed step is unknown (no failure record names one) and UNKNOWN_STEP_ACTION is hold.'
  );
};

/** The choice for the pending version itself: hold, promote or discard, on the evidence. */
export const pendingChoice = (context: PlanContext): Choice => {
  const { request, options } = context;
  const human = request.humanDecision === true && request.pendingAction === 'discard';
  if (options.assessed === undefined && !human) return awaitingEvidence;
  const step = options.assessed?.step;
  if (request.pendingAction === 'promote') return promoteChoice(context, step);
  if (request.pendingAction === 'discard') return discardChoice(context, step);
  return autoChoice(context, step);
};
