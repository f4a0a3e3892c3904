/**
 * The quota bound of a sweep: how fast a sweep can remediate when every Secrets Manager call waits
 * for a token of its quota bucket. Pure functions, unit-tested in `test/unit/bench/`.
 *
 * A token bucket refilled at `rate` per second that starts with `burst` tokens grants `n` requests
 * no sooner than `(n - burst) / rate` seconds after the first one. The sweep's calls fall into
 * several buckets, each refilled on its own; the slowest bucket binds.
 */

/** The calls a sweep makes on one quota bucket, and the rate it may make them at. */
export interface BucketLoad {
  /** The bucket's name (`list`, `rotation`, `write`, ...). */
  bucket: string;
  /** Requests the sweep makes on it. */
  calls: number;
  /** Requests per second allowed (the quota × the sweep's share). */
  rate: number;
  /** Tokens the client-side bucket holds when full (granted at once). */
  burst: number;
}

/** The least time, in seconds, `load.calls` requests take on their bucket. */
export const bucketSeconds = (load: BucketLoad): number =>
  load.rate > 0 ? Math.max(0, load.calls - load.burst) / load.rate : Number.POSITIVE_INFINITY;

/** The bucket that takes longest, and how long. Throws on an empty list. */
export const bindingBucket = (
  loads: readonly BucketLoad[]
): { load: BucketLoad; seconds: number } => {
  let best: { load: BucketLoad; seconds: number } | undefined;
  for (const load of loads) {
    const seconds = bucketSeconds(load);
    if (best === undefined || seconds > best.seconds) best = { load, seconds };
  }
  if (best === undefined) throw new RangeError('no bucket loads');
  return best;
};

/** The minimum calls per bucket of a sweep over `secrets` secrets with `stuck` of them stuck. */
export interface SweepShape {
  /** Secrets in the account. */
  secrets: number;
  /** Secrets stuck (AWSPENDING off AWSCURRENT, older than the grace), all with rotation enabled. */
  stuck: number;
  /** ListSecrets page size. */
  pageSize: number;
  /** UpdateSecretVersionStage calls per stuck secret: 1 for a discard, 2 for a promote. */
  labelMovesPerSecret: number;
}

/**
 * The fewest calls per quota bucket a sweep of `shape` can make: ListSecrets pages and one
 * ListSecretVersionIds per candidate (`list`), DescribeSecret before and after (`read`), one
 * CancelRotateSecret (`rotation`) and the label moves (`write`) per stuck secret.
 */
export const minimumSweepCalls = (shape: SweepShape): Record<string, number> => ({
  list: Math.max(1, Math.ceil(shape.secrets / shape.pageSize)) + shape.stuck,
  read: 2 * shape.stuck,
  rotation: shape.stuck,
  write: shape.labelMovesPerSecret * shape.stuck,
});
