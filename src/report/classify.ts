/**
 * The pure classifier of the fleet report: a ListSecrets entry → its rotation class, with no call.
 *
 * "Rotation configured" means `RotationEnabled` true or a `RotationLambdaARN`. When several classes
 * apply, a managed secret (./managed.ts) is `managed`, else the worst wins, in {@link CLASS_ORDER}:
 * stuck > overdue > off > never-rotated > rotating.
 */
import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import { isStuck } from '../remediation/labels.js';
import type { ManagedEntry } from './managed.js';
import { owningServiceOf } from './managed.js';
import type { ReportCounts, ReportLine } from './types.js';
import { CLASS_ORDER, RotationClass } from './types.js';

/** What the classifier reads of a ListSecrets entry. */
export type ClassifiedEntry = Pick<
  SecretListEntry,
  | 'RotationEnabled'
  | 'RotationLambdaARN'
  | 'LastRotatedDate'
  | 'NextRotationDate'
  | 'SecretVersionsToStages'
> &
  Partial<ManagedEntry>;

/** True when the entry has rotation configured: `RotationEnabled` true or a rotation function. */
export const isRotationConfigured = (entry: ClassifiedEntry): boolean =>
  entry.RotationEnabled === true || (entry.RotationLambdaARN ?? '') !== '';

/**
 * The class of an entry at `nowMs`; undefined when rotation is not configured. Rotation on is
 * `rotating` with a next date ahead (a resumed secret, pending its first success, included) or, once
 * rotated, with none; `never-rotated` has neither date.
 */
export const classifySecret = (
  entry: ClassifiedEntry,
  nowMs: number
): RotationClass | undefined => {
  if (!isRotationConfigured(entry)) return undefined;
  if (owningServiceOf(entry) !== undefined) return RotationClass.Managed;
  if (isStuck(entry.SecretVersionsToStages ?? {})) return RotationClass.Stuck;
  const enabled = entry.RotationEnabled === true;
  const next = entry.NextRotationDate?.getTime();
  if (enabled && next !== undefined && next < nowMs) return RotationClass.Overdue;
  if (!enabled) return RotationClass.Off;
  if (entry.LastRotatedDate === undefined && next === undefined) return RotationClass.NeverRotated;
  return RotationClass.Rotating;
};

/** Counts with every class at zero. */
export const emptyReportCounts = (): ReportCounts => ({
  stuck: 0,
  managed: 0,
  overdue: 0,
  off: 0,
  'never-rotated': 0,
  rotating: 0,
  notConfigured: 0,
});

/** The sum of two counts. */
export const addCounts = (a: ReportCounts, b: ReportCounts): ReportCounts => ({
  stuck: a.stuck + b.stuck,
  managed: a.managed + b.managed,
  overdue: a.overdue + b.overdue,
  off: a.off + b.off,
  'never-rotated': a['never-rotated'] + b['never-rotated'],
  rotating: a.rotating + b.rotating,
  notConfigured: a.notConfigured + b.notConfigured,
});

/** Orders lines worst first (by {@link CLASS_ORDER}), then by name, then by ARN. */
export const worstFirst = (a: ReportLine, b: ReportLine): number =>
  CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) ||
  a.name.localeCompare(b.name) ||
  a.arn.localeCompare(b.arn);
