import type { WireRotationRules, WireTag } from './wire.js';

/** The staging labels Secrets Manager gives meaning to. */
export const Stage = {
  Current: 'AWSCURRENT',
  Pending: 'AWSPENDING',
  Previous: 'AWSPREVIOUS',
} as const;

/** One of the labels in {@link Stage}. */
export type Stage = (typeof Stage)[keyof typeof Stage];

/** One stored version of a secret (times in ms since the epoch). */
export interface VersionRecord {
  versionId: string;
  secretString?: string;
  /** Base64, exactly as received on the wire. */
  secretBinary?: string;
  createdAt: number;
  lastAccessedAt?: number;
  labels: string[];
}

/** One stored secret (times in ms since the epoch). */
export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt?: number;
  /** Absent until rotation was ever configured. */
  rotationEnabled?: boolean;
  rotationLambdaArn?: string;
  rotationRules?: WireRotationRules;
  lastRotatedAt?: number;
  nextRotationAt?: number;
  /** When DeleteSecret was called (DescribeSecret `DeletedDate`). */
  deletedAt?: number;
  /** When the secret will be removed for good (DeleteSecret `DeletionDate`). */
  deletionAt?: number;
  owningService?: string;
  primaryRegion?: string;
  managedAllowsCancel: boolean;
  tags: WireTag[];
  /** In creation order. */
  versions: VersionRecord[];
}

/** How many deprecated versions AWS keeps before purging the ones older than a day. */
export const DEPRECATED_VERSIONS_KEPT = 100;

const DAY_MS = 86_400_000;

/** Whether a version holds a value (a version made by RotateSecret holds none until PutSecretValue). */
export function hasValue(version: VersionRecord): boolean {
  return version.secretString !== undefined || version.secretBinary !== undefined;
}

/** The version with that id, if any. */
export function findVersion(secret: SecretRecord, versionId: string): VersionRecord | undefined {
  return secret.versions.find((v) => v.versionId === versionId);
}

/** The version carrying `label`, if any (a label sits on at most one version). */
export function holderOf(secret: SecretRecord, label: string): VersionRecord | undefined {
  return secret.versions.find((v) => v.labels.includes(label));
}

/** Removes `label` from whichever version carries it. */
export function detachLabel(secret: SecretRecord, label: string): void {
  for (const version of secret.versions) {
    version.labels = version.labels.filter((l) => l !== label);
  }
}

/** Puts `label` on `version`, taking it off any other version. No AWSPREVIOUS bookkeeping. */
export function attachLabel(secret: SecretRecord, label: string, version: VersionRecord): void {
  detachLabel(secret, label);
  version.labels.push(label);
}

/**
 * Puts `label` on `version` the way the service does: attaching AWSCURRENT also moves AWSPREVIOUS
 * to the version AWSCURRENT left (if it left one).
 */
export function attachLabelAsService(
  secret: SecretRecord,
  label: string,
  version: VersionRecord
): void {
  if (label !== Stage.Current) {
    attachLabel(secret, label, version);
    return;
  }
  const oldCurrent = holderOf(secret, Stage.Current);
  attachLabel(secret, Stage.Current, version);
  if (oldCurrent !== undefined && oldCurrent !== version) {
    attachLabel(secret, Stage.Previous, oldCurrent);
  }
}

/** Labelled versions only: versionId → labels. */
export function labelMap(secret: SecretRecord): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const version of secret.versions) {
    if (version.labels.length > 0) map[version.versionId] = [...version.labels];
  }
  return map;
}

/** Drops deprecated versions the way AWS does: only beyond 100 of them, and only those older than a day. */
export function purgeDeprecated(secret: SecretRecord, now: number): void {
  const deprecated = secret.versions.filter((v) => v.labels.length === 0);
  let excess = deprecated.length - DEPRECATED_VERSIONS_KEPT;
  if (excess <= 0) return;
  const doomed = new Set<VersionRecord>();
  for (const version of [...deprecated].sort((a, b) => a.createdAt - b.createdAt)) {
    if (excess <= 0 || now - version.createdAt <= DAY_MS) break;
    doomed.add(version);
    excess -= 1;
  }
  secret.versions = secret.versions.filter((v) => !doomed.has(v));
}

/** A deep copy, so an operation can work on a draft and commit only on success. */
export function cloneSecret(secret: SecretRecord): SecretRecord {
  return structuredClone(secret);
}

/** Epoch seconds (fractional) from epoch milliseconds, as the wire wants dates. */
export function toEpochSeconds(ms: number): number {
  return ms / 1000;
}

/** The AWS partition for a region. */
export function partitionFor(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
