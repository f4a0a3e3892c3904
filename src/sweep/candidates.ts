/**
 * Which secrets a sweep looks at, and which of them are stuck. Pure functions, no I/O, no clock:
 * the sweep feeds them ListSecrets entries, ListSecretVersionIds versions and the time.
 */
import type { SecretListEntry, SecretVersionsListEntry } from '@aws-sdk/client-secrets-manager';
import { isStuck, labelMapOf, pendingVersionOf } from '../remediation/labels.js';
import type { RequiredTag } from '../remediation/plan-context.js';

/** A secret whose label picture, as ListSecrets reports it, has AWSPENDING off AWSCURRENT. */
export interface Candidate {
  arn: string;
  /** The version ListSecrets showed with AWSPENDING (re-read before anything is decided). */
  pendingVersionId?: string;
}

/** Why a secret with a stuck-looking label picture is left to others. */
export const SkipReason = {
  /** `REQUIRED_TAG` is set and the secret lacks it: not ours to repair. */
  OutOfScope: 'out-of-scope',
  /** A read-only replica: it is repaired in its primary region. */
  Replica: 'replica',
  /** Scheduled for deletion (ListSecrets leaves these out unless asked). */
  MarkedForDeletion: 'marked-for-deletion',
} as const;
/** One of {@link SkipReason}. */
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** The candidates of one ListSecrets page, and how many stuck-looking secrets were skipped. */
export interface CandidateSelection {
  candidates: Candidate[];
  skipped: Partial<Record<SkipReason, number>>;
}

const hasTag = (entry: SecretListEntry, tag: RequiredTag): boolean =>
  (entry.Tags ?? []).some((t) => t.Key === tag.key && t.Value === tag.value);

/**
 * Picks the candidates among ListSecrets entries: AWSPENDING on a version that does not also carry
 * AWSCURRENT (`SecretVersionsToStages`). `NextRotationDate` is deliberately not used: after a failed
 * immediate rotation it may still lie in the future. Stuck-looking secrets out of `REQUIRED_TAG`
 * scope, replicas and secrets marked for deletion are counted as skipped.
 */
export const selectCandidates = (
  entries: readonly SecretListEntry[],
  options: { requiredTag?: RequiredTag | undefined } = {}
): CandidateSelection => {
  const selection: CandidateSelection = { candidates: [], skipped: {} };
  const skip = (reason: SkipReason): void => {
    selection.skipped[reason] = (selection.skipped[reason] ?? 0) + 1;
  };
  for (const entry of entries) {
    const labels = entry.SecretVersionsToStages ?? {};
    const pending = pendingVersionOf(labels);
    if (entry.ARN === undefined || pending === undefined || !isStuck(labels)) continue;
    if (entry.DeletedDate !== undefined) skip(SkipReason.MarkedForDeletion);
    else if (entry.PrimaryRegion !== undefined) skip(SkipReason.Replica);
    else if (options.requiredTag !== undefined && !hasTag(entry, options.requiredTag)) {
      skip(SkipReason.OutOfScope);
    } else selection.candidates.push({ arn: entry.ARN, pendingVersionId: pending });
  }
  return selection;
};

/** The pending version of a secret, from ListSecretVersionIds. */
export interface PendingVersion {
  versionId: string;
  /** Undefined when Secrets Manager gave no CreatedDate. */
  createdDate: Date | undefined;
}

/**
 * The version carrying AWSPENDING, unless none does or it also carries AWSCURRENT (the legal
 * resting state after a successful rotation).
 */
export const stuckPendingVersionOf = (
  versions: readonly SecretVersionsListEntry[]
): PendingVersion | undefined => {
  const labels = labelMapOf(versions);
  const versionId = pendingVersionOf(labels);
  if (versionId === undefined || !isStuck(labels)) return undefined;
  return { versionId, createdDate: versions.find((v) => v.VersionId === versionId)?.CreatedDate };
};

/**
 * True when a pending version was created more than `graceSeconds` before `nowMs`, so it is no
 * longer taken for a rotation in flight. With a grace of
 * 0 every pending version counts; otherwise a version of unknown age is left alone (it may belong
 * to a rotation that is running).
 */
export const isPastGrace = (
  createdDate: Date | undefined,
  nowMs: number,
  graceSeconds: number
): boolean => {
  if (graceSeconds === 0) return true;
  if (createdDate === undefined || Number.isNaN(createdDate.getTime())) return false;
  return nowMs - createdDate.getTime() > graceSeconds * 1000;
};
