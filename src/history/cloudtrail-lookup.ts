/**
 * The failed step of a pending version, read from CloudTrail's event history: LookupEvents with
 * `EventName = RotationFailed` from the pending version's creation to now, newest first, through
 * the SDK's paginator, at most {@link MAX_LOOKUP_PAGES} pages of 50 per pending version. Loaded on
 * the first look-up only (./resolver.ts), so the CloudTrail client costs nothing to the paths that
 * never look a step up.
 *
 * - {@link lookUpFailedStep}: one pending version; stops at its first (newest) record.
 * - {@link HistoryWindow}: a sweep's many pending versions; the records are read once, the window
 *   reaching back as far as the oldest pending version asked about, and each answer comes from it.
 */
import { CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { cloudTrailClientConfig } from '../aws/clients.js';
import {
  errorNameOf,
  isAccessDenied,
  isDeadlineReached,
  isThrottlingError,
  isTimeout,
} from '../aws/sdk-errors.js';
import { tokenGuarded } from '../aws/token-guard.js';
import type { FailedStepResolver, StepLookup, StepLookupTarget } from '../remediation/types.js';
import { StepLookupOutcome } from '../remediation/types.js';
import type { RotationFailure } from './match.js';
import { findFailure, toRotationFailure } from './match.js';

/** Most LookupEvents pages read for one pending version. */
export const MAX_LOOKUP_PAGES = 5;

/** Records per LookupEvents page (the maximum). */
const PAGE_SIZE = 50;

/**
 * How much further back than needed a sweep's window reaches when it extends: pending versions
 * created moments apart then share one read instead of one tiny read each. Older records cost a
 * page only when there are many, and never count (./match.ts).
 */
const WINDOW_SLACK_MS = 3_600_000;

/**
 * The CloudTrail client. ./resolver.ts paces it during a sweep like the Secrets Manager client:
 * pacing keeps its scope in module state, which must be the one the sweep runs in (in the Lambda
 * build this module is in another file, parts/aws.js, with a copy of anything it imports).
 *
 * @public (required lazily by ./resolver.ts, a use the unused-code check does not see)
 */
export const createCloudTrailClient = (): CloudTrailClient =>
  new CloudTrailClient(cloudTrailClientConfig());

/** The RotationFailed pages between two times, newest first. */
const rotationFailurePages = (client: CloudTrailClient, from: Date, to: Date) =>
  tokenGuarded(
    paginateLookupEvents(
      { client, pageSize: PAGE_SIZE, stopOnSameToken: true },
      {
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RotationFailed' }],
        StartTime: from,
        EndTime: to,
      }
    )
  );

/** The look-up's answer from a record found (or not) after reading `pages` pages. */
const answerOf = (found: ReturnType<typeof findFailure>, pages: number): StepLookup => {
  if (found === undefined) {
    return {
      outcome: StepLookupOutcome.NotFound,
      step: undefined,
      eventTime: null,
      exact: false,
      pages,
    };
  }
  return {
    outcome: found.step === undefined ? StepLookupOutcome.NoStep : StepLookupOutcome.Found,
    step: found.step,
    eventTime: found.failure.eventTime.toISOString(),
    exact: found.exact,
    eventId: found.failure.eventId,
    requestId: found.failure.requestId,
    pages,
  };
};

/** The answer of a read that stopped before the pending version's creation (`reason`: why). */
const incompleteAnswer = (reason: string, pages: number): StepLookup => ({
  outcome: StepLookupOutcome.Incomplete,
  step: undefined,
  eventTime: null,
  exact: false,
  pages,
  errorName: reason,
});

/** The answer of a look-up that threw: denied, throttled, timed out or failed. */
const failedAnswer = (error: unknown, pages: number): StepLookup => {
  const outcome: StepLookupOutcome = isAccessDenied(error)
    ? StepLookupOutcome.Denied
    : isThrottlingError(error)
      ? StepLookupOutcome.Throttled
      : isTimeout(error)
        ? StepLookupOutcome.TimedOut
        : StepLookupOutcome.Failed;
  return {
    outcome,
    step: undefined,
    eventTime: null,
    exact: false,
    pages,
    errorName: errorNameOf(error),
  };
};

/**
 * Looks up the RotationFailed record of `target`'s pending version, created at `createdAt`.
 * Never throws: a refused, throttled or unanswered look-up is an outcome with the error's name.
 *
 * @public (required lazily by ./resolver.ts)
 */
export const lookUpFailedStep = async (
  client: CloudTrailClient,
  target: StepLookupTarget,
  createdAt: Date,
  now: Date = new Date()
): Promise<StepLookup> => {
  let pages = 0;
  try {
    for await (const { page } of rotationFailurePages(client, createdAt, now)) {
      pages += 1;
      const failures = (page.Events ?? []).flatMap((entry) => toRotationFailure(entry) ?? []);
      const found = findFailure(failures, target, createdAt);
      if (found !== undefined) return answerOf(found, pages);
      // the newest records did not name it and older ones remain unread: not "not found"
      if (pages >= MAX_LOOKUP_PAGES && page.NextToken !== undefined && page.NextToken !== '') {
        return incompleteAnswer('HistoryPageCapReached', pages);
      }
    }
    return answerOf(undefined, pages);
  } catch (error) {
    if (isDeadlineReached(error)) throw error;
    return failedAnswer(error, pages);
  }
};

/**
 * The RotationFailed records of a sweep, read once and shared by its pending versions, newest
 * first, one page at a time. Everything from {@link #complete} to the sweep's start has been read,
 * so a record of a pending version found there is the newest of that version: it answers at once,
 * while the pages further back are still to come. A pending version not found waits for the next
 * page (read by whichever remediation asks first; reads are serialised), and a pending version
 * older than the window opens a new read further back. At most {@link MAX_LOOKUP_PAGES} pages are
 * read for any one pending version.
 *
 * @public (required lazily by ./resolver.ts)
 */
export class HistoryWindow implements FailedStepResolver {
  readonly #client: CloudTrailClient;
  readonly #createdAtOf: (target: StepLookupTarget) => Promise<Date | string>;
  /** Every record from this time to the sweep's start has been read. */
  #complete: Date;
  #failures: RotationFailure[] = [];
  #seen = new Set<string>();
  /** The read under way: its pages and where it started. */
  #reader: { pages: ReturnType<typeof rotationFailurePages>; start: Date } | undefined;
  #reading: Promise<void> | undefined;

  constructor(
    client: CloudTrailClient,
    createdAtOf: (target: StepLookupTarget) => Promise<Date | string>,
    now: Date = new Date()
  ) {
    this.#client = client;
    this.#createdAtOf = createdAtOf;
    this.#complete = now;
  }

  /** The step of one pending version: from the records read, reading more only when needed. */
  async resolve(target: StepLookupTarget): Promise<StepLookup> {
    const createdAt = await this.#createdAtOf(target);
    if (typeof createdAt === 'string') return failedAnswer({ name: createdAt }, 0);
    let pages = 0;
    for (;;) {
      const found = findFailure(this.#failures, target, createdAt);
      if (found !== undefined || this.#complete <= createdAt) return answerOf(found, pages);
      if (pages >= MAX_LOOKUP_PAGES) return incompleteAnswer('HistoryPageCapReached', pages);
      try {
        pages += await this.#nextPage(createdAt);
      } catch (error) {
        if (isDeadlineReached(error)) throw error;
        // the window stays open below the failed page: the next secret reads it again
        const answer = failedAnswer(error, pages);
        return answer.outcome === StepLookupOutcome.Failed ||
          answer.outcome === StepLookupOutcome.TimedOut
          ? { ...answer, outcome: StepLookupOutcome.Incomplete }
          : answer;
      }
    }
  }

  /** Waits for the page being read, or reads the next one; resolves with the pages this read. */
  async #nextPage(createdAt: Date): Promise<number> {
    if (this.#reading !== undefined) {
      await this.#reading;
      return 0;
    }
    this.#reading = this.#readPage(createdAt).finally(() => {
      this.#reading = undefined;
    });
    await this.#reading;
    return 1;
  }

  /** Reads one page: of the read under way, or of a new one reaching back past `createdAt`. */
  async #readPage(createdAt: Date): Promise<void> {
    if (this.#reader === undefined) {
      const start = new Date(createdAt.getTime() - WINDOW_SLACK_MS);
      this.#reader = { pages: rotationFailurePages(this.#client, start, this.#complete), start };
    }
    const reader = this.#reader;
    let next: Awaited<ReturnType<typeof reader.pages.next>>;
    try {
      next = await reader.pages.next();
    } catch (error) {
      // a failed page ends its pager: drop it, so the next read restarts from #complete instead
      // of taking the dead pager's end for the end of the history
      this.#reader = undefined;
      throw error;
    }
    const failures = next.done
      ? []
      : (next.value.page.Events ?? []).flatMap((entry) => toRotationFailure(entry) ?? []);
    for (const failure of failures) {
      if (failure.eventId !== undefined && this.#seen.has(failure.eventId)) continue;
      if (failure.eventId !== undefined) this.#seen.add(failure.eventId);
      this.#failures.push(failure);
    }
    this.#failures.sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime());
    if (next.done || next.value.nextToken === undefined) {
      this.#complete = reader.start;
      this.#reader = undefined;
      return;
    }
    // newest first: the page is complete down to just after its oldest record
    const oldest = failures.reduce<number>(
      (min, failure) => Math.min(min, failure.eventTime.getTime()),
      this.#complete.getTime()
    );
    this.#complete = new Date(Math.min(this.#complete.getTime(), oldest + 1));
  }
}
