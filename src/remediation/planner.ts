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
import {
  FailedStepSource,
  Intent,
  Label,
  RemediationStatus,
  ResolvedAction as Resolved,
  Rule,
} from './types.js';

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
  /**
   * From `ROTATION_FUNCTION_ARNS`: the rotation functions a resume may turn back on; undefined
   * (the CLI, the operator's own rights): any.
   */
  rotationFunctionArns?: readonly string[] | undefined;
}

/** The version holding `label`, if any. */
export const versionWithLabel = (labels: LabelMap, label: string): string | undefined =>
  Object.entries(labels).find(([, stages]) => stages.includes(label))?.[0];

/**
 * Applies one planned action to a label map, the way Secrets Manager does (moving AWSCURRENT moves
 * AWSPREVIOUS to the version it left; unlabelled versions drop out). Returns a new map.
 */
export const applyActionToLabels = (labels: LabelMap, action: PlannedAction): LabelMap => {
  if (action.operation === 'CancelRotateSecret' || action.operation === 'RotateSecret') {
    return labels;
  }
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

/** What the planner has to go on: the state, the request, the options, and what they imply. */
interface PlanContext {
  state: SecretState;
  request: Pick<
    RemediationRequest,
    | 'pendingAction'
    | 'failedStep'
    | 'failedStepSource'
    | 'expectedPendingVersionId'
    | 'intent'
    | 'rotateImmediately'
    | 'testRotationFailed'
  >;
  options: PlanOptions;
  pendingVersionId: string | undefined;
  currentVersionId: string | undefined;
  /** CancelRotateSecret when rotation is on, else nothing. */
  cancel: PlannedAction[];
}

/** A decision before its expected end state is computed. */
interface Choice {
  outcome: Plan['outcome'];
  resolved: ResolvedAction;
  rule: Rule;
  reason: string;
  actions?: PlannedAction[];
  needsFailedStep?: boolean;
}

const refusal = (rule: Rule, reason: string): Choice => ({
  outcome: RemediationStatus.Refused,
  resolved: Resolved.None,
  rule,
  reason,
});

/** Refusals by scope: a secret marked for deletion, a replica, a secret without the tag. */
const scopeChoice = ({ state, options }: PlanContext): Choice | undefined => {
  if (state.deletedDate !== undefined) {
    return refusal(
      Rule.MarkedForDeletion,
      `The secret is marked for deletion (since ${state.deletedDate}); restore it before remediating.`
    );
  }
  if (state.primaryRegion !== undefined) {
    return refusal(
      Rule.Replica,
      `The secret is a read-only replica; remediate it in its primary region ${state.primaryRegion}.`
    );
  }
  if (!hasRequiredTag(state, options.requiredTag)) {
    return refusal(
      Rule.OutOfScope,
      `The secret is outside this remediator's scope: it lacks the tag ${options.requiredTag?.key}=${options.requiredTag?.value}.`
    );
  }
  return undefined;
};

/** Choices by the labels: nothing stuck, the wrong pending version, versions that moved. */
const labelChoice = (context: PlanContext): Choice | undefined => {
  const { request, options, pendingVersionId, currentVersionId } = context;
  if (pendingVersionId === undefined || pendingVersionId === currentVersionId) {
    return {
      outcome: RemediationStatus.AlreadyClean,
      resolved: Resolved.None,
      ...(pendingVersionId === undefined
        ? {
            rule: Rule.NoPending,
            reason: 'No version carries AWSPENDING: no rotation is stuck, so nothing is changed.',
          }
        : {
            rule: Rule.PendingOnCurrent,
            reason:
              'AWSPENDING sits on the AWSCURRENT version, the legal state after a successful rotation: nothing is changed.',
          }),
    };
  }
  const expected = request.expectedPendingVersionId;
  if (expected !== undefined && expected !== pendingVersionId) {
    return refusal(
      Rule.PendingVersionMismatch,
      `AWSPENDING is on version ${pendingVersionId}, not on the expected version ${expected}.`
    );
  }
  const pinned = options.pinned;
  if (pinned !== undefined && pinned.pendingVersionId !== pendingVersionId) {
    return refusal(
      Rule.PendingChanged,
      `AWSPENDING moved from version ${pinned.pendingVersionId} to ${pendingVersionId} during the remediation: a rotation is running again; nothing more is changed.`
    );
  }
  if (pinned !== undefined && pinned.currentVersionId !== currentVersionId) {
    return refusal(
      Rule.CurrentChanged,
      `AWSCURRENT moved from version ${pinned.currentVersionId} to ${currentVersionId} during the remediation: someone else is acting on the secret; nothing more is changed.`
    );
  }
  return undefined;
};

/** Choices by who owns the labels: a refused cancel, a service-managed secret. */
const ownerChoice = ({
  state,
  options,
  pendingVersionId,
  cancel,
}: PlanContext): Choice | undefined => {
  if (options.cancelRefusedWith !== undefined && cancel.length > 0) {
    return refusal(
      Rule.CancelRefused,
      `Secrets Manager refused CancelRotateSecret (${options.cancelRefusedWith}) although the state is unchanged${state.owningService === undefined ? '' : `: the secret is managed by ${state.owningService}; use that service`}. Nothing was changed.`
    );
  }
  if (state.owningService === undefined) return undefined;
  return {
    outcome: RemediationStatus.NeedsDecision,
    resolved: Resolved.None,
    rule: Rule.ManagedCancelOnly,
    reason: `The secret is managed by ${state.owningService}, which owns its labels: rotation is cancelled but AWSPENDING stays on version ${pendingVersionId}; resolve it through ${state.owningService}.`,
    actions: cancel,
  };
};

/**
 * After a failed test rotation: discard the test's AWSPENDING (a test never changes the database)
 * and cancel rotation again; with no AWSPENDING left, cancel only. Undefined for any other request.
 */
const testFailureChoice = (context: PlanContext): Choice | undefined => {
  const { request, cancel, pendingVersionId, currentVersionId } = context;
  if (request.testRotationFailed !== true) return undefined;
  const stuck = pendingVersionId !== undefined && pendingVersionId !== currentVersionId;
  if (!stuck && cancel.length === 0) return undefined;
  const actions: PlannedAction[] = stuck
    ? [
        ...cancel,
        {
          operation: 'UpdateSecretVersionStage',
          versionStage: Label.Pending,
          removeFrom: pendingVersionId,
        },
      ]
    : cancel;
  return {
    outcome: RemediationStatus.Remediated,
    resolved: stuck ? Resolved.Discard : Resolved.None,
    rule: stuck ? Rule.TestRotationFailedDiscard : Rule.TestRotationFailedCancel,
    reason: `The test rotation failed (TestRotationFailed): a test never changes the database, so ${stuck ? `AWSPENDING is removed from the test's version ${pendingVersionId} and ` : ''}rotation is cancelled again. Fix the rotation function, then resume.`,
    actions,
  };
};

/** The choice for the pending version itself: hold, promote or discard, by the failed step. */
const pendingChoice = (context: PlanContext): Choice => {
  const { request, cancel, currentVersionId } = context;
  const pendingVersionId = context.pendingVersionId ?? '';
  const failedStep = request.failedStep;
  const { resolved, rule } = resolvePendingAction(request.pendingAction, failedStep);
  const needsFailedStep = failedStep === undefined && request.pendingAction !== 'discard';
  const step = stepText(failedStep);
  if (resolved === Resolved.Hold) {
    return {
      outcome: RemediationStatus.NeedsDecision,
      resolved,
      rule,
      reason: `The rotation failed at ${step}: the database may already use the pending credential. Rotation is cancelled and AWSPENDING stays on version ${pendingVersionId}. Decide: pendingAction "promote" (make version ${pendingVersionId} AWSCURRENT) or "discard" (remove AWSPENDING from it).`,
      actions: cancel,
      needsFailedStep,
    };
  }
  if (resolved === Resolved.Promote && failedStep === 'createSecret') {
    return refusal(
      Rule.PromoteUnsafeAfterCreate,
      `The rotation failed at createSecret, so pending version ${pendingVersionId} may hold no value: promoting it is refused. Use pendingAction "discard".`
    );
  }
  const discard: PlannedAction = {
    operation: 'UpdateSecretVersionStage',
    versionStage: Label.Pending,
    removeFrom: pendingVersionId,
  };
  if (resolved === Resolved.Promote) {
    return {
      outcome: RemediationStatus.Remediated,
      resolved,
      rule,
      reason: `Promote: the rotation failed at ${step}; version ${pendingVersionId} becomes AWSCURRENT${currentVersionId === undefined ? '' : ` (version ${currentVersionId} becomes AWSPREVIOUS)`} and AWSPENDING is removed.`,
      actions: [
        ...cancel,
        {
          operation: 'UpdateSecretVersionStage',
          versionStage: Label.Current,
          moveTo: pendingVersionId,
          removeFrom: currentVersionId,
        },
        discard,
      ],
      needsFailedStep,
    };
  }
  return {
    outcome: RemediationStatus.Remediated,
    resolved,
    rule,
    reason: `Discard: the rotation failed at ${step}; AWSPENDING is removed from version ${pendingVersionId} and AWSCURRENT stays on ${currentVersionId ?? 'no version'}.`,
    actions: [...cancel, discard],
    needsFailedStep,
  };
};

/** The plan of a choice: the decision, the actions and the end state they lead to. */
const toPlan = (context: PlanContext, choice: Choice): Plan => {
  const { state, request } = context;
  const actions = choice.actions ?? [];
  const decision: Decision = {
    requested: request.intent === Intent.Resume ? Intent.Resume : request.pendingAction,
    resolved: choice.resolved,
    rule: choice.rule,
    failedStep: request.failedStep ?? null,
    failedStepSource:
      request.failedStep === undefined
        ? FailedStepSource.Unknown
        : (request.failedStepSource ?? FailedStepSource.Event),
  };
  const cancels = actions.some((action) => action.operation === 'CancelRotateSecret');
  const rotates = actions.some((action) => action.operation === 'RotateSecret');
  return {
    outcome: choice.outcome,
    decision,
    reason: choice.reason,
    actions,
    expected: {
      rotationEnabled: cancels ? false : rotates ? true : state.rotationEnabled,
      versionIdsToStages: actions.reduce(applyActionToLabels, state.versionIdsToStages),
    },
    pendingVersionId: context.pendingVersionId,
    currentVersionId: context.currentVersionId,
    needsFailedStep: choice.needsFailedStep === true,
  };
};

/** What the planner has to go on, from the state, the request and the options. */
const contextOf = (
  state: SecretState,
  request: PlanContext['request'],
  options: PlanOptions
): PlanContext => ({
  state,
  request,
  options,
  pendingVersionId: versionWithLabel(state.versionIdsToStages, Label.Pending),
  currentVersionId: versionWithLabel(state.versionIdsToStages, Label.Current),
  cancel: state.rotationEnabled === true ? [{ operation: 'CancelRotateSecret' }] : [],
});

/**
 * Plans the remediation of one secret. Pure: the same state, request and options always give the
 * same plan. The rules are tried in order: scope, labels, owner, then the pending version by step.
 */
export const planRemediation = (
  state: SecretState,
  request: PlanContext['request'],
  options: PlanOptions = {}
): Plan => {
  const context = contextOf(state, request, options);
  const choice =
    scopeChoice(context) ??
    testFailureChoice(context) ??
    labelChoice(context) ??
    ownerChoice(context) ??
    pendingChoice(context);
  return toPlan(context, choice);
};

/**
 * How a service rotates the secrets it manages, for the refusal of a resume; an unknown service
 * gets the general advice.
 */
const MANAGED_ROTATION: Readonly<Record<string, string>> = {
  rds: 'Amazon RDS rotates its managed master user secret itself: change the rotation schedule with ModifyDBInstance or ModifyDBCluster (ManageMasterUserPassword), or in the RDS console',
  redshift:
    'Amazon Redshift rotates its managed admin secret itself: use ModifyCluster (ManageMasterPassword) or the Redshift console',
};

const managedAdvice = (service: string): string =>
  MANAGED_ROTATION[service.toLowerCase()] ??
  `the secret is managed by ${service}: turn its rotation on through ${service}'s own setting`;

/** Resume's choices after the scope: stuck, managed, no function, already on, or RotateSecret. */
const resumeChoice = (context: PlanContext): Choice => {
  const { state, request, pendingVersionId, currentVersionId } = context;
  if (pendingVersionId !== undefined && pendingVersionId !== currentVersionId) {
    return refusal(
      Rule.ResumeWhileStuck,
      `AWSPENDING sits on version ${pendingVersionId}, not on AWSCURRENT: a rotation is stuck, and RotateSecret would be refused. Remediate first, then resume.`
    );
  }
  if (state.owningService !== undefined) {
    return refusal(
      Rule.ResumeManaged,
      `The secret is managed by ${state.owningService}: ${managedAdvice(state.owningService)}.`
    );
  }
  if (state.rotationLambdaArn === undefined) {
    return refusal(
      Rule.ResumeNoFunction,
      'No rotation function is configured for this secret: there is nothing to resume. Configure rotation (RotateSecret with RotationLambdaARN and rules) first.'
    );
  }
  const allowed = context.options.rotationFunctionArns;
  if (allowed !== undefined && !allowed.includes(state.rotationLambdaArn)) {
    return refusal(
      Rule.ResumeFunctionNotAllowed,
      `The secret's rotation function ${state.rotationLambdaArn} is not one this remediator may run: add it to the stack's RotationFunctionArns (ROTATION_FUNCTION_ARNS), or resume with the CLI and your own rights.`
    );
  }
  if (state.rotationEnabled === true) {
    return {
      outcome: RemediationStatus.AlreadyRotating,
      resolved: Resolved.None,
      rule: Rule.AlreadyRotating,
      reason: `Rotation is already on${state.nextRotationDate === undefined ? '' : ` (next rotation ${state.nextRotationDate})`}: nothing is written.`,
    };
  }
  const rotateImmediately = request.rotateImmediately === true;
  return {
    outcome: RemediationStatus.Resumed,
    resolved: Resolved.Resume,
    rule: Rule.Resume,
    reason: rotateImmediately
      ? `Rotation is turned back on with the stored function ${state.rotationLambdaArn} and schedule, and a rotation starts now (RotateImmediately=true).`
      : `Rotation is turned back on with the stored function ${state.rotationLambdaArn} and schedule; the function runs its testSecret step only (RotateImmediately=false), and the schedule sets the next rotation.`,
    actions: [{ operation: 'RotateSecret', rotateImmediately }],
  };
};

/**
 * Plans a resume: turn rotation back on after a remediation cancelled it. Pure. The rules are
 * tried in order: scope (deleted, replica, tag), stuck, managed, no function, already on.
 */
export const planResume = (
  state: SecretState,
  request: PlanContext['request'],
  options: PlanOptions = {}
): Plan => {
  const context = contextOf(state, request, options);
  return toPlan(context, scopeChoice(context) ?? resumeChoice(context));
};

/** Plans what the request asks for: a resume, or the remediation of a failed rotation. */
export const planRequest = (
  state: SecretState,
  request: PlanContext['request'],
  options: PlanOptions = {}
): Plan =>
  request.intent === Intent.Resume
    ? planResume(state, request, options)
    : planRemediation(state, request, options);
