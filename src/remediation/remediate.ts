/**
 * The remediation of one secret: read the state, plan, apply, verify, report.
 *
 * `readAndPlan` makes one DescribeSecret and returns the plan; `applyPlan` executes it (re-reading
 * and re-planning when the state changed under it) and verifies the end state; `remediate` chains
 * the two, or stops after planning for a dry run.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { attemptsOf, errorNameOf, isStateConflict } from '../aws/sdk-errors.js';
import { AwsCallFailed, RemediatorError, StateChanged, VerificationFailed } from '../errors.js';
import type { CallRecord } from './apply.js';
import { applyAction } from './apply.js';
import { gatherEvidence } from './gather-evidence.js';
import type { AssessedEvidence, PlanOptions, RequiredTag } from './plan-context.js';
import { applyActionToLabels, planRequest } from './planner.js';
import { readSecretState, toSnapshot } from './read-state.js';
import type {
  AppliedAction,
  EvidencePolicy,
  FailedStepResolver,
  Plan,
  PlannedAction,
  RemediationReport,
  RemediationRequest,
  SecretState,
  StepLookup,
} from './types.js';
import { RemediationStatus, ResolvedAction } from './types.js';
import type { Mismatch } from './verify.js';
import { compareWithPlan } from './verify.js';

/** How often `applyPlan` re-reads and re-plans after a state conflict before it gives up. */
export const MAX_REPLANS = 2;

/** Hooks the audit trail uses to see each step. All optional. */
export interface RemediationObserver {
  /** A plan was made (attempt 0 is the first plan, later ones are re-plans). */
  planned?(plan: Plan, attempt: number, secretArn: string): void;
  /** A mutating call was made. */
  call?(record: CallRecord): void;
  /** The end state was read back and compared with the plan. */
  verified?(mismatches: Mismatch[], after: SecretState): void;
  /** The failed step was looked up in CloudTrail's history (before the first plan). */
  stepLookedUp?(lookup: StepLookup, secretArn: string): void;
}

/** The resolved decision a remediation applies: what makes two requests the same work. */
export interface ResolvedDecision {
  secretArn: string;
  pendingVersionId: string | null;
  /**
   * The version the decision is about, part of the idempotency key: the pending version of a
   * remediation, the current version of a resume.
   */
  versionId: string | null;
  resolved: Plan['decision']['resolved'];
  actions: Plan['actions'];
}

/** Idempotency: applies each resolved decision at most once. */
export interface ApplyOnce {
  /**
   * Runs `work` at most once per decision and returns its report, or the stored report of an
   * earlier run (marked `replayed`). `remainingTimeMs` is the caller's deadline: a run cut off by
   * it holds the decision's lock no longer than that.
   */
  run(
    decision: ResolvedDecision,
    work: () => Promise<RemediationReport>,
    remainingTimeMs?: () => number
  ): Promise<RemediationReport>;
  /** Loads what `run` needs (client, utility) ahead of the first call. */
  ready(): Promise<void>;
}

/** What the core needs: the client, the scope, and optional observer and idempotency. */
export interface RemediationDependencies {
  secretsManager: SecretsManagerClient;
  requiredTag?: RequiredTag | undefined;
  observer?: RemediationObserver | undefined;
  /** Wraps the application of a plan that makes calls; absent means no idempotency. */
  applyOnce?: ApplyOnce | undefined;
  /** Time left before the caller's deadline (bounds idempotency locks); absent: no deadline. */
  remainingTimeMs?: (() => number) | undefined;
  /** Finds a failed step the request does not carry; absent: the look-up is `off`. */
  failedSteps?: FailedStepResolver | undefined;
  /** Grace period and unknown-step action (from the settings); absent: the defaults. */
  policy?: EvidencePolicy | undefined;
  /** The clock, read once per remediation; absent: the system clock. */
  now?: (() => Date) | undefined;
  /** The rotation functions a resume may run (`ROTATION_FUNCTION_ARNS`); absent: any. */
  rotationFunctionArns?: readonly string[] | undefined;
}

/** The first read, the plan made from it, and what it rests on. */
export interface PlannedRemediation {
  state: SecretState;
  plan: Plan;
  request: RemediationRequest;
  /** The options of the plan (scope, policy, evidence, clock): re-plans reuse them. */
  options: PlanOptions;
  /** The look-up of the failed step, when one was made. */
  lookup?: StepLookup | undefined;
}

/**
 * Reads the secret once and plans its remediation. When the decision depends on evidence (the
 * pending version's age, the event's tie, the failed step), gathers it (./gather-evidence.ts:
 * never failing, a missing answer is named in the evidence) and plans again with it.
 */
export const readAndPlan = async (
  deps: RemediationDependencies,
  request: RemediationRequest
): Promise<PlannedRemediation> => {
  const state = await readSecretState(deps.secretsManager, request.secretId);
  const now = (deps.now ?? (() => new Date()))();
  const options: PlanOptions = {
    requiredTag: deps.requiredTag,
    rotationFunctionArns: deps.rotationFunctionArns,
    policy: deps.policy,
    now,
  };
  const first = planRequest(state, request, options);
  if (!first.needsEvidence) {
    deps.observer?.planned?.(first, 0, state.arn);
    return { state, plan: first, request, options };
  }
  const gathered: AssessedEvidence & { lookup?: StepLookup } = await gatherEvidence(
    { ...deps, now },
    state,
    request,
    first.pendingVersionId ?? ''
  );
  const { lookup, ...assessed } = gathered;
  if (lookup !== undefined) deps.observer?.stepLookedUp?.(lookup, state.arn);
  const planOptions = { ...options, assessed };
  const plan = planRequest(state, request, planOptions);
  deps.observer?.planned?.(plan, 0, state.arn);
  return { state, plan, request, options: planOptions, lookup };
};

const baseReport = (
  state: SecretState,
  plan: Plan,
  { request, lookup }: Pick<PlannedRemediation, 'request' | 'lookup'>
): Omit<RemediationReport, 'status' | 'actions' | 'after'> => ({
  dryRun: request.dryRun,
  secret: { arn: state.arn, name: state.name },
  decision: plan.decision,
  reason: plan.reason,
  before: toSnapshot(state),
  failedStepLookup: lookup,
  ...(plan.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: plan.retryAfterSeconds }),
});

/**
 * The report of a dry run: the plan, with the predicted end state as `after`. Its status is
 * `planned` when the plan would change something, and the plan's own outcome otherwise.
 */
export const dryRunReport = (planned: PlannedRemediation): RemediationReport => {
  const { state, plan } = planned;
  return {
    ...baseReport(state, plan, planned),
    status: plan.actions.length > 0 ? RemediationStatus.Planned : plan.outcome,
    wouldBe: plan.outcome,
    actions: plan.actions,
    after: toSnapshot({
      ...state,
      rotationEnabled: plan.expected.rotationEnabled,
      versionIdsToStages: plan.expected.versionIdsToStages,
      ...(plan.expected.rotationEnabled === false && state.rotationEnabled === true
        ? { lastRotatedDate: undefined, nextRotationDate: undefined }
        : {}),
    }),
  };
};

/**
 * True when a label move refused as a state conflict had in fact been applied by an earlier
 * attempt of the same call: the SDK retried it (its first response was lost or late, so the
 * outcome was unknown), and the secret's labels are now exactly what the call makes from `labels`.
 */
const landedUnacknowledged = (
  error: unknown,
  action: PlannedAction,
  labels: SecretState['versionIdsToStages'],
  state: SecretState,
  plan: Plan
): boolean =>
  action.operation === 'UpdateSecretVersionStage' &&
  attemptsOf(error) > 1 &&
  compareWithPlan(state, {
    ...plan,
    expected: {
      rotationEnabled: state.rotationEnabled,
      versionIdsToStages: applyActionToLabels(labels, action),
    },
  }).length === 0;

/** A call refused as a state conflict: the error, the refused action, and the labels before it. */
interface Conflict {
  error: unknown;
  action: PlannedAction;
  labels: SecretState['versionIdsToStages'];
}

/**
 * Applies the plan's actions in order, appending each made call to `applied`. The first call
 * refused as a state conflict stops it and is returned; any other failure is an
 * {@link AwsCallFailed}.
 */
const applyActions = async (
  deps: RemediationDependencies,
  state: SecretState,
  plan: Plan,
  applied: AppliedAction[]
): Promise<Conflict | undefined> => {
  const onCall = (record: CallRecord): void => deps.observer?.call?.(record);
  let labels = state.versionIdsToStages;
  for (const action of plan.actions) {
    try {
      applied.push(await applyAction(deps.secretsManager, state.arn, action, onCall));
      labels = applyActionToLabels(labels, action);
    } catch (error) {
      if (!isStateConflict(error)) {
        throw new AwsCallFailed(
          `${action.operation} failed with ${errorNameOf(error)}; ${applied.length} call(s) had succeeded. Re-running re-reads the secret and continues from its state.`,
          { cause: error }
        );
      }
      return { error, action, labels };
    }
  }
  return undefined;
};

/**
 * The state and plan to go on with after a conflict, from a fresh read: the rest of the plan when
 * the refused call had in fact landed (recorded in `applied`), otherwise a new plan pinned to the
 * versions of the first plan.
 */
const planAfterConflict = async (
  deps: RemediationDependencies,
  planned: PlannedRemediation,
  plan: Plan,
  conflict: Conflict,
  applied: AppliedAction[]
): Promise<{ state: SecretState; plan: Plan }> => {
  const { error, action, labels } = conflict;
  const state = await readSecretState(deps.secretsManager, planned.state.arn);
  if (landedUnacknowledged(error, action, labels, state, plan)) {
    // An earlier attempt of the refused call went through but its response was lost: the labels
    // are exactly what it makes. Record it (with no request id) and go on with the rest.
    applied.push({ ...action });
    return {
      state,
      plan: { ...plan, actions: plan.actions.slice(plan.actions.indexOf(action) + 1) },
    };
  }
  const pinned = {
    pendingVersionId: planned.plan.pendingVersionId,
    currentVersionId: planned.plan.currentVersionId,
  };
  const replanned = planRequest(state, planned.request, {
    ...planned.options,
    pinned,
    ...(action.operation === 'CancelRotateSecret' ? { cancelRefusedWith: errorNameOf(error) } : {}),
  });
  return { state, plan: replanned };
};

/**
 * The end state, re-read from `arn` when a call was made, checked against the plan: a mismatch is
 * a {@link VerificationFailed}.
 */
const verifiedEndState = async (
  deps: RemediationDependencies,
  arn: string,
  state: SecretState,
  plan: Plan,
  callsMade: number
): Promise<SecretState> => {
  const after = callsMade === 0 ? state : await readSecretState(deps.secretsManager, arn);
  const mismatches = compareWithPlan(after, plan);
  deps.observer?.verified?.(mismatches, after);
  if (mismatches.length > 0) {
    throw new VerificationFailed(
      `The end state does not match the plan: ${mismatches
        .map((m) => `${m.field} expected ${m.expected ?? 'none'}, found ${m.actual ?? 'none'}`)
        .join('; ')}.`
    );
  }
  return after;
};

/**
 * Applies a plan and verifies the end state. When a call finds the state changed
 * (InvalidParameterException / InvalidRequestException), it re-reads and re-plans, pinned to the
 * versions of the first plan, at most {@link MAX_REPLANS} times. A label move that the SDK retried
 * after a lost response, and that the re-read shows applied, counts as made: the rest of the plan
 * goes on instead.
 */
export const applyPlan = async (
  deps: RemediationDependencies,
  planned: PlannedRemediation
): Promise<RemediationReport> => {
  const applied: AppliedAction[] = [];
  let { state, plan } = planned;
  for (let attempt = 0; ; attempt++) {
    const conflict = await applyActions(deps, state, plan, applied);
    if (conflict === undefined) break;
    if (attempt >= MAX_REPLANS) {
      throw new StateChanged(
        `The secret kept changing during the remediation: gave up after ${MAX_REPLANS} re-plans.`,
        { cause: conflict.error }
      );
    }
    ({ state, plan } = await planAfterConflict(deps, planned, plan, conflict, applied));
    deps.observer?.planned?.(plan, attempt + 1, state.arn);
  }
  const after = await verifiedEndState(deps, planned.state.arn, state, plan, applied.length);
  const status =
    plan.outcome === RemediationStatus.AlreadyClean && applied.length > 0
      ? RemediationStatus.Remediated
      : plan.outcome;
  return {
    ...baseReport(planned.state, plan, planned),
    reason: plan.reason,
    status,
    actions: applied,
    after: toSnapshot(after),
  };
};

/** The idempotency payload of a plan. */
export const toResolvedDecision = ({ state, plan }: PlannedRemediation): ResolvedDecision => ({
  secretArn: state.arn,
  pendingVersionId: plan.pendingVersionId ?? null,
  versionId:
    (plan.decision.resolved === ResolvedAction.Resume
      ? plan.currentVersionId
      : plan.pendingVersionId) ?? null,
  resolved: plan.decision.resolved,
  actions: plan.actions,
});

/** Remediates one secret end to end; a dry run stops after the plan. */
export const remediate = async (
  deps: RemediationDependencies,
  request: RemediationRequest
): Promise<RemediationReport> => {
  const planned = await readAndPlan(deps, request);
  if (request.dryRun) return dryRunReport(planned);
  const run = (): Promise<RemediationReport> => applyPlan(deps, planned);
  try {
    if (deps.applyOnce === undefined || planned.plan.actions.length === 0) return await run();
    return await deps.applyOnce.run(toResolvedDecision(planned), run, deps.remainingTimeMs);
  } catch (error) {
    if (error instanceof RemediatorError) throw error;
    throw new AwsCallFailed('The remediation failed unexpectedly.', { cause: error });
  }
};
