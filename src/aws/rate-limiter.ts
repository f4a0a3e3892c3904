/**
 * The client-side rate limiter of the sweep and the report: one bucket per Secrets Manager quota
 * bucket, each allowing `rate = share × quota` requests per second, so a sweep never takes more
 * than its share of a quota that every other caller of the account (rotation Lambdas included)
 * shares.
 *
 * Each bucket is a token bucket (refilled at `rate` per second, holding at most
 * {@link burstOf}`(rate)` tokens, a fifth of a second's worth, full at the start) with a one-second
 * window on top: it never grants more than `⌊rate⌋` requests within any 1,000 ms, so the share holds
 * per second, not only on average. Once the window has been full, requests leave one at a time
 * again (tokens that came in meanwhile do not leave in a bunch). Requests reach the service a few
 * milliseconds after their grant, some later than others (a new connection, a busy event loop), so
 * a one-second count taken at the service can exceed `⌊rate⌋` by a request or two; the burst is the
 * stated allowance for that: at most `rate + burst` in any one-second window at the service.
 * Waiters are served first come, first served.
 */

/** The request-rate quotas of Secrets Manager (one shared bucket per row of the reference table). */
export const QuotaBucket = {
  /** DescribeSecret + GetSecretValue: 10,000 requests/s. */
  Read: 'read',
  /** RotateSecret + CancelRotateSecret: 50 requests/s. */
  Rotation: 'rotation',
  /** PutSecretValue, UpdateSecret, UpdateSecretVersionStage and the other writes: 50 requests/s. */
  Write: 'write',
  /** TagResource + UntagResource: 50 requests/s. */
  Tag: 'tag',
  /** ListSecrets, ListSecretVersionIds: not published, assumed 50 requests/s. */
  List: 'list',
  /**
   * CloudTrail LookupEvents (the failed-step history): 2 requests/s per account and region, as
   * the CloudTrail API reference says (older pages say 1), shared with everyone reading the history.
   */
  Lookup: 'lookup',
  /** Any operation not named above: assumed 50 requests/s, on a bucket of its own. */
  Other: 'other',
} as const;
/** One of {@link QuotaBucket}. */
export type QuotaBucket = (typeof QuotaBucket)[keyof typeof QuotaBucket];

/** The account's request rate of each bucket, in requests per second. */
export const QUOTA_RATES = {
  read: 10_000,
  rotation: 50,
  write: 50,
  tag: 50,
  list: 50,
  lookup: 2,
  other: 50,
} as const satisfies Record<QuotaBucket, number>;

/**
 * The bucket of each operation the remediator sends (reference: "Request quotas"). Any other
 * operation is paced in the conservative `other` bucket; value operations are never sent at all.
 */
const OPERATION_BUCKETS: Readonly<Record<string, QuotaBucket>> = {
  DescribeSecret: QuotaBucket.Read,
  RotateSecret: QuotaBucket.Rotation,
  CancelRotateSecret: QuotaBucket.Rotation,
  UpdateSecret: QuotaBucket.Write,
  UpdateSecretVersionStage: QuotaBucket.Write,
  TagResource: QuotaBucket.Tag,
  UntagResource: QuotaBucket.Tag,
  ListSecrets: QuotaBucket.List,
  ListSecretVersionIds: QuotaBucket.List,
  LookupEvents: QuotaBucket.Lookup,
};

/** The quota bucket an operation (`DescribeSecret`, or the SDK's `DescribeSecretCommand`) draws from. */
export const bucketOf = (operation: string): QuotaBucket => {
  const name = operation.endsWith('Command') ? operation.slice(0, -'Command'.length) : operation;
  return Object.hasOwn(OPERATION_BUCKETS, name)
    ? (OPERATION_BUCKETS[name] ?? QuotaBucket.Other)
    : QuotaBucket.Other;
};

/** Burst of a bucket refilled at `rate` per second: a fifth of a second's worth, at least 1 token. */
export const burstOf = (rate: number): number => Math.max(1, Math.floor(rate / 5));

/** A clock the limiter waits on; tests inject a manual one. */
export interface LimiterClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const systemClock: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

import { DeadlineReached } from '../errors.js';

/** Rounding slack: a bucket refilled to within this of a whole token counts as holding it. */
const EPSILON = 1e-9;

/** Length of the window in which at most `⌊rate⌋` requests are granted. */
export const WINDOW_MS = 1_000;

/** One bucket: a token bucket and a one-second window, with a first-come, first-served queue. */
export class TokenBucket {
  /** Tokens added per second. */
  public readonly rate: number;
  /** Most tokens held at once (the burst). */
  public readonly capacity: number;
  /** Most requests granted within any {@link WINDOW_MS}: `max(1, ⌊rate⌋)`. */
  public readonly perWindow: number;
  readonly #clock: LimiterClock;
  readonly #waiters: Waiter[] = [];
  /** Grant times of the last `perWindow` grants (a ring; `#next` is the oldest once full). */
  readonly #granted: number[] = [];
  #next = 0;
  #tokens: number;
  #refilledAt: number;
  #timer: Promise<void> | undefined;
  #windowWasFull = false;

  public constructor(rate: number, capacity: number, clock: LimiterClock = systemClock) {
    if (!(rate > 0) || !(capacity >= 1)) {
      throw new RangeError('A token bucket needs a rate > 0 and a capacity ≥ 1.');
    }
    this.rate = rate;
    this.capacity = capacity;
    this.perWindow = Math.max(1, Math.floor(rate));
    this.#clock = clock;
    this.#tokens = capacity;
    this.#refilledAt = clock.now();
  }

  /** How many callers are waiting for a token. */
  public get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Resolves once a token is taken for the caller. With `timeLeftMs` (the run's deadline, in ms
   * from now) no wait starts that would end past the deadline: a token that is there is taken (the
   * work in flight finishes its calls), but a caller that would have to wait past the deadline is
   * rejected with {@link DeadlineReached}, as soon as the bucket's next grant is known to come
   * too late.
   */
  public acquire(timeLeftMs?: number): Promise<void> {
    const deadline =
      timeLeftMs === undefined ? Number.POSITIVE_INFINITY : this.#clock.now() + timeLeftMs;
    if (this.#waiters.length === 0 && this.#take() === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject, deadline });
      this.#drain();
    });
  }

  #refill(now: number): void {
    this.#tokens = Math.min(
      this.capacity,
      this.#tokens + (Math.max(0, now - this.#refilledAt) / 1000) * this.rate
    );
    this.#refilledAt = now;
  }

  /** Takes a token and returns 0, or returns the milliseconds until one can be taken. */
  #take(): number {
    const now = this.#clock.now();
    this.#refill(now);
    const oldest = this.#granted.length < this.perWindow ? undefined : this.#granted[this.#next];
    const windowWait = oldest === undefined ? 0 : oldest + WINDOW_MS - now;
    const tokenWait = this.#tokens + EPSILON >= 1 ? 0 : ((1 - this.#tokens) / this.rate) * 1000;
    if (windowWait > 0) {
      this.#windowWasFull = true;
      return Math.max(1, Math.ceil(windowWait), Math.ceil(tokenWait));
    }
    if (this.#windowWasFull) {
      // Tokens that came in while the window was full do not leave at once: when it frees up,
      // requests go one at a time, spaced by the rate, as they did before it filled.
      this.#windowWasFull = false;
      this.#tokens = Math.min(this.#tokens, 1);
    }
    if (tokenWait > 0) return Math.max(1, Math.ceil(tokenWait));
    this.#tokens = Math.max(0, this.#tokens - 1);
    if (this.#granted.length < this.perWindow) this.#granted.push(now);
    else this.#granted[this.#next] = now;
    this.#next = (this.#next + 1) % this.perWindow;
    return 0;
  }

  /** Serves waiters while tokens last, then sleeps until the next one (one timer at most). */
  #drain(): void {
    if (this.#timer !== undefined) return;
    let waitMs = 0;
    while (this.#waiters.length > 0) {
      waitMs = this.#take();
      if (waitMs > 0) break;
      this.#waiters.shift()?.resolve();
    }
    // the next grant comes in waitMs at the earliest: whoever must be done before then is refused now
    const grantAt = this.#clock.now() + waitMs;
    for (const waiter of this.#waiters.filter((w) => w.deadline < grantAt)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.reject(deadlineReached(waitMs));
    }
    if (this.#waiters.length === 0) return;
    this.#timer = this.#clock.sleep(waitMs).then(() => {
      this.#timer = undefined;
      this.#drain();
    });
  }
}

/** A caller waiting for a token, and its deadline on the limiter's clock. */
interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  deadline: number;
}

const deadlineReached = (waitMs: number): DeadlineReached =>
  new DeadlineReached(
    `The next token comes in ${waitMs} ms, past the deadline: the call is left for the continuation.`
  );

/** The rate and burst of one bucket. */
export interface BucketRate {
  /** Requests per second. */
  rate: number;
  /** Tokens the bucket holds when full. */
  burst: number;
}

/** The rates a limiter allows at `share` of each quota. */
export const ratesAtShare = (share: number): Record<QuotaBucket, BucketRate> => {
  if (!(share > 0 && share <= 1)) throw new RangeError('The quota share must be in (0, 1].');
  const entries = Object.entries(QUOTA_RATES).map(([bucket, quota]) => {
    const rate = quota * share;
    return [bucket, { rate, burst: burstOf(rate) }] as const;
  });
  return Object.fromEntries(entries) as Record<QuotaBucket, BucketRate>;
};

/** One token bucket per quota bucket, at a share of each quota. */
export class QuotaRateLimiter {
  /** The share of each quota this limiter allows. */
  public readonly share: number;
  /** Rate and burst per bucket. */
  public readonly rates: Readonly<Record<QuotaBucket, BucketRate>>;
  readonly #buckets: ReadonlyMap<QuotaBucket, TokenBucket>;

  public constructor(share: number, clock: LimiterClock = systemClock) {
    this.share = share;
    this.rates = ratesAtShare(share);
    this.#buckets = new Map(
      Object.entries(this.rates).map(([bucket, { rate, burst }]) => [
        bucket as QuotaBucket,
        new TokenBucket(rate, burst, clock),
      ])
    );
  }

  /**
   * Waits for a token of the operation's bucket (see {@link bucketOf}); with `timeLeftMs`, rejects
   * with {@link DeadlineReached} rather than wait past it (see {@link TokenBucket.acquire}).
   */
  public acquire(operation: string, timeLeftMs?: number): Promise<void> {
    const bucket = this.#buckets.get(bucketOf(operation));
    if (bucket === undefined) throw new Error('Every quota bucket has a token bucket.');
    return bucket.acquire(timeLeftMs);
  }
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
