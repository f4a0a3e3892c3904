/**
 * What every rule of the planner works from ({@link PlanContext}) and what it answers
 * ({@link Choice}), with the answers several rules share. Pure.
 */
import type {
  Evidence,
  EvidencePolicy,
  PlannedAction,
  RemediationRequest,
  RotationStep,
  SecretState,
} from './types.js';
import { RemediationStatus, ResolvedAction, Rule } from './types.js';

/** A `key=value` tag a secret must carry to be in scope. */
export interface RequiredTag {
  key: string;
  value: string;
}

/** Evidence as the planner takes it: the value, and the failed step it ties to the pending version. */
export interface AssessedEvidence {
  evidence: Evidence;
  step: RotationStep | undefined;
}

/** Settings and context of one planning call. */
export interface PlanOptions {
  /** From `REQUIRED_TAG`; undefined means every secret is in scope. */
  requiredTag?: RequiredTag | undefined;
  /** Grace period and unknown-step action; absent: the defaults (3600 s, hold). */
  policy?: EvidencePolicy | undefined;
  /** The evidence the core gathered; absent on a first plan, which then asks for it. */
  assessed?: AssessedEvidence | undefined;
  /** When the plan is made (the injected clock): how old an event is. */
  now?: Date | undefined;
  /**
   * The pending and current versions an earlier plan of the same remediation was made for. A
   * re-plan after the state changed must not act on other versions than the ones that failed.
   */
  pinned?: { pendingVersionId: string | undefined; currentVersionId: string | undefined };
  /**
   * The error name with which Secrets Manager refused CancelRotateSecret on an earlier attempt of
   * the same remediation. Set when re-planning after that refusal: if the plan would cancel again
   * (nothing changed), the remediation is refused instead of asking again.
   */
  cancelRefusedWith?: string;
  /**
   * From `ROTATION_FUNCTION_ARNS`: the rotation functions a resume may turn back on; undefined
   * (the CLI, the operator's own rights): any.
   */
  rotationFunctionArns?: readonly string[] | undefined;
}

/** The defaults of {@link EvidencePolicy}. */
export const DEFAULT_POLICY = {
  graceSeconds: 3600,
  unknownStepAction: 'hold',
} as const satisfies EvidencePolicy;

/** The request fields the planner reads. */
export type PlannedRequest = Pick<
  RemediationRequest,
  | 'pendingAction'
  | 'failedStep'
  | 'failureEvent'
  | 'humanDecision'
  | 'expectedPendingVersionId'
  | 'intent'
  | 'rotateImmediately'
  | 'testRotationFailed'
>;

/** What the planner has to go on: the state, the request, the options, and what they imply. */
export interface PlanContext {
  state: SecretState;
  request: PlannedRequest;
  options: PlanOptions;
  pendingVersionId: string | undefined;
  currentVersionId: string | undefined;
  /** CancelRotateSecret when rotation is on, else nothing. */
  cancel: PlannedAction[];
}

/** A decision before its expected end state is computed. */
export interface Choice {
  outcome: Exclude<RemediationStatus, 'planned'>;
  resolved: ResolvedAction;
  rule: Rule;
  reason: string;
  actions?: PlannedAction[];
  /** The choice waits for evidence the planner was not given. */
  needsEvidence?: boolean;
  retryAfterSeconds?: number;
}

/** A refusal: nothing is changed. */
export const refusal = (rule: Rule, reason: string): Choice => ({
  outcome: RemediationStatus.Refused,
  resolved: ResolvedAction.None,
  rule,
  reason,
});

/** The answer of a rule that needs the evidence the core has not gathered yet. */
export const awaitingEvidence: Choice = {
  outcome: RemediationStatus.NeedsDecision,
  resolved: ResolvedAction.None,
  rule: Rule.HoldEvidenceIncomplete,
  reason: 'The decision needs evidence that was not gathered.',
  needsEvidence: true,
};

/** What a person runs to decide, pinned to the pending version. */
export const decideText = (pendingVersionId: string): string =>
  `Decide with expectedPendingVersionId ${pendingVersionId}: pendingAction "promote" (make it AWSCURRENT) or "discard" (remove AWSPENDING from it).`;

/** Hold: cancel rotation, keep AWSPENDING, ask a person with the pinned choices. */
export const hold = (context: PlanContext, rule: Rule, why: string): Choice => {
  const pendingVersionId = context.pendingVersionId ?? '';
  return {
    outcome: RemediationStatus.NeedsDecision,
    resolved: ResolvedAction.Hold,
    rule,
    reason: `${why} Rotation is cancelled and AWSPENDING stays on version ${pendingVersionId}. ${decideText(pendingVersionId)}`,
    actions: context.cancel,
  };
};
