/**
 * The events themselves, as pure functions: which outcomes notify, the detail of each (the
 * report's fields, never the raw trigger event), and for a decision left to a human, the pinned
 * command for each choice. Serialising with {@link serializeDetail} applies the logs' redaction.
 */

import { redactingReplacer } from '../audit/redact.js';
import { isDeadlineReached } from '../aws/sdk-errors.js';
import { pendingVersionOf } from '../remediation/labels.js';
import type {
  AppliedAction,
  Decision,
  RemediationReport,
  RemediationRequest,
  StateSnapshot,
} from '../remediation/types.js';
import { RemediationStatus, RequestedBySource, Rule } from '../remediation/types.js';
import type { SweepCounts } from '../sweep/types.js';
import type { Reminder } from './reminders.js';
import type { Notification } from './types.js';
import { DetailType } from './types.js';

/** The errors of an identified secret that notify as Failed (by the error's `name`). */
export const FAILURE_ERROR_NAMES: readonly string[] = [
  'AwsCallFailed',
  'StateChanged',
  'VerificationFailed',
];

/** The detail-type of a report's status, or undefined for an outcome that emits nothing. */
const DETAIL_TYPE_OF_STATUS: Partial<Record<RemediationStatus, DetailType>> = {
  [RemediationStatus.Remediated]: DetailType.Remediated,
  [RemediationStatus.NeedsDecision]: DetailType.NeedsDecision,
  [RemediationStatus.Refused]: DetailType.Refused,
  [RemediationStatus.Resumed]: DetailType.Resumed,
};

/** The detail-type a report notifies with; undefined for dry runs, replays and already-clean. */
export const detailTypeOf = (report: RemediationReport): DetailType | undefined =>
  report.dryRun || report.replayed === true ? undefined : DETAIL_TYPE_OF_STATUS[report.status];

/** The label map and rotation flag of a snapshot: what an event shows of a state. */
const labelsOf = (snapshot: Pick<StateSnapshot, 'rotationEnabled' | 'versionIdsToStages'>) => ({
  rotationEnabled: snapshot.rotationEnabled,
  versionIdsToStages: snapshot.versionIdsToStages,
});

/** The region of an ARN (`arn:partition:service:region:...`). */
const regionOf = (arn: string): string => arn.split(':')[3] ?? '';

/** A word for a shell: single-quoted (ARNs may hold `!`, `=` and `+`). */
const shellWord = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The CLI line of a remediation command (`npx rotation-remediator remediate ...`). */
export const cliLine = (
  secretArn: string,
  options: { pendingAction?: string; expectedPendingVersionId?: string }
): string =>
  [
    'npx rotation-remediator remediate',
    `--secret-id ${shellWord(secretArn)}`,
    ...(options.pendingAction === undefined ? [] : [`--pending ${options.pendingAction}`]),
    ...(options.expectedPendingVersionId === undefined
      ? []
      : [`--expected-pending-version ${shellWord(options.expectedPendingVersionId)}`]),
    `--region ${regionOf(secretArn)}`,
  ].join(' ');

/**
 * The reason each printed `decide` line carries: what the person running it states they checked
 * (docs/runbook.md). The line runs as given; its reason goes into the audit trail.
 */
export const DECIDE_REASON = {
  promote: 'checked: the database and the application accept the pending version',
  discard: 'checked: the current version still works; the pending one is not needed',
} as const;

/** The pinned CLI line of a decision (`npx rotation-remediator decide ... --promote|--discard`). */
export const decideLine = (
  secretArn: string,
  pendingAction: 'promote' | 'discard',
  expectedPendingVersionId: string
): string =>
  [
    'npx rotation-remediator decide',
    `--secret-id ${shellWord(secretArn)}`,
    `--expected-pending-version ${shellWord(expectedPendingVersionId)}`,
    `--${pendingAction}`,
    `--reason ${shellWord(DECIDE_REASON[pendingAction])}`,
    `--region ${regionOf(secretArn)}`,
  ].join(' ');

/** One choice of a decision: the command (HTTP body, direct invocation) and the CLI line. */
export interface DecisionChoice {
  body: {
    secretId: string;
    pendingAction: 'promote' | 'discard';
    expectedPendingVersionId: string;
  };
  cli: string;
}

/** The choices of a needs-decision outcome, each pinned to the pending version. */
export interface Decide {
  pendingVersionId: string;
  promote: DecisionChoice;
  discard: DecisionChoice;
}

/**
 * The pinned commands that finish a needs-decision remediation; null when no choice of ours can
 * finish it (a service-managed secret: its labels belong to that service) or nothing is pending.
 */
export const decideOf = (report: RemediationReport): Decide | null => {
  if (report.status !== RemediationStatus.NeedsDecision) return null;
  if (report.decision.rule === Rule.ManagedCancelOnly) return null;
  const pendingVersionId = pendingVersionOf(report.after.versionIdsToStages);
  if (pendingVersionId === undefined) return null;
  const choice = (pendingAction: 'promote' | 'discard'): DecisionChoice => ({
    body: {
      secretId: report.secret.arn,
      pendingAction,
      expectedPendingVersionId: pendingVersionId,
    },
    cli: decideLine(report.secret.arn, pendingAction, pendingVersionId),
  });
  return { pendingVersionId, promote: choice('promote'), discard: choice('discard') };
};

/** One sentence: what to run now (the SNS rule's input transformer reads it). */
const nextStepOf = (report: RemediationReport, decide: Decide | null): string => {
  if (report.status === RemediationStatus.Remediated)
    return 'Nothing to run: the secret is repaired.';
  if (report.status === RemediationStatus.Resumed) {
    return `Nothing to run: rotation is back on; the next rotation is due ${report.after.nextRotationDate ?? 'on the schedule'}.`;
  }
  if (decide !== null) {
    return `Decide, then run one of: ${decide.promote.cli} (promote the pending version) or ${decide.discard.cli} (discard it).`;
  }
  if (report.decision.rule === Rule.ManagedCancelOnly) {
    return 'Nothing for the remediator to run: finish the rotation through the service that manages the secret.';
  }
  return 'Nothing was changed: act on the reason, then run the remediation again if needed.';
};

/** A wait in words: `26 h 5 min`, `12 min`. */
export const waitedText = (seconds: number): string => {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours === 0 ? `${minutes} min` : `${hours} h ${minutes} min`;
};

/** Who and what asked, as every event carries it. */
const originOf = (request: RemediationRequest) => ({
  trigger: request.trigger,
  correlationId: request.correlationId ?? null,
  requestedBy: request.requestedBy ?? null,
  requestedBySource:
    request.requestedBy === undefined
      ? null
      : (request.requestedBySource ?? RequestedBySource.Asserted),
  requestReason: request.reason ?? null,
});

/** The event of a verified report; undefined for an outcome that emits nothing. */
export const outcomeNotification = (
  report: RemediationReport,
  request: RemediationRequest,
  reminder: Reminder | null = null
): Notification | undefined => {
  const detailType = detailTypeOf(report);
  if (detailType === undefined) return undefined;
  const decide = decideOf(report);
  const waited =
    reminder === null
      ? ''
      : `Reminder: waiting for a decision for ${waitedText(reminder.waitingSeconds)}, since ${reminder.firstAnnouncedAt}. `;
  return {
    detailType,
    resources: [report.secret.arn],
    detail: {
      status: report.status,
      secret: report.secret,
      decision: report.decision,
      reason: report.reason,
      before: labelsOf(report.before),
      after: labelsOf(report.after),
      actions: report.actions,
      ...originOf(request),
      summary: `${waited}${report.secret.name}: ${report.status} (${report.decision.rule}). ${report.reason}`,
      nextStep: nextStepOf(report, decide),
      ...(report.status === RemediationStatus.NeedsDecision ? { decide, reminder } : {}),
    },
  };
};

/** What is known of a remediation that threw: its secret, once read, and how far it got. */
export interface FailedRemediation {
  secret: { arn: string; name: string };
  /** The last plan's decision and reason; null when it failed before planning. */
  decision: Decision | null;
  reason: string | null;
  /** The calls that succeeded before the failure. */
  actions: AppliedAction[];
  /** The end state read back, when the failure came after it (VerificationFailed). */
  after: Pick<StateSnapshot, 'rotationEnabled' | 'versionIdsToStages'> | null;
}

/** The Failed event of a remediation that threw `error`; undefined when it does not notify. */
export const failureNotification = (
  failed: FailedRemediation,
  request: RemediationRequest,
  error: unknown
): Notification | undefined => {
  const name = error instanceof Error ? error.name : '';
  // a call the deadline refused is no failure: the continuation takes the secret up again
  if (request.dryRun || !FAILURE_ERROR_NAMES.includes(name) || isDeadlineReached(error)) {
    return undefined;
  }
  const resolved = failed.decision?.resolved;
  const pendingVersionId = failed.decision?.evidence.pendingVersionId ?? undefined;
  // every command printed is pinned to the version the failed remediation was for
  const pinned =
    (resolved === 'promote' || resolved === 'discard') && pendingVersionId !== undefined
      ? cliLine(failed.secret.arn, {
          pendingAction: resolved,
          expectedPendingVersionId: pendingVersionId,
        })
      : cliLine(failed.secret.arn, { expectedPendingVersionId: pendingVersionId });
  return {
    detailType: DetailType.Failed,
    resources: [failed.secret.arn],
    detail: {
      status: 'failed',
      secret: failed.secret,
      decision: failed.decision,
      reason: failed.reason,
      before: null,
      after: failed.after,
      actions: failed.actions,
      ...originOf(request),
      error: { name, message: (error as Error).message },
      summary: `${failed.secret.name}: the remediation failed with ${name}. ${(error as Error).message}`,
      nextStep: `The failure is retried (asynchronous triggers, the next sweep); by hand, re-run ${pinned}: it re-reads the secret and continues from its state.`,
    },
  };
};

/** The Sweep Completed event of a live sweep: its counts. */
export const sweepNotification = (
  sweep: SweepCounts & { dryRun: boolean; continuation?: string; durationMs: number },
  origin: { correlationId: string | undefined; reason: string | undefined }
): Notification | undefined => {
  if (sweep.dryRun) return undefined;
  const { dryRun: _dryRun, continuation, durationMs, ...counts } = sweep;
  const { results: _results, ...plainCounts } = counts as typeof counts & { results?: unknown };
  return {
    detailType: DetailType.SweepCompleted,
    resources: [],
    detail: {
      status: 'completed',
      counts: plainCounts,
      continued: continuation !== undefined,
      durationMs,
      summary: `Sweep completed: ${plainCounts.stuck} stuck, ${plainCounts.remediated} remediated, ${plainCounts.needsDecision} need a decision, ${plainCounts.refused} refused, ${plainCounts.failed} failed.`,
      trigger: 'sweep',
      correlationId: origin.correlationId ?? null,
      requestReason: origin.reason ?? null,
    },
  };
};

/**
 * The detail as EventBridge gets it: JSON with the logs' redaction (sensitive keys replaced,
 * credential shapes masked in every string, `reason` and `requestReason` included).
 */
export const serializeDetail = (detail: Record<string, unknown>): string =>
  JSON.stringify(detail, redactingReplacer);
