/**
 * The sweep's public surface, for the CLI and the benchmarks. The handler imports `sweep.js`
 * lazily, on the first `{"sweep": {...}}` event, so invocations that never sweep do not load it.
 */
export type { Candidate, CandidateSelection, PendingVersion } from './candidates.js';
export { isStuck, pendingVersionOf, SkipReason, selectCandidates } from './candidates.js';
export { decodeContinuation, encodeContinuation } from './continuation.js';
export type { PacingScope } from './pacing.js';
export { installPacing, isThrottlingError, withPacing } from './pacing.js';
export type { BucketRate, LimiterClock } from './rate-limiter.js';
export {
  bucketOf,
  burstOf,
  QUOTA_RATES,
  QuotaBucket,
  QuotaRateLimiter,
  ratesAtShare,
  TokenBucket,
} from './rate-limiter.js';
export type { SweepDependencies, SweepInvocation } from './sweep.js';
export {
  deadlineMarginMs,
  MAX_DEADLINE_MARGIN_MS,
  PAGE_SIZE,
  runSweep,
  SweepAuditEvent,
  sharedLimiter,
} from './sweep.js';
export type {
  SweepContinuation,
  SweepCounts,
  SweepReport,
  SweepRequest,
  SweepResponse,
  SweepResult,
} from './types.js';
export { SweepResultStatus } from './types.js';
