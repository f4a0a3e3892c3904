/**
 * One candidate of a sweep: examine it (ListSecretVersionIds: is its pending version still there,
 * and older than the grace period?), and describe the outcome of its remediation as a report line.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { errorNameOf, isDeadlineReached, isNotFound } from '../aws/sdk-errors.js';
import { ListingCapped, listVersions } from '../aws/versions.js';
import { describeError, RemediationInProgress } from '../errors.js';
import type { PendingAction, RemediationReport, RemediationRequest } from '../remediation/types.js';
import { TriggerName } from '../remediation/types.js';
import { isPastGrace, stuckPendingVersionOf } from './candidates.js';
import type { SweepResult } from './types.js';
import { SweepResultStatus } from './types.js';

/** Longest error text in a report line. */
const MAX_ERROR_LENGTH = 300;

/** What examining a candidate found. */
export type Examination =
  /** AWSPENDING is gone or on AWSCURRENT, or the secret was deleted. */
  | { kind: 'cleared' }
  /** The pending version is younger than the grace period: a rotation may be running. */
  | { kind: 'running' }
  /** Stuck: remediate, pinned to this pending version. */
  | { kind: 'stuck'; pendingVersionId: string; pendingSince: string | null }
  /** ListSecretVersionIds failed: the line to report. */
  | { kind: 'failed'; result: SweepResult };

/** Examines one candidate (all of its ListSecretVersionIds pages). */
export const examineCandidate = async (
  client: SecretsManagerClient,
  secretArn: string,
  options: { nowMs: () => number; graceSeconds: number; timeLeft?: () => boolean }
): Promise<Examination> => {
  let versions: Awaited<ReturnType<typeof listVersions>>;
  try {
    versions = await listVersions(client, secretArn, { timeLeft: options.timeLeft });
  } catch (error) {
    if (isNotFound(error)) return { kind: 'cleared' };
    if (isDeadlineReached(error)) throw error;
    return {
      kind: 'failed',
      result: {
        secretArn,
        status: SweepResultStatus.Failed,
        rule: null,
        pendingSince: null,
        error:
          error instanceof ListingCapped
            ? `${error.name}: ${error.message}`
            : `AwsCallFailed: ListSecretVersionIds failed with ${errorNameOf(error)}.`,
      },
    };
  }
  const pending = stuckPendingVersionOf(versions);
  if (pending === undefined) return { kind: 'cleared' };
  if (!isPastGrace(pending.createdDate, options.nowMs(), options.graceSeconds)) {
    return { kind: 'running' };
  }
  return {
    kind: 'stuck',
    pendingVersionId: pending.versionId,
    pendingSince: pending.createdDate?.toISOString() ?? null,
  };
};

/** The remediation request of a stuck secret, pinned to the pending version examined. */
export const stuckSecretRequest = (
  secretArn: string,
  stuck: Extract<Examination, { kind: 'stuck' }>,
  options: { dryRun: boolean; pendingAction: PendingAction; correlationId: string | undefined }
): RemediationRequest => ({
  secretId: secretArn,
  dryRun: options.dryRun,
  pendingAction: options.pendingAction,
  expectedPendingVersionId: stuck.pendingVersionId,
  pendingVersionCreatedAt: stuck.pendingSince ?? undefined,
  reason: `sweep: pending since ${stuck.pendingSince ?? 'an unknown date'}`,
  trigger: TriggerName.Sweep,
  correlationId: options.correlationId,
});

/** The report line of a stuck secret: its remediation's report, or the error it ended with. */
export const sweepResultOf = (
  secretArn: string,
  pendingSince: string | null,
  outcome: { report: RemediationReport } | { error: unknown }
): SweepResult => {
  if ('report' in outcome) {
    const { report } = outcome;
    return {
      secretArn,
      // a sweep remediates and never resumes: its reports have a remediation's status
      status: report.status as SweepResultStatus,
      rule: report.decision.rule,
      pendingSince,
      ...(report.replayed === true ? { replayed: true as const } : {}),
      ...(report.dryRun && report.wouldBe !== undefined ? { wouldBe: report.wouldBe } : {}),
    };
  }
  return {
    secretArn,
    status:
      outcome.error instanceof RemediationInProgress
        ? SweepResultStatus.InProgress
        : SweepResultStatus.Failed,
    rule: null,
    pendingSince,
    error: describeError(outcome.error, { maxLength: MAX_ERROR_LENGTH }),
  };
};
