/**
 * The values of a sweep: the request the `{"sweep": {...}}` trigger turns into, the continuation a
 * sweep cut short by the Lambda deadline hands to the next run, and the report. All plain JSON.
 */
import type { RunScope } from '../identifiers.js';
import type { RemediationStatus, Rule } from '../remediation/types.js';

/** Where a sweep cut short by the deadline stopped; the next run starts from here. */
export interface SweepContinuation {
  /** True when ListSecrets had returned its last page: only `pending` is left. */
  listed: boolean;
  /**
   * The ListSecrets NextToken of the first page not yet listed; absent when listing had ended, or
   * had not started (the next run then lists from the first page).
   */
  nextToken?: string;
  /** ARNs of candidates listed but not yet examined (re-examined from scratch on resume). */
  pending: string[];
  /** Whether the sweep is a dry run (a resumed sweep stays one unless the command says otherwise). */
  dryRun: boolean;
  /** When the first run of this chain started (ISO 8601). */
  startedAt: string;
  /** How many runs of this chain came before (1 for the first continuation). */
  run: number;
  /** The account and region of the run that issued it, each when known. */
  scope?: RunScope;
}

/** A sweep request, as the trigger adapter validated it. */
export interface SweepRequest {
  /**
   * Plan only: read calls, no change; absent: false. With a continuation it is required and must
   * equal the continuation's (the trigger refuses the request otherwise): a token is a position in
   * a listing, never a permission.
   */
  dryRun?: boolean;
  /** The decoded continuation of an earlier run, when this run resumes one. */
  continuation?: SweepContinuation;
  /** Free text from whoever started the sweep (logged masked in `sweep.started`). */
  reason?: string;
  /** Where this run acts (written into its continuation, checked against a resumed one). */
  scope?: RunScope;
}

/** What happened to one stuck secret (or to one whose examination failed). */
export const SweepResultStatus = {
  Remediated: 'remediated',
  AlreadyClean: 'already-clean',
  Planned: 'planned',
  NeedsDecision: 'needs-decision',
  Refused: 'refused',
  /** Another invocation is remediating the same failure right now; it reports the outcome. */
  InProgress: 'in-progress',
  Failed: 'failed',
  /**
   * The core found the pending version still in flight (younger than the grace period, no failure
   * record): counted with the running ones.
   */
  Deferred: 'deferred',
} as const satisfies Record<string, RemediationStatus | 'in-progress' | 'failed'>;
/** One of {@link SweepResultStatus}. */
export type SweepResultStatus = (typeof SweepResultStatus)[keyof typeof SweepResultStatus];

/** One line of the report per secret found stuck. */
export interface SweepResult {
  secretArn: string;
  status: SweepResultStatus;
  /** The planner's rule; null when the secret failed before a plan was made. */
  rule: Rule | null;
  /** When the pending version was created (ISO 8601); null when unknown. */
  pendingSince: string | null;
  /** Error name and message, for `failed` and `in-progress`. */
  error?: string;
  /** Set when the idempotency store answered with the report of an earlier run. */
  replayed?: true;
  /** A dry run: the status the real run would end in (needs-decision, refused, remediated, ...). */
  wouldBe?: string;
}

/** The counters of a sweep report. */
export interface SweepCounts {
  /** Secrets with AWSPENDING on a version other than AWSCURRENT (from ListSecrets, or resumed). */
  candidates: number;
  /** Candidates whose pending version is older than the grace period. */
  stuck: number;
  /** Candidates whose pending version is younger than the grace period: left alone. */
  running: number;
  /** Candidates no longer stuck when examined (AWSPENDING gone or on AWSCURRENT, secret deleted). */
  cleared: number;
  /** Secrets with a stuck-looking label picture left to others: out of REQUIRED_TAG scope, replicas. */
  skipped: number;
  remediated: number;
  alreadyClean: number;
  /** Dry runs: stuck secrets the sweep would change. */
  planned: number;
  needsDecision: number;
  refused: number;
  inProgress: number;
  /** Stuck secrets whose remediation failed, and candidates whose examination failed. */
  failed: number;
  /** Candidates listed but not examined before the deadline: they are in the continuation. */
  remaining: number;
  /** Attempts answered with a throttling error (each retried by the SDK). */
  throttled: number;
}

/** The report of one sweep run. */
export interface SweepReport extends SweepCounts {
  dryRun: boolean;
  /** Present when the run stopped before the end: pass it back as `{"sweep": {"continuation": …}}`. */
  continuation?: string;
  durationMs: number;
  /** One entry per secret found stuck (or failed to examine), sorted by ARN. */
  results: SweepResult[];
}

/** What the function returns for a sweep. */
export interface SweepResponse {
  sweep: SweepReport;
}
