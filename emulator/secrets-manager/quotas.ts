import { performance } from 'node:perf_hooks';
import { Operation } from './wire.js';

/** The request-rate buckets of Secrets Manager (one shared token bucket each). */
export const QuotaBucket = {
  Read: 'read',
  Rotation: 'rotation',
  Write: 'write',
  Tag: 'tag',
  List: 'list',
  /** CloudTrail LookupEvents (served beside Secrets Manager): its own quota. */
  Lookup: 'lookup',
} as const;

/** One of the buckets in {@link QuotaBucket}. */
export type QuotaBucket = (typeof QuotaBucket)[keyof typeof QuotaBucket];

/** Quota setting: false/undefined = off; true = AWS numbers; an object = overrides (requests/s). */
export type QuotaSetting = boolean | Partial<Record<QuotaBucket, number>>;

/** The AWS request rates per bucket (requests per second). */
export const AWS_QUOTA_RATES: Readonly<Record<QuotaBucket, number>> = {
  read: 10_000,
  rotation: 50,
  write: 50,
  tag: 50,
  list: 50,
  lookup: 2,
};

/** Which bucket each operation draws from. */
export const OPERATION_BUCKETS: Readonly<Record<string, QuotaBucket>> = {
  [Operation.DescribeSecret]: QuotaBucket.Read,
  [Operation.GetSecretValue]: QuotaBucket.Read,
  [Operation.RotateSecret]: QuotaBucket.Rotation,
  [Operation.CancelRotateSecret]: QuotaBucket.Rotation,
  [Operation.PutSecretValue]: QuotaBucket.Write,
  [Operation.UpdateSecret]: QuotaBucket.Write,
  [Operation.UpdateSecretVersionStage]: QuotaBucket.Write,
  [Operation.CreateSecret]: QuotaBucket.Write,
  [Operation.DeleteSecret]: QuotaBucket.Write,
  [Operation.RestoreSecret]: QuotaBucket.Write,
  [Operation.TagResource]: QuotaBucket.Tag,
  [Operation.UntagResource]: QuotaBucket.Tag,
  [Operation.ListSecrets]: QuotaBucket.List,
  [Operation.ListSecretVersionIds]: QuotaBucket.List,
  LookupEvents: QuotaBucket.Lookup,
};

/** The bucket an operation draws from, if any. */
export function bucketForOperation(operation: string): QuotaBucket | undefined {
  return Object.hasOwn(OPERATION_BUCKETS, operation) ? OPERATION_BUCKETS[operation] : undefined;
}

/** The rate of every bucket for a setting, or undefined when quotas are off. */
export function resolveQuotaRates(
  setting: QuotaSetting | undefined
): Record<QuotaBucket, number> | undefined {
  if (setting === undefined || setting === false) return undefined;
  const rates = { ...AWS_QUOTA_RATES };
  if (setting !== true) {
    for (const bucket of Object.values(QuotaBucket)) {
      const rate = setting[bucket];
      if (rate !== undefined) {
        if (!(rate >= 0)) throw new RangeError(`Quota for ${bucket} must be ≥ 0, got ${rate}.`);
        rates[bucket] = rate;
      }
    }
  }
  return rates;
}

interface TokenBucket {
  rate: number;
  tokens: number;
  refilledAt: number;
}

/** Token buckets per {@link QuotaBucket}: capacity = rate (a one-second burst), refilled continuously. */
export class QuotaLimiter {
  #buckets: Map<QuotaBucket, TokenBucket> | undefined;
  #now: () => number;

  /** Limiter for a setting; `now` is a monotonic clock in ms (default `performance.now`). */
  constructor(setting?: QuotaSetting, now: () => number = () => performance.now()) {
    this.#now = now;
    this.configure(setting);
  }

  /** Whether any quota is enforced. */
  get enabled(): boolean {
    return this.#buckets !== undefined;
  }

  /** Replaces the setting; every bucket starts full. */
  configure(setting: QuotaSetting | undefined): void {
    const rates = resolveQuotaRates(setting);
    if (rates === undefined) {
      this.#buckets = undefined;
      return;
    }
    const now = this.#now();
    this.#buckets = new Map(
      Object.values(QuotaBucket).map((bucket) => [
        bucket,
        { rate: rates[bucket], tokens: rates[bucket], refilledAt: now },
      ])
    );
  }

  /** Takes one token for the operation's bucket; false means throttle. Unbucketed operations pass. */
  tryAcquire(operation: string): boolean {
    const name = bucketForOperation(operation);
    const bucket = name === undefined ? undefined : this.#buckets?.get(name);
    if (bucket === undefined) return true;
    const now = this.#now();
    bucket.tokens = Math.min(
      bucket.rate,
      bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.rate
    );
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
