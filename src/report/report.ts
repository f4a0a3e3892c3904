/**
 * The fleet report's runner: every secret of the account and region with rotation configured,
 * classified (./classify.ts) from ListSecrets pages alone. With `includePendingAge`, each stuck
 * secret's pending version is dated with ListSecretVersionIds (stuck ones only); without it the
 * report makes ListSecrets calls and nothing else.
 *
 * Every call waits for a token of its quota bucket from the sweep's limiter (the same
 * `SWEEP_QUOTA_SHARE`, shared with the sweeps of this process), through the sweep's pacing
 * middleware. Before the Lambda deadline (minus the sweep's {@link deadlineMarginMs}) no further
 * page is read; the run returns a continuation instead. A run reads at least one page.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecretListEntry, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { reportCompleted } from '../audit/report-trail.js';
import { deadlineMarginMs } from '../aws/deadline.js';
import { SecretListing } from '../aws/listing.js';
import { installPacing, withPacing } from '../aws/pacing.js';
import type { QuotaRateLimiter } from '../aws/rate-limiter.js';
import { sharedLimiter } from '../aws/rate-limiter.js';
import { errorNameOf } from '../aws/sdk-errors.js';
import { listVersions } from '../aws/versions.js';
import { AwsCallFailed, describeError } from '../errors.js';
import { stuckPendingVersionOf } from '../sweep/candidates.js';
import { addCounts, classifySecret, emptyReportCounts, worstFirst } from './classify.js';
import { encodeReportContinuation } from './continuation.js';
import { managedCommandOf, owningServiceOf } from './managed.js';
import type { ReportCounts, ReportLine, ReportRequest, ReportResponse } from './types.js';
import { RotationClass } from './types.js';

/** What a report runs with. */
export interface ReportDependencies {
  /** The client; the report installs the sweep's pacing middleware on it. */
  secretsManager: SecretsManagerClient;
  /** `SWEEP_QUOTA_SHARE`: the share of each quota the report may use. */
  quotaShare: number;
  /** The service logger, for the `report.completed` record. */
  logger: Logger;
  /** The limiter; default: the sweep's process-wide one of `quotaShare`. */
  limiter?: Pick<QuotaRateLimiter, 'acquire'>;
  /** Wall clock in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/** One report run. */
export interface ReportInvocation {
  request: ReportRequest;
  correlationId?: string | undefined;
  /** Milliseconds left before the deadline; none: no deadline. */
  remainingTimeMs?: (() => number) | undefined;
}

const iso = (date: Date | undefined): string | null => date?.toISOString() ?? null;

/** When the stuck pending version was created (as the sweep reads it); null when none or the listing failed. */
const pendingSinceOf = async (client: SecretsManagerClient, arn: string): Promise<Date | null> => {
  try {
    return stuckPendingVersionOf(await listVersions(client, arn))?.createdDate ?? null;
  } catch {
    return null;
  }
};

/** The state of one run. */
class ReportRun {
  readonly #deps: ReportDependencies;
  readonly #invocation: ReportInvocation;
  readonly #client: SecretsManagerClient;
  readonly #now: () => number;
  readonly #includePendingAge: boolean;
  readonly #margin: number;
  readonly #listing: SecretListing;
  readonly #lines: ReportLine[] = [];
  #counts: ReportCounts = emptyReportCounts();

  constructor(deps: ReportDependencies, invocation: ReportInvocation) {
    const resumed = invocation.request.continuation;
    this.#deps = deps;
    this.#invocation = invocation;
    this.#client = installPacing(deps.secretsManager);
    this.#now = deps.now ?? Date.now;
    this.#includePendingAge =
      invocation.request.includePendingAge ?? resumed?.includePendingAge ?? false;
    const remainingAtStart = invocation.remainingTimeMs?.();
    this.#margin = remainingAtStart === undefined ? 0 : deadlineMarginMs(remainingAtStart);
    this.#listing = new SecretListing(this.#client, resumed?.nextToken);
  }

  /** Lists to the end or the deadline; rejects when the listing failed for good. */
  async execute(): Promise<ReportResponse> {
    const startedMs = this.#now();
    const resumed = this.#invocation.request.continuation;
    const limiter = this.#deps.limiter ?? sharedLimiter(this.#deps.quotaShare);
    let listingError: unknown;
    await withPacing({ limiter, onThrottled: () => {} }, () =>
      this.#list().catch((error: unknown) => {
        listingError = error;
      })
    );
    // an expired token restarts the listing from the first page: the chain starts over
    const earlier = this.#listing.restarted ? undefined : resumed?.totals;
    const totals = addCounts(earlier ?? emptyReportCounts(), this.#counts);
    const run = (resumed?.run ?? 0) + 1;
    const nextToken = listingError === undefined ? this.#listing.nextToken : undefined;
    const continuation =
      nextToken === undefined
        ? undefined
        : encodeReportContinuation({
            nextToken,
            includePendingAge: this.#includePendingAge,
            totals,
            startedAt: resumed?.startedAt ?? new Date(startedMs).toISOString(),
            run,
          });
    const durationMs = this.#now() - startedMs;
    reportCompleted(this.#deps.logger, this.#counts, {
      correlationId: this.#invocation.correlationId,
      includePendingAge: this.#includePendingAge,
      run,
      continued: continuation !== undefined,
      restartedListing: this.#listing.restarted,
      listingError: listingError === undefined ? null : describeError(listingError),
      durationMs,
    });
    if (listingError !== undefined) throw this.#listingFailure(listingError);
    const secrets = [...this.#lines].sort(worstFirst);
    return {
      report: {
        counts: this.#counts,
        totals,
        includePendingAge: this.#includePendingAge,
        continuation,
        run,
        durationMs,
        secrets,
      },
    };
  }

  #timeLeft(): boolean {
    const { remainingTimeMs } = this.#invocation;
    return remainingTimeMs === undefined || remainingTimeMs() > this.#margin;
  }

  /**
   * Reads pages until the listing ends or the deadline nears: at least one page, and on after a
   * restart until there is a token to continue from.
   */
  async #list(): Promise<void> {
    do {
      const entries = await this.#listing.next();
      if (entries === undefined) return;
      await Promise.all(entries.map((entry) => this.#add(entry)));
    } while (!this.#listing.done && (this.#timeLeft() || this.#listing.nextToken === undefined));
  }

  /** Classifies one entry into the counts and, when rotation is configured, the lines. */
  async #add(entry: SecretListEntry): Promise<void> {
    const nowMs = this.#now();
    const rotationClass = classifySecret(entry, nowMs);
    if (rotationClass === undefined) {
      this.#counts = { ...this.#counts, notConfigured: this.#counts.notConfigured + 1 };
      return;
    }
    this.#counts = { ...this.#counts, [rotationClass]: this.#counts[rotationClass] + 1 };
    const line: ReportLine = {
      name: entry.Name ?? '',
      arn: entry.ARN ?? '',
      class: rotationClass,
      lastRotated: iso(entry.LastRotatedDate),
      nextRotation: iso(entry.NextRotationDate),
    };
    const owner = owningServiceOf(entry);
    if (rotationClass === RotationClass.Managed && owner !== undefined) {
      line.owningService = owner;
      line.next = managedCommandOf(entry, owner);
    }
    if (this.#includePendingAge && rotationClass === RotationClass.Stuck) {
      const since = await pendingSinceOf(this.#client, line.arn);
      line.pendingSince = iso(since ?? undefined);
      line.pendingAgeSeconds =
        since === null ? null : Math.max(0, Math.floor((nowMs - since.getTime()) / 1000));
    }
    this.#lines.push(line);
  }

  #listingFailure(error: unknown): AwsCallFailed {
    return new AwsCallFailed(
      `The report could not list secrets (ListSecrets failed with ${errorNameOf(error)}) after ${this.#lines.length} secret(s) were classified; run it again.`,
      { cause: error }
    );
  }
}

/**
 * Runs one report run (see the module comment). Resolves with the report; rejects only when the
 * listing itself fails for good (ListSecrets after the SDK's retries).
 */
export const runReport = (
  deps: ReportDependencies,
  invocation: ReportInvocation
): Promise<ReportResponse> => new ReportRun(deps, invocation).execute();
