/**
 * The sweep: finds the secrets a failed rotation left stuck without telling us (CloudTrail delivery
 * to EventBridge is best effort, alarms fire on state changes only) and runs each through the same
 * remediation core and idempotency as a single remediation.
 *
 * 1. List: ListSecrets through the SDK's paginator, 100 a page, until the token is absent, empty or
 *    repeated (a page may be empty and still carry one; see src/aws/listing.ts). Candidates are
 *    picked from each page's `SecretVersionsToStages`: no per-secret read.
 * 2. Examine each candidate: ListSecretVersionIds (paginated the same way) gives the pending version's
 *    CreatedDate; stuck means created more than `ROTATION_GRACE_SECONDS` ago.
 * 3. Remediate each stuck secret with `remediate`, pinned to the pending version examined
 *    (`expectedPendingVersionId`), so a rotation that started in between is refused, not discarded.
 *
 * The parts: src/aws/listing.ts lists, ./examine.ts examines one candidate, ./tally.ts counts
 * (pure), and the remediation itself is the application service's (the same audit trail, core and
 * idempotency as any remediation), handed in as `remediate`. This module only runs them together.
 *
 * Examining and remediating run on `SWEEP_CONCURRENCY` workers fed by the listing, so listing,
 * examining and remediating overlap. Every Secrets Manager call made inside the sweep, the core's
 * included, waits for a token of its quota bucket ({@link QuotaRateLimiter}, at `SWEEP_QUOTA_SHARE`
 * of each quota). Before the Lambda deadline (minus {@link deadlineMarginMs}) no new candidate is
 * started; the run returns a continuation instead.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SweepAuditTrail } from '../audit/sweep-trail.js';
import { deadlineMarginMs } from '../aws/deadline.js';
import { SecretListing } from '../aws/listing.js';
import { installPacing, withPacing } from '../aws/pacing.js';
import type { QuotaRateLimiter } from '../aws/rate-limiter.js';
import { sharedLimiter } from '../aws/rate-limiter.js';
import { errorNameOf, isDeadlineReached } from '../aws/sdk-errors.js';
import { AwsCallFailed, describeError } from '../errors.js';
import type { RemediationReport, RemediationRequest } from '../remediation/types.js';
import type { RemediatorConfig, SweepConfig } from '../settings.js';
import { selectCandidates } from './candidates.js';
import { encodeContinuation } from './continuation.js';
import type { Examination } from './examine.js';
import { examineCandidate, stuckSecretRequest, sweepResultOf } from './examine.js';
import type { SweepTallyEvent } from './tally.js';
import { byArn, emptyCounts, tally } from './tally.js';
import type { SweepCounts, SweepRequest, SweepResponse, SweepResult } from './types.js';

/** What a sweep runs with. */
export interface SweepDependencies {
  /** The client of the remediation core; the sweep installs its pacing middleware on it. */
  secretsManager: SecretsManagerClient;
  config: Pick<RemediatorConfig, 'requiredTag' | 'defaultPendingAction' | 'policy'>;
  sweepConfig: SweepConfig;
  /** The service logger, for the `sweep.*` audit records. */
  logger: Logger;
  /** Remediates one stuck secret: the application service's chain (audit, core, idempotency). */
  remediate: (request: RemediationRequest) => Promise<RemediationReport>;
  /**
   * Loads what idempotency needs, awaited before a live sweep makes its first call: loading it
   * later, with paced requests waiting to go out, would hold them back and send them in a bunch.
   */
  ready?: (() => Promise<unknown>) | undefined;
  /** The limiter; default: one per quota share, shared by every sweep of this process. */
  limiter?: Pick<QuotaRateLimiter, 'acquire'>;
  /** Called once per stuck secret with its outcome (metrics). */
  onResult?: (result: SweepResult, durationMs: number) => void;
  /** Wall clock in ms since the epoch (grace period, dates); default `Date.now`. */
  now?: () => number;
}

/** One sweep run. */
export interface SweepInvocation {
  request: SweepRequest;
  /** The invocation's id (Lambda request id) for the audit trail. */
  correlationId?: string | undefined;
  /** Milliseconds left before the deadline (`context.getRemainingTimeInMillis`); none: no deadline. */
  remainingTimeMs?: (() => number) | undefined;
}

/** The state of one run: the work queue, the listing, the counters and the results. */
class SweepRun {
  readonly #deps: SweepDependencies;
  readonly #invocation: SweepInvocation;
  readonly #client: SecretsManagerClient;
  readonly #now: () => number;
  readonly #dryRun: boolean;
  readonly #margin: number;
  /** The deadline on the `now` clock, from the time left at the start; undefined: none. */
  readonly #deadlineMs: number | undefined;
  readonly #listing: SecretListing;
  /** Candidates listed (or resumed) and not yet started. */
  readonly #queue: string[];
  #listingDone: boolean;
  #listingError: unknown;
  #pageInFlight: Promise<void> | undefined;
  #counts: SweepCounts = emptyCounts();
  /** Set once the limiter refused a call at the deadline: no new work starts after it. */
  #deadlineReached = false;
  readonly #results: SweepResult[] = [];

  constructor(deps: SweepDependencies, invocation: SweepInvocation) {
    const resumed = invocation.request.continuation;
    this.#deps = deps;
    this.#invocation = invocation;
    this.#client = installPacing(deps.secretsManager);
    this.#now = deps.now ?? Date.now;
    // The trigger made a resumed request state dryRun and checked it against the token's.
    this.#dryRun = invocation.request.dryRun ?? resumed?.dryRun ?? false;
    const remainingAtStart = invocation.remainingTimeMs?.();
    this.#margin = remainingAtStart === undefined ? 0 : deadlineMarginMs(remainingAtStart);
    this.#deadlineMs = remainingAtStart === undefined ? undefined : this.#now() + remainingAtStart;
    this.#listing = new SecretListing(this.#client, resumed?.nextToken);
    this.#listingDone = resumed?.listed ?? false;
    this.#queue = [...(resumed?.pending ?? [])];
    this.#count({ kind: 'listed', candidates: this.#queue.length, skipped: 0 });
  }

  /** Runs the sweep to its end or its deadline; rejects when the listing failed for good. */
  async execute(): Promise<SweepResponse> {
    const startedMs = this.#now();
    const { request } = this.#invocation;
    const resumed = request.continuation;
    const { quotaShare, concurrency } = this.#deps.sweepConfig;
    const { graceSeconds } = this.#deps.config.policy;
    const audit = new SweepAuditTrail(this.#deps.logger, this.#invocation.correlationId);
    audit.started({
      reason: request.reason,
      dryRun: this.#dryRun,
      graceSeconds,
      quotaShare,
      concurrency,
      resumed: resumed !== undefined,
      resumedPending: resumed?.pending.length ?? 0,
      run: (resumed?.run ?? 0) + 1,
      deadlineMarginMs: this.#margin,
    });
    if (!this.#dryRun) await this.#deps.ready?.();
    const limiter = this.#deps.limiter ?? sharedLimiter(quotaShare);
    const onThrottled = () => this.#count({ kind: 'throttled' });
    const deadline = this.#deadlineMs;
    const timeLeftMs = deadline === undefined ? undefined : () => deadline - this.#now();
    await withPacing({ limiter, onThrottled, timeLeftMs }, async () => {
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => this.#work()));
      await this.#pageInFlight;
    });
    this.#count({ kind: 'ended', remaining: this.#queue.length });
    const continuation = this.#continuation(startedMs);
    const durationMs = this.#now() - startedMs;
    audit.completed(this.#counts, {
      dryRun: this.#dryRun,
      continued: continuation !== undefined,
      restartedListing: this.#listing.restarted,
      listingError: this.#listingError === undefined ? null : describeError(this.#listingError),
      durationMs,
    });
    if (this.#listingError !== undefined) throw this.#listingFailure();
    const results = [...this.#results].sort(byArn);
    return { sweep: { dryRun: this.#dryRun, ...this.#counts, continuation, durationMs, results } };
  }

  #count(event: SweepTallyEvent): void {
    this.#counts = tally(this.#counts, event);
  }

  #timeLeft(): boolean {
    const { remainingTimeMs } = this.#invocation;
    if (this.#deadlineReached) return false;
    return remainingTimeMs === undefined || remainingTimeMs() > this.#margin;
  }

  /** A worker: takes candidates until there are none left or the deadline nears. */
  async #work(): Promise<void> {
    for (let arn = await this.#next(); arn !== undefined; arn = await this.#next()) {
      await this.#process(arn);
    }
  }

  /** The next candidate to start, listing more when the queue is empty; undefined: stop. */
  async #next(): Promise<string | undefined> {
    for (;;) {
      if (!this.#timeLeft()) return undefined;
      const next = this.#queue.shift();
      if (next !== undefined) return next;
      if (this.#listingDone) return undefined;
      this.#pageInFlight ??= this.#listPage().finally(() => {
        this.#pageInFlight = undefined;
      });
      await this.#pageInFlight;
    }
  }

  /** Reads one ListSecrets page into the queue. */
  async #listPage(): Promise<void> {
    try {
      const entries = await this.#listing.next();
      if (entries === undefined || this.#listing.done) this.#listingDone = true;
      const { candidates, skipped } = selectCandidates(entries ?? [], {
        requiredTag: this.#deps.config.requiredTag,
      });
      this.#queue.push(...candidates.map((candidate) => candidate.arn));
      const skippedCount = Object.values(skipped).reduce((sum, n) => sum + n, 0);
      this.#count({ kind: 'listed', candidates: candidates.length, skipped: skippedCount });
    } catch (error) {
      // a page refused at the deadline is read by the continuation, from the same token
      if (isDeadlineReached(error)) {
        this.#deadlineReached = true;
        return;
      }
      this.#listingError = error;
      this.#listingDone = true;
    }
  }

  /**
   * Processes one candidate; one whose call the deadline refused goes back to the queue, and so
   * into the continuation.
   */
  async #process(arn: string): Promise<void> {
    try {
      await this.#examineAndRemediate(arn);
    } catch (error) {
      if (!isDeadlineReached(error)) throw error;
      this.#deadlineReached = true;
      this.#queue.unshift(arn);
    }
  }

  /** Examines one candidate and, when it is stuck, remediates it. */
  async #examineAndRemediate(arn: string): Promise<void> {
    const started = this.#now();
    const examination: Examination = await examineCandidate(this.#client, arn, {
      nowMs: this.#now,
      graceSeconds: this.#deps.config.policy.graceSeconds,
      timeLeft: () => this.#timeLeft(),
    });
    if (examination.kind === 'cleared' || examination.kind === 'running') {
      this.#count({ kind: 'examined', outcome: examination.kind });
      return;
    }
    if (examination.kind === 'failed') return this.#record(examination.result, started);
    const request = stuckSecretRequest(arn, examination, {
      dryRun: this.#dryRun,
      pendingAction: this.#deps.config.defaultPendingAction,
      correlationId: this.#invocation.correlationId,
    });
    const outcome = await this.#deps.remediate(request).then(
      (report) => ({ report }),
      (error: unknown) => {
        if (isDeadlineReached(error)) throw error;
        return { error };
      }
    );
    // counted once it has an outcome: one the deadline cut off is counted by the run that ends it
    this.#count({ kind: 'stuck' });
    this.#record(sweepResultOf(arn, examination.pendingSince, outcome), started);
  }

  #record(result: SweepResult, startedMs: number): void {
    this.#results.push(result);
    this.#count({ kind: 'result', result });
    this.#deps.onResult?.(result, this.#now() - startedMs);
  }

  /** The continuation of a run cut short (work left, listing unfinished), unless listing failed. */
  #continuation(startedMs: number): string | undefined {
    if (this.#listingError !== undefined) return undefined;
    if (this.#queue.length === 0 && this.#listingDone) return undefined;
    const resumed = this.#invocation.request.continuation;
    return encodeContinuation({
      listed: this.#listingDone,
      nextToken: this.#listingDone ? undefined : this.#listing.nextToken,
      pending: [...this.#queue],
      dryRun: this.#dryRun,
      startedAt: resumed?.startedAt ?? new Date(startedMs).toISOString(),
      run: (resumed?.run ?? 0) + 1,
      scope: this.#invocation.request.scope,
    });
  }

  #listingFailure(): AwsCallFailed {
    return new AwsCallFailed(
      `The sweep could not list secrets (ListSecrets failed with ${errorNameOf(this.#listingError)}) after ${this.#counts.stuck} stuck secret(s) were handled; the next run lists again from the start.`,
      { cause: this.#listingError }
    );
  }
}

/**
 * Runs one sweep (see the module comment). Resolves with the report; rejects only when the listing
 * itself fails for good (ListSecrets after the SDK's retries), once the work in flight has ended.
 */
export const runSweep = (
  deps: SweepDependencies,
  invocation: SweepInvocation
): Promise<SweepResponse> => new SweepRun(deps, invocation).execute();
