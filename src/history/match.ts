/**
 * Which RotationFailed record of CloudTrail's event history belongs to a stuck pending version.
 * Pure: the look-up (./cloudtrail-lookup.ts) feeds it the records, newest first.
 *
 * A record counts when it names the secret (`additionalEventData.SecretId`: the ARN, or the name)
 * and is not older than the pending version: while AWSPENDING is held, Secrets Manager refuses a
 * new rotation and re-attempts the previous one, so such a record has no other plausible meaning.
 * Its `requestID` reads `Rotation-<secret ARN>-<id>`; whether `<id>` is always the pending
 * version's is unconfirmed, so the id only grades the match (exact, or by time) and never rules a
 * record out. Only a record older than the pending version, or of another secret, never counts.
 */
import { idOfRequestId, parseFailedStep } from '../remediation/failed-step.js';
import type { RotationStep, StepLookupTarget } from '../remediation/types.js';

/** The parts of a RotationFailed record the look-up uses. */
export interface RotationFailure {
  /** The record's id (EventId), when CloudTrail gave one. */
  eventId: string | undefined;
  eventTime: Date;
  secretId: string | undefined;
  errorMessage: string | undefined;
  requestId: string | undefined;
}

/** How a record relates to the pending version. */
export const Relation = {
  /** Its requestID names the pending version. */
  Exact: 'exact',
  /** The same secret, not older than the pending version (whatever id its requestID ends in). */
  SameSecret: 'same-secret',
  /** Another secret, or older than the pending version. */
  Other: 'other',
} as const;
/** One of {@link Relation}. */
export type Relation = (typeof Relation)[keyof typeof Relation];

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Reads a LookupEvents entry: its time and the parts of its `CloudTrailEvent` (a JSON string).
 * Undefined for an entry without a time or with a record that is not a JSON object.
 */
export const toRotationFailure = (entry: {
  EventId?: string | undefined;
  EventTime?: Date | undefined;
  CloudTrailEvent?: string | undefined;
}): RotationFailure | undefined => {
  if (entry.EventTime === undefined || entry.CloudTrailEvent === undefined) return undefined;
  let record: Record<string, unknown> | undefined;
  try {
    record = asRecord(JSON.parse(entry.CloudTrailEvent));
  } catch {
    return undefined;
  }
  if (record === undefined) return undefined;
  return {
    eventId: entry.EventId,
    eventTime: entry.EventTime,
    secretId: stringOf(asRecord(record.additionalEventData)?.SecretId),
    errorMessage: stringOf(record.errorMessage),
    requestId: stringOf(record.requestID),
  };
};

/** How `failure` relates to the pending version of `target`, created at `createdAt`. */
export const relationOf = (
  failure: RotationFailure,
  target: StepLookupTarget,
  createdAt: Date
): Relation => {
  const ownSecret = failure.secretId === target.secretArn || failure.secretId === target.secretName;
  if (!ownSecret || failure.eventTime.getTime() < createdAt.getTime()) return Relation.Other;
  return idOfRequestId(failure.requestId, target.secretArn) === target.pendingVersionId
    ? Relation.Exact
    : Relation.SameSecret;
};

/** The record of a pending version, and the step it names. */
export interface FoundFailure {
  failure: RotationFailure;
  step: RotationStep | undefined;
  exact: boolean;
}

/**
 * The newest record of `target`'s pending version among `failures` (newest first), and the step
 * its message names (undefined for a message naming none). Undefined when no record counts.
 */
export const findFailure = (
  failures: readonly RotationFailure[],
  target: StepLookupTarget,
  createdAt: Date
): FoundFailure | undefined => {
  for (const failure of failures) {
    const relation = relationOf(failure, target, createdAt);
    if (relation === Relation.Other) continue;
    return {
      failure,
      step: parseFailedStep(failure.errorMessage),
      exact: relation === Relation.Exact,
    };
  }
  return undefined;
};
