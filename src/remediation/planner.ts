/**
 * The planner: a pure function from the secret's state and the request to the actions to take, the
 * decision, and the rule that chose it. No I/O, no clock: every branch is covered by table tests.
 */
import type {
  Decision,
  LabelMap,
  PendingAction,
  Plan,
  PlannedAction,
  RemediationRequest,
  ResolvedAction,
  RotationStep,
  SecretState,
} from './types.js';
import { Label, RemediationStatus, ResolvedAction as Resolved, Rule } from './types.js';

/** A `key=value` tag a secret must carry to be in scope. */
export interface RequiredTag {
  key: string;
  value: string;
}

/** Settings and context of one planning call. */
export interface PlanOptions {
  /** From `REQUIRED_TAG`; undefined means every secret is in scope. */
  requiredTag?: RequiredTag;
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
}

/** The version holding `label`, if any. */
export const versionWithLabel = (labels: LabelMap, label: string): string | undefined =>
  Object.entries(labels).find(([, stages]) => stages.includes(label))?.[0];

/**
 * Applies one planned action to a label map, the way Secrets Manager does (moving AWSCURRENT moves
 * AWSPREVIOUS to the version it left; unlabelled versions drop out). Returns a new map.
 */
export const applyActionToLabels = (labels: LabelMap, action: PlannedAction): LabelMap => {
  if (action.operation === 'CancelRotateSecret') return labels;
  const next: LabelMap = Object.fromEntries(
    Object.entries(labels).map(([id, stages]) => [id, [...stages]])
  );
  const detach = (label: string, versionId: string | undefined): void => {
    if (versionId === undefined) return;
    next[versionId] = (next[versionId] ?? []).filter((stage) => stage !== label);
  };
  const attach = (label: string, versionId: string): void => {
    next[versionId] = [...(next[versionId] ?? []).filter((stage) => stage !== label), label];
  };
  if (action.versionStage === Label.Pending) {
    detach(Label.Pending, action.removeFrom);
  } else {
    detach(Label.Current, action.removeFrom);
    attach(Label.Current, action.moveTo);
    if (action.removeFrom !== undefined && action.removeFrom !== action.moveTo) {
      detach(Label.Previous, versionWithLabel(next, Label.Previous));
      attach(Label.Previous, action.removeFrom);
    }
  }
  return Object.fromEntries(Object.entries(next).filter(([, stages]) => stages.length > 0));
};

const hasRequiredTag = (state: SecretState, tag: RequiredTag | undefined): boolean =>
  tag === undefined || state.tags[tag.key] === tag.value;

const resolveAuto = (
  failedStep: RotationStep | undefined
): { resolved: ResolvedAction; rule: Rule } => {
  switch (failedStep) {
    case 'finishSecret':
      return { resolved: Resolved.Promote, rule: Rule.AutoFinishPromote };
    case 'testSecret':
      return { resolved: Resolved.Hold, rule: Rule.AutoTestHold };
    default:
      return { resolved: Resolved.Discard, rule: Rule.AutoDiscard };
  }
};

const resolvePendingAction = (
  requested: PendingAction,
  failedStep: RotationStep | undefined
): { resolved: ResolvedAction; rule: Rule } => {
  if (requested === 'discard') return { resolved: Resolved.Discard, rule: Rule.DiscardRequested };
  if (requested === 'promote') return { resolved: Resolved.Promote, rule: Rule.PromoteRequested };
  return resolveAuto(failedStep);
};

const stepText = (failedStep: RotationStep | undefined): string =>
  failedStep === undefined ? 'an unknown step' : failedStep;

/**
 * Plans the remediation of one secret. Pure: the same state, request and options always give the
 * same plan.
 */
export const planRemediation = (
  state: SecretState,
  request: Pick<RemediationRequest, 'pendingAction' | 'failedStep' | 'expectedPendingVersionId'>,
  options: PlanOptions = {}
): Plan => {
  const labels = state.versionIdsToStages;
  const pendingVersionId = versionWithLabel(labels, Label.Pending);
  const currentVersionId = versionWithLabel(labels, Label.Current);
  const failedStep = request.failedStep;
  const cancel: PlannedAction[] =
    state.rotationEnabled === true ? [{ operation: 'CancelRotateSecret' }] : [];

  const make = (
    outcome: Plan['outcome'],
    resolved: ResolvedAction,
    rule: Rule,
    reason: string,
    actions: PlannedAction[] = []
  ): Plan => {
    const decision: Decision = {
      requested: request.pendingAction,
      resolved,
      rule,
      failedStep: failedStep ?? null,
    };
    const cancels = actions.some((action) => action.operation === 'CancelRotateSecret');
    return {
      outcome,
      decision,
      reason,
      actions,
      expected: {
        rotationEnabled: cancels ? false : state.rotationEnabled,
        versionIdsToStages: actions.reduce(applyActionToLabels, labels),
      },
      pendingVersionId,
      currentVersionId,
    };
  };
  const refuse = (rule: Rule, reason: string): Plan =>
    make(RemediationStatus.Refused, Resolved.None, rule, reason);

  if (state.deletedDate !== undefined) {
    return refuse(
      Rule.MarkedForDeletion,
      `The secret is marked for deletion (since ${state.deletedDate}); restore it before remediating.`
    );
  }
  if (state.primaryRegion !== undefined) {
    return refuse(
      Rule.Replica,
      `The secret is a read-only replica; remediate it in its primary region ${state.primaryRegion}.`
    );
  }
  if (!hasRequiredTag(state, options.requiredTag)) {
    return refuse(
      Rule.OutOfScope,
      `The secret is outside this remediator's scope: it lacks the tag ${options.requiredTag?.key}=${options.requiredTag?.value}.`
    );
  }
  if (pendingVersionId === undefined) {
    return make(
      RemediationStatus.AlreadyClean,
      Resolved.None,
      Rule.NoPending,
      'No version carries AWSPENDING: no rotation is stuck, so nothing is changed.'
    );
  }
  if (pendingVersionId === currentVersionId) {
    return make(
      RemediationStatus.AlreadyClean,
      Resolved.None,
      Rule.PendingOnCurrent,
      'AWSPENDING sits on the AWSCURRENT version, the legal state after a successful rotation: nothing is changed.'
    );
  }
  if (
    request.expectedPendingVersionId !== undefined &&
    request.expectedPendingVersionId !== pendingVersionId
  ) {
    return refuse(
      Rule.PendingVersionMismatch,
      `AWSPENDING is on version ${pendingVersionId}, not on the expected version ${request.expectedPendingVersionId}.`
    );
  }
  if (options.pinned !== undefined) {
    if (options.pinned.pendingVersionId !== pendingVersionId) {
      return refuse(
        Rule.PendingChanged,
        `AWSPENDING moved from version ${options.pinned.pendingVersionId} to ${pendingVersionId} during the remediation: a rotation is running again; nothing more is changed.`
      );
    }
    if (options.pinned.currentVersionId !== currentVersionId) {
      return refuse(
        Rule.CurrentChanged,
        `AWSCURRENT moved from version ${options.pinned.currentVersionId} to ${currentVersionId} during the remediation: someone else is acting on the secret; nothing more is changed.`
      );
    }
  }
  if (options.cancelRefusedWith !== undefined && cancel.length > 0) {
    return refuse(
      Rule.CancelRefused,
      `Secrets Manager refused CancelRotateSecret (${options.cancelRefusedWith}) although the state is unchanged${state.owningService === undefined ? '' : `: the secret is managed by ${state.owningService}; use that service`}. Nothing was changed.`
    );
  }
  if (state.owningService !== undefined) {
    return make(
      RemediationStatus.NeedsDecision,
      Resolved.None,
      Rule.ManagedCancelOnly,
      `The secret is managed by ${state.owningService}, which owns its labels: rotation is cancelled but AWSPENDING stays on version ${pendingVersionId}; resolve it through ${state.owningService}.`,
      cancel
    );
  }

  const { resolved, rule } = resolvePendingAction(request.pendingAction, failedStep);
  if (resolved === Resolved.Hold) {
    return make(
      RemediationStatus.NeedsDecision,
      Resolved.Hold,
      rule,
      `The rotation failed at ${stepText(failedStep)}: the database may already use the pending credential. Rotation is cancelled and AWSPENDING stays on version ${pendingVersionId}. Decide: pendingAction "promote" (make version ${pendingVersionId} AWSCURRENT) or "discard" (remove AWSPENDING from it).`,
      cancel
    );
  }
  if (resolved === Resolved.Promote) {
    if (failedStep === 'createSecret') {
      return refuse(
        Rule.PromoteUnsafeAfterCreate,
        `The rotation failed at createSecret, so pending version ${pendingVersionId} may hold no value: promoting it is refused. Use pendingAction "discard".`
      );
    }
    return make(
      RemediationStatus.Remediated,
      Resolved.Promote,
      rule,
      `Promote: the rotation failed at ${stepText(failedStep)}; version ${pendingVersionId} becomes AWSCURRENT${currentVersionId === undefined ? '' : ` (version ${currentVersionId} becomes AWSPREVIOUS)`} and AWSPENDING is removed.`,
      [
        ...cancel,
        {
          operation: 'UpdateSecretVersionStage',
          versionStage: Label.Current,
          moveTo: pendingVersionId,
          removeFrom: currentVersionId,
        },
        {
          operation: 'UpdateSecretVersionStage',
          versionStage: Label.Pending,
          removeFrom: pendingVersionId,
        },
      ]
    );
  }
  return make(
    RemediationStatus.Remediated,
    Resolved.Discard,
    rule,
    `Discard: the rotation failed at ${stepText(failedStep)}; AWSPENDING is removed from version ${pendingVersionId} and AWSCURRENT stays on ${currentVersionId ?? 'no version'}.`,
    [
      ...cancel,
      {
        operation: 'UpdateSecretVersionStage',
        versionStage: Label.Pending,
        removeFrom: pendingVersionId,
      },
    ]
  );
};
