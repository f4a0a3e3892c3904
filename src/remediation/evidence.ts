/**
 * What a decision rests on, as a value: how the trigger's event relates to the pending version,
 * where the failed step came from, whether the history look-up was complete, and how old the
 * pending version is. Pure: the core (./remediate.ts) reads the versions and the history, and this
 * module turns what it read into {@link Evidence} for the planner.
 *
 * Only evidence tied to this pending version counts. Where AWS's behaviour is unconfirmed (whether
 * a record's requestID ends in the pending version's id), every reading is handled: an id that is
 * another version of this secret makes the event stale; an id that is no version of this secret
 * falls back to time (while AWSPENDING is held, Secrets Manager refuses a new rotation, so a
 * failure not older than the pending version is that version's).
 */
import { idOfRequestId } from './failed-step.js';
import type { Evidence, FailureEvent, FailureRecord, RotationStep, StepLookup } from './types.js';
import { EventTie, LookupState, StepLookupOutcome, StepSource } from './types.js';

/** What the core read of the secret's versions: their ids and the pending version's creation. */
export interface VersionFacts {
  /** Every version id the secret keeps (labelled or not). */
  ids: ReadonlySet<string>;
  /** When the pending version was created; undefined when the listing does not say. */
  pendingCreatedAt: Date | undefined;
}

/** The facts {@link assessEvidence} works from. */
export interface EvidenceInput {
  secretArn: string;
  pendingVersionId: string;
  /** The failure the trigger's event reports, and the step it names. */
  event: { failure: FailureEvent; step: RotationStep | undefined } | undefined;
  /** The versions read, or the name of the error the read failed with; undefined: not read. */
  versions: VersionFacts | string | undefined;
  /** When the pending version was created, when the caller already knew it. */
  pendingCreatedAt: Date | undefined;
  /** The history look-up, or why none was made. */
  lookup: StepLookup | typeof LookupState.Off | typeof LookupState.NotNeeded;
  now: Date;
}

const seconds = (from: Date, to: Date): number =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));

/** A date of an ISO string; undefined when it is absent or not a date. */
export const dateOf = (iso: string | undefined): Date | undefined => {
  if (iso === undefined) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/**
 * How a failure event relates to the pending version: by the id its requestID ends in when that
 * is a version of this secret, else by time (the pending version not newer than the event).
 */
export const tieEvent = (
  failure: FailureEvent,
  target: {
    secretArn: string;
    pendingVersionId: string;
    versionIds: ReadonlySet<string> | undefined;
    pendingCreatedAt: Date | undefined;
  }
): EventTie => {
  const id = idOfRequestId(failure.requestId, target.secretArn);
  if (id === target.pendingVersionId) return EventTie.Exact;
  if (id !== undefined && target.versionIds === undefined) return EventTie.Unknown;
  if (id !== undefined && target.versionIds?.has(id) === true) return EventTie.StaleSuperseded;
  const eventTime = dateOf(failure.time);
  if (eventTime === undefined || target.pendingCreatedAt === undefined) return EventTie.Unknown;
  return target.pendingCreatedAt.getTime() <= eventTime.getTime()
    ? EventTie.ByTime
    : EventTie.StaleOlder;
};

/** True for a tie that makes the event this pending version's failure. */
export const isTied = (tie: EventTie | null): boolean =>
  tie === EventTie.Exact || tie === EventTie.ByTime;

/** The state of a look-up that was made. */
const lookupStateOf = (lookup: StepLookup): LookupState => {
  switch (lookup.outcome) {
    case StepLookupOutcome.Found:
    case StepLookupOutcome.NotFound:
    case StepLookupOutcome.NoStep:
      return LookupState.Complete;
    case StepLookupOutcome.Denied:
      return LookupState.Denied;
    case StepLookupOutcome.Throttled:
      return LookupState.Throttled;
    case StepLookupOutcome.Incomplete:
      return LookupState.WindowIncomplete;
    default:
      return LookupState.Failed;
  }
};

/** The record a history look-up found, if any. */
const historyRecordOf = (lookup: StepLookup): FailureRecord | null =>
  lookup.eventTime === null
    ? null
    : {
        source: 'history',
        time: lookup.eventTime,
        id: lookup.eventId ?? null,
        requestId: lookup.requestId ?? null,
      };

/** The step, its source and the record, from a tied event or the history. */
const stepEvidence = (
  input: EvidenceInput,
  tie: EventTie | null
): Pick<Evidence, 'stepSource' | 'lookup' | 'lookupError' | 'record'> & {
  step: RotationStep | undefined;
} => {
  const { event, lookup } = input;
  if (event !== undefined && isTied(tie)) {
    return {
      step: event.step,
      stepSource: event.step === undefined ? StepSource.None : StepSource.Event,
      lookup: LookupState.NotNeeded,
      lookupError: null,
      record: {
        source: 'event',
        time: event.failure.time,
        id: event.failure.id ?? null,
        requestId: event.failure.requestId ?? null,
      },
    };
  }
  if (typeof lookup === 'string') {
    return {
      step: undefined,
      stepSource: StepSource.None,
      lookup,
      lookupError: null,
      record: null,
    };
  }
  const step = lookup.outcome === StepLookupOutcome.Found ? lookup.step : undefined;
  return {
    step,
    stepSource:
      step === undefined
        ? StepSource.None
        : lookup.exact
          ? StepSource.HistoryExact
          : StepSource.HistoryByTime,
    lookup: lookupStateOf(lookup),
    lookupError: lookup.errorName ?? null,
    record: historyRecordOf(lookup),
  };
};

/** The pending version's creation: given by the caller, or from the versions read. */
const createdAtOf = (input: EvidenceInput): Date | undefined =>
  input.pendingCreatedAt ??
  (typeof input.versions === 'object' ? input.versions.pendingCreatedAt : undefined);

/** Turns what the core read into evidence, and the failed step it ties to the pending version. */
export const assessEvidence = (
  input: EvidenceInput
): { evidence: Evidence; step: RotationStep | undefined } => {
  const createdAt = createdAtOf(input);
  const tie =
    input.event === undefined
      ? null
      : tieEvent(input.event.failure, {
          secretArn: input.secretArn,
          pendingVersionId: input.pendingVersionId,
          versionIds: typeof input.versions === 'object' ? input.versions.ids : undefined,
          pendingCreatedAt: createdAt,
        });
  const { step, ...found } = stepEvidence(input, tie);
  const eventTime = input.event === undefined ? undefined : dateOf(input.event.failure.time);
  const readError = typeof input.versions === 'string' ? input.versions : null;
  return {
    step,
    evidence: {
      ...found,
      lookupError: found.lookupError ?? readError,
      eventTie: tie,
      eventAgeSeconds: eventTime === undefined ? null : seconds(eventTime, input.now),
      pendingVersionId: input.pendingVersionId,
      pendingVersionCreatedAt: createdAt?.toISOString() ?? null,
      pendingVersionAgeSeconds: createdAt === undefined ? null : seconds(createdAt, input.now),
    },
  };
};

/** A look-up that could not start: the pending version's creation is unknown (`errorName`: why). */
export const undatedLookup = (errorName: string): StepLookup => ({
  outcome: StepLookupOutcome.Failed,
  step: undefined,
  eventTime: null,
  exact: false,
  pages: 0,
  errorName,
});

/** The evidence of a plan that needed none (nothing stuck, a refusal by scope, a resume). */
export const noEvidence = (pendingVersionId: string | undefined): Evidence => ({
  stepSource: StepSource.None,
  lookup: LookupState.NotNeeded,
  lookupError: null,
  record: null,
  eventTie: null,
  eventAgeSeconds: null,
  pendingVersionId: pendingVersionId ?? null,
  pendingVersionCreatedAt: null,
  pendingVersionAgeSeconds: null,
});
