/**
 * Where the staging labels sit in a label map (DescribeSecret's `VersionIdsToStages`, ListSecrets'
 * `SecretVersionsToStages`, ListSecretVersionIds' versions): one helper per question, shared by
 * every module that asks it. Pure.
 */
import type { SecretVersionsListEntry } from '@aws-sdk/client-secrets-manager';
import type { LabelMap } from './types.js';
import { Label } from './types.js';

/** The version holding `label`, if any. */
export const versionWithLabel = (labels: LabelMap, label: string): string | undefined =>
  Object.entries(labels).find(([, stages]) => stages.includes(label))?.[0];

/** The version AWSPENDING sits on, if any. */
export const pendingVersionOf = (labels: LabelMap): string | undefined =>
  versionWithLabel(labels, Label.Pending);

/** True when AWSPENDING sits on a version other than AWSCURRENT: a rotation is stuck. */
export const isStuck = (labels: LabelMap): boolean => {
  const pending = pendingVersionOf(labels);
  return pending !== undefined && pending !== versionWithLabel(labels, Label.Current);
};

/** The label map of ListSecretVersionIds versions (versions without an id are left out). */
export const labelMapOf = (versions: readonly SecretVersionsListEntry[]): LabelMap =>
  Object.fromEntries(
    versions.flatMap((v) =>
      v.VersionId === undefined ? [] : [[v.VersionId, v.VersionStages ?? []]]
    )
  );
