/**
 * The planner: a pure function from the secret's state, the request and the evidence to the actions
 * to take, the decision, and the rule that chose it. No I/O, no clock of its own: every branch is
 * covered by table tests. The rules for a stuck pending version are in ./pending-rules.ts.
 */
import { noEvidence } from './evidence.js';
import { pendingVersionOf, versionWithLabel } from './labels.js';
import { deferChoice, eventChoice, pendingChoice, unpinnedPromoteChoice } from './pending-rules.js';
import type {
  Choice,
  PlanContext,
  PlannedRequest,
  PlanOptions,
  RequiredTag,
} from './plan-context.js';
import { refusal } from './plan-context.js';
import type { Decision, LabelMap, Plan, PlannedAction, SecretState } from './types.js';
import { Intent, Label, RemediationStatus, ResolvedAction, Rule } from './types.js';

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
      resolved: ResolvedAction.None,
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
    resolved: ResolvedAction.None,
    rule: Rule.ManagedCancelOnly,
    reason: `The secret is managed by ${state.owningService}, which owns its labels: rotation is cancelled but AWSPENDING stays on version ${pendingVersionId}; resolve it through ${state.owningService}.`,
    actions: cancel,
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
    failedStep: context.options.assessed?.step ?? null,
    evidence: context.options.assessed?.evidence ?? noEvidence(context.pendingVersionId),
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
    needsEvidence: choice.needsEvidence === true,
    ...(choice.retryAfterSeconds === undefined
      ? {}
      : { retryAfterSeconds: choice.retryAfterSeconds }),
  };
};

/** What the planner has to go on, from the state, the request and the options. */
const contextOf = (
  state: SecretState,
  request: PlannedRequest,
  options: PlanOptions
): PlanContext => ({
  state,
  request,
  options,
  pendingVersionId: pendingVersionOf(state.versionIdsToStages),
  currentVersionId: versionWithLabel(state.versionIdsToStages, Label.Current),
  cancel: state.rotationEnabled === true ? [{ operation: 'CancelRotateSecret' }] : [],
});

/**
 * Plans the remediation of one secret. Pure: the same state, request and options always give the
 * same plan. The rules are tried in order: scope, the event's tie, labels, an unpinned promote,
 * the grace period, owner, then the pending version by the evidence.
 */
export const planRemediation = (
  state: SecretState,
  request: PlannedRequest,
  options: PlanOptions = {}
): Plan => {
  const context = contextOf(state, request, options);
  const choice =
    scopeChoice(context) ??
    eventChoice(context) ??
    labelChoice(context) ??
    unpinnedPromoteChoice(context) ??
    deferChoice(context) ??
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
  // a managed secret first: its service, not a remediation, is the way back (stuck or not)
  if (state.owningService !== undefined) {
    return refusal(
      Rule.ResumeManaged,
      `The secret is managed by ${state.owningService}: ${managedAdvice(state.owningService)}.`
    );
  }
  if (pendingVersionId !== undefined && pendingVersionId !== currentVersionId) {
    return refusal(
      Rule.ResumeWhileStuck,
      `AWSPENDING sits on version ${pendingVersionId}, not on AWSCURRENT: a rotation is stuck, and RotateSecret would be refused. Remediate first, then resume.`
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
      resolved: ResolvedAction.None,
      rule: Rule.AlreadyRotating,
      reason: `Rotation is already on${state.nextRotationDate === undefined ? '' : ` (next rotation ${state.nextRotationDate})`}: nothing is written.`,
    };
  }
  const rotateImmediately = request.rotateImmediately === true;
  return {
    outcome: RemediationStatus.Resumed,
    resolved: ResolvedAction.Resume,
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
  request: PlannedRequest,
  options: PlanOptions = {}
): Plan => {
  const context = contextOf(state, request, options);
  return toPlan(context, scopeChoice(context) ?? resumeChoice(context));
};

/** Plans what the request asks for: a resume, or the remediation of a failed rotation. */
export const planRequest = (
  state: SecretState,
  request: PlannedRequest,
  options: PlanOptions = {}
): Plan =>
  request.intent === Intent.Resume
    ? planResume(state, request, options)
    : planRemediation(state, request, options);
