/**
 * The sweep: finds the secrets a failed rotation left stuck without telling us (CloudTrail delivery
 * to EventBridge is best effort, alarms fire on state changes only) and runs each through the same
 * remediation core and idempotency as a single remediation.
 *
 * 1. List: ListSecrets through the SDK's paginator, 100 a page, until the token is absent, empty or
 *    repeated (a page may be empty and still carry one; see ./listing.ts). Candidates are picked
 *    from each page's `SecretVersionsToStages`: no per-secret read.
 * 2. Examine each candidate: ListSecretVersionIds (paginated the same way) gives the pending version's
 *    CreatedDate; stuck means created more than `SWEEP_GRACE_SECONDS` ago.
 * 3. Remediate each stuck secret with `remediate`, pinned to the pending version examined
 *    (`expectedPendingVersionId`), so a rotation that started in between is refused, not discarded.
 *
 * Examining and remediating run on `SWEEP_CONCURRENCY` workers fed by the listing, so listing,
 * examining and remediating overlap. Every Secrets Manager call made inside the sweep, the core's
 * included, waits for a token of its quota bucket ({@link QuotaRateLimiter}, at `SWEEP_QUOTA_SHARE`
 * of each quota). Before the Lambda deadline (minus {@link deadlineMarginMs}) no new candidate is
 * started; the run returns a continuation instead.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type {
  SecretsManagerClient,
  SecretVersionsListEntry,
} from '@aws-sdk/client-secrets-manager';
import { maskCredentials } from '../audit/redact.js';
import { AuditTrail } from '../audit/trail.js';
import type { RemediatorConfig, SweepConfig } from '../config.js';
import { AwsCallError, RemediationInProgressError } from '../errors.js';
import type { ApplyOnce, RemediationDependencies } from '../remediation/remediate.js';
import { remediate } from '../remediation/remediate.js';
import type { RemediationReport, RemediationRequest } from '../remediation/types.js';
import { TriggerName } from '../remediation/types.js';
import type { Candidate } from './candidates.js';
import { isStuck, pendingVersionOf, selectCandidates } from './candidates.js';
import { encodeContinuation } from './continuation.js';
import { listVersions, SecretListing } from './listing.js';
import { installPacing, withPacing } from './pacing.js';
import { QuotaRateLimiter } from './rate-limiter.js';
import type {
  SweepCounts,
  SweepRequest,
  SweepResponse,
  SweepResult,
  SweepResultStatus,
} from './types.js';
import { SweepResultStatus as ResultStatus } from './types.js';

/** Largest safety margin kept before the Lambda deadline: 10 s. */
export const MAX_DEADLINE_MARGIN_MS = 10_000;

/**
 * The margin kept before the deadline, for remediations in flight to finish: 10 s, or half the
 * time left when the run starts if that is less (so a short run still makes progress). A healthy
 * remediation takes well under a second even while waiting for tokens; a remediation cut off by
 * the timeout anyway holds its idempotency lock only until the deadline, and the next run
 * re-examines the secret.
 */
export const deadlineMarginMs = (remainingAtStartMs: number): number =>
  Math.max(0, Math.min(MAX_DEADLINE_MARGIN_MS, remainingAtStartMs / 2));

/** Audit record names of the sweep (each remediation writes its own `remediation.*` trail). */
export const SweepAuditEvent = {
  Started: 'sweep.started',
  Completed: 'sweep.completed',
} as const;

/** What a sweep runs with. */
export interface SweepDependencies {
  /** The client of the remediation core; the sweep installs its pacing middleware on it. */
  secretsManager: SecretsManagerClient;
  config: Pick<RemediatorConfig, 'requiredTag' | 'defaultPendingAction'>;
  sweepConfig: SweepConfig;
  /** The service logger: `sweep.*` records and every remediation's audit trail. */
  logger: Logger;
  /** Idempotency of each remediation (same key as a single remediation); absent means none. */
  applyOnce?: ApplyOnce;
  /**
   * Loads what `applyOnce` needs (the DynamoDB client, the idempotency utility), awaited before a
   * live sweep makes its first call: loading it later, with paced requests waiting to go out,
   * would hold them back and then send them in a bunch.
   */
  warmUp?: () => Promise<unknown>;
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
  correlationId?: string;
  /** Milliseconds left before the deadline (`context.getRemainingTimeInMillis`); none: no deadline. */
  remainingTimeMs?: () => number;
}

const limiters = new Map<number, QuotaRateLimiter>();

/** The process-wide limiter of a quota share (successive and concurrent sweeps share it). */
export const sharedLimiter = (share: number): QuotaRateLimiter => {
  let limiter = limiters.get(share);
  if (limiter === undefined) {
    limiter = new QuotaRateLimiter(share);
    limiters.set(share, limiter);
  }
  return limiter;
};

const STATUS_COUNTER = {
  [ResultStatus.Remediated]: 'remediated',
  [ResultStatus.AlreadyClean]: 'alreadyClean',
  [ResultStatus.Planned]: 'planned',
  [ResultStatus.NeedsDecision]: 'needsDecision',
  [ResultStatus.Refused]: 'refused',
  [ResultStatus.InProgress]: 'inProgress',
  [ResultStatus.Failed]: 'failed',
} as const satisfies Record<SweepResultStatus, keyof SweepCounts>;

const emptyCounts = (): SweepCounts => ({
  candidates: 0,
  stuck: 0,
  running: 0,
  cleared: 0,
  skipped: 0,
  remediated: 0,
  alreadyClean: 0,
  planned: 0,
  needsDecision: 0,
  refused: 0,
  inProgress: 0,
  failed: 0,
  remaining: 0,
  throttled: 0,
});

const describeError = (error: unknown): string => {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  const text = `${name}: ${message}`;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
};

const isNotFound = (error: unknown): boolean =>
  (error as Error | undefined)?.name === 'ResourceNotFoundException';

const resultOf = (
  secretArn: string,
  pendingSince: string | null,
  report: RemediationReport
): SweepResult => ({
  secretArn,
  status: report.status,
  rule: report.decision.rule,
  pendingSince,
  ...(report.replayed === true ? { replayed: true as const } : {}),
});

/**
 * Runs one sweep (see the module comment). Resolves with the report; rejects only when the listing
 * itself fails for good (ListSecrets after the SDK's retries), once the work in flight has ended.
 */
export const runSweep = async (
  deps: SweepDependencies,
  invocation: SweepInvocation
): Promise<SweepResponse> => {
  const now = deps.now ?? Date.now;
  const startedMs = now();
  const { request } = invocation;
  const resumed = request.continuation;
  const dryRun = request.dryRun ?? resumed?.dryRun ?? false;
  const { graceSeconds, quotaShare, concurrency } = deps.sweepConfig;
  const correlationId = invocation.correlationId;
  const client = installPacing(deps.secretsManager);
  const limiter = deps.limiter ?? sharedLimiter(quotaShare);
  const counts = emptyCounts();
  const results: SweepResult[] = [];

  const remainingAtStart = invocation.remainingTimeMs?.();
  const margin = remainingAtStart === undefined ? 0 : deadlineMarginMs(remainingAtStart);
  const timeLeft = (): boolean =>
    invocation.remainingTimeMs === undefined || invocation.remainingTimeMs() > margin;

  deps.logger.info('Sweep started', {
    audit: {
      event: SweepAuditEvent.Started,
      trigger: TriggerName.Sweep,
      correlationId: correlationId ?? null,
      reason: request.reason === undefined ? null : maskCredentials(request.reason),
      dryRun,
      graceSeconds,
      quotaShare,
      concurrency,
      resumed: resumed !== undefined,
      resumedPending: resumed?.pending.length ?? 0,
      run: (resumed?.run ?? 0) + 1,
      deadlineMarginMs: margin,
    },
  });

  if (!dryRun) await deps.warmUp?.();

  // The work queue: candidates listed (or resumed) and not yet started.
  const queue: Candidate[] = (resumed?.pending ?? []).map((arn) => ({ arn }));
  counts.candidates += queue.length;
  const listing = new SecretListing(client, resumed?.nextToken);
  let listingDone = resumed?.listed ?? false;
  let listingError: unknown;
  let pageInFlight: Promise<void> | undefined;

  const fetchPage = async (): Promise<void> => {
    try {
      const entries = await listing.next();
      if (entries === undefined || listing.done) listingDone = true;
      const selection = selectCandidates(entries ?? [], { requiredTag: deps.config.requiredTag });
      queue.push(...selection.candidates);
      counts.candidates += selection.candidates.length;
      counts.skipped += Object.values(selection.skipped).reduce((sum, n) => sum + n, 0);
    } catch (error) {
      listingError = error;
      listingDone = true;
    }
  };

  /** The next candidate to start, listing more when the queue is empty; undefined: stop. */
  const nextCandidate = async (): Promise<Candidate | undefined> => {
    for (;;) {
      if (!timeLeft()) return undefined;
      const next = queue.shift();
      if (next !== undefined) return next;
      if (listingDone) return undefined;
      pageInFlight ??= fetchPage().finally(() => {
        pageInFlight = undefined;
      });
      await pageInFlight;
    }
  };

  const record = (result: SweepResult, durationMs: number): void => {
    results.push(result);
    counts[STATUS_COUNTER[result.status]] += 1;
    deps.onResult?.(result, durationMs);
  };

  const remediationDeps: RemediationDependencies = {
    secretsManager: client,
    ...(deps.config.requiredTag === undefined ? {} : { requiredTag: deps.config.requiredTag }),
    ...(deps.applyOnce === undefined ? {} : { applyOnce: deps.applyOnce }),
  };

  const processCandidate = async (candidate: Candidate): Promise<void> => {
    const started = now();
    let versions: SecretVersionsListEntry[];
    try {
      versions = await listVersions(client, candidate.arn);
    } catch (error) {
      if (isNotFound(error)) {
        counts.cleared += 1;
        return;
      }
      record(
        {
          secretArn: candidate.arn,
          status: ResultStatus.Failed,
          rule: null,
          pendingSince: null,
          error: `AwsCallFailed: ListSecretVersionIds failed with ${(error as Error | undefined)?.name ?? 'an unknown error'}.`,
        },
        now() - started
      );
      return;
    }
    const pending = pendingVersionOf(versions);
    if (pending === undefined) {
      counts.cleared += 1;
      return;
    }
    if (!isStuck(pending.createdDate, now(), graceSeconds)) {
      counts.running += 1;
      return;
    }
    counts.stuck += 1;
    const pendingSince = pending.createdDate?.toISOString() ?? null;
    const remediationRequest: RemediationRequest = {
      secretId: candidate.arn,
      dryRun,
      pendingAction: deps.config.defaultPendingAction,
      expectedPendingVersionId: pending.versionId,
      reason: `sweep: pending since ${pendingSince ?? 'an unknown date'}`,
      trigger: TriggerName.Sweep,
      ...(correlationId === undefined ? {} : { correlationId }),
    };
    const trail = new AuditTrail(deps.logger, { trigger: TriggerName.Sweep, correlationId });
    trail.requested(remediationRequest);
    try {
      const report = await remediate({ ...remediationDeps, observer: trail }, remediationRequest);
      trail.completed(report);
      record(resultOf(candidate.arn, pendingSince, report), now() - started);
    } catch (error) {
      trail.failed(error as Error);
      record(
        {
          secretArn: candidate.arn,
          status:
            error instanceof RemediationInProgressError
              ? ResultStatus.InProgress
              : ResultStatus.Failed,
          rule: null,
          pendingSince,
          error: describeError(error),
        },
        now() - started
      );
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const candidate = await nextCandidate();
      if (candidate === undefined) return;
      await processCandidate(candidate);
    }
  };

  await withPacing(
    {
      limiter,
      onThrottled: () => {
        counts.throttled += 1;
      },
    },
    async () => {
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
      await pageInFlight;
    }
  );

  counts.remaining = queue.length;
  const continues = listingError === undefined && (queue.length > 0 || !listingDone);
  const continuation = continues
    ? encodeContinuation({
        listed: listingDone,
        ...(listingDone || listing.nextToken === undefined ? {} : { nextToken: listing.nextToken }),
        pending: queue.map((candidate) => candidate.arn),
        dryRun,
        startedAt: resumed?.startedAt ?? new Date(startedMs).toISOString(),
        run: (resumed?.run ?? 0) + 1,
      })
    : undefined;
  results.sort((a, b) => (a.secretArn < b.secretArn ? -1 : a.secretArn > b.secretArn ? 1 : 0));
  const durationMs = now() - startedMs;

  deps.logger[listingError === undefined ? 'info' : 'error']('Sweep completed', {
    audit: {
      event: SweepAuditEvent.Completed,
      trigger: TriggerName.Sweep,
      correlationId: correlationId ?? null,
      dryRun,
      ...counts,
      continued: continuation !== undefined,
      restartedListing: listing.restarted,
      listingError: listingError === undefined ? null : describeError(listingError),
      durationMs,
    },
  });

  if (listingError !== undefined) {
    throw new AwsCallError(
      `The sweep could not list secrets (ListSecrets failed with ${(listingError as Error | undefined)?.name ?? 'an unknown error'}) after ${counts.stuck} stuck secret(s) were handled; the next run lists again from the start.`,
      { cause: listingError }
    );
  }
  return {
    sweep: {
      dryRun,
      ...counts,
      ...(continuation === undefined ? {} : { continuation }),
      durationMs,
      results,
    },
  };
};
