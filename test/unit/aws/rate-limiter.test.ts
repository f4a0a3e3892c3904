import type { LimiterClock } from '../../../src/aws/rate-limiter.js';
import {
  bucketOf,
  burstOf,
  QuotaRateLimiter,
  ratesAtShare,
  TokenBucket,
} from '../../../src/aws/rate-limiter.js';

/** A clock that moves only when the test says so; sleepers wake when their time has come. */
class ManualClock implements LimiterClock {
  #now = 0;
  #sleepers: { until: number; wake: () => void }[] = [];

  public now(): number {
    return this.#now;
  }

  public sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#sleepers.push({ until: this.#now + ms, wake: resolve });
    });
  }

  /** Moves the clock to `until` in 1 ms steps, letting woken waiters run at each step. */
  public async advanceTo(until: number): Promise<void> {
    while (this.#now < until) {
      this.#now += 1;
      const due = this.#sleepers.filter((sleeper) => sleeper.until <= this.#now);
      this.#sleepers = this.#sleepers.filter((sleeper) => sleeper.until > this.#now);
      for (const sleeper of due) sleeper.wake();
      await flush();
    }
  }
}

/** Lets every pending promise callback run (a macrotask turn drains the microtask queue). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Starts `count` acquisitions and records the clock time each was granted at. */
const grantTimes = (clock: ManualClock, acquire: () => Promise<void>, count: number): number[] => {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    void acquire().then(() => {
      times.push(clock.now());
    });
  }
  return times;
};

describe('TokenBucket', () => {
  it.each([
    { rate: 10, capacity: 1, count: 4, expected: [0, 100, 200, 300] },
    { rate: 10, capacity: 2, count: 5, expected: [0, 0, 100, 200, 300] },
    { rate: 25, capacity: 2, count: 5, expected: [0, 0, 40, 80, 120] },
    // waits are whole milliseconds, rounded up: never early, at most 1 ms late per grant
    { rate: 3, capacity: 1, count: 3, expected: [0, 334, 668] },
  ] as const)(
    'rate $rate/s, burst $capacity: $count waiters are granted at $expected ms',
    async ({ rate, capacity, count, expected }) => {
      // Prepare
      const clock = new ManualClock();
      const bucket = new TokenBucket(rate, capacity, clock);

      // Act
      const times = grantTimes(clock, () => bucket.acquire(), count);
      await flush();
      await clock.advanceTo(1_000);

      // Assess
      expect(times).toEqual(expected);
      expect(bucket.waiting).toBe(0);
    }
  );

  it('with a burst of half its rate, still grants at most ⌊rate⌋ within any second', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, 5, clock);

    // Act
    const times = grantTimes(clock, () => bucket.acquire(), 16);
    await flush();
    await clock.advanceTo(2_000);

    // Assess: the burst of 5 and 5 more tokens fill the first second; the 11th waits for the
    // first grants to leave the window, and then requests go one at a time again
    expect(times).toEqual([
      0, 0, 0, 0, 0, 100, 200, 300, 400, 500, 1000, 1100, 1200, 1300, 1400, 1500,
    ]);
  });

  it('never grants more than ⌊rate⌋ within any 1,000 ms, nor burst + rate × t within t', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket(25, 5, clock);

    // Act
    const times = grantTimes(clock, () => bucket.acquire(), 100);
    await flush();
    await clock.advanceTo(5_000);

    // Assess
    expect(times).toHaveLength(100);
    for (const [index, start] of times.entries()) {
      const within = (ms: number) => times.slice(index).filter((time) => time < start + ms).length;
      expect(within(1_000)).toBeLessThanOrEqual(25);
      expect(within(200)).toBeLessThanOrEqual(5 + 25 * 0.2);
    }
  });

  it('holds ⌊rate⌋ per 1,000 ms for callers that come and go (8 workers, pauses of 5–59 ms)', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket(25, 5, clock);
    const grants: number[] = [];
    const worker = async (seed: number): Promise<void> => {
      let pause = seed;
      while (clock.now() < 5_000) {
        await bucket.acquire();
        grants.push(clock.now());
        pause = (pause * 7_919 + 13) % 55;
        await clock.sleep(5 + pause);
      }
    };

    // Act
    for (let seed = 0; seed < 8; seed += 1) void worker(seed);
    await flush();
    await clock.advanceTo(5_100);

    // Assess
    expect(grants.length).toBeGreaterThan(100);
    for (const [index, start] of grants.entries()) {
      expect(grants.slice(index).filter((time) => time < start + 1_000).length).toBeLessThanOrEqual(
        25
      );
    }
  });

  it('refills while idle, up to its capacity only', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, 2, clock);
    await clock.advanceTo(10_000);

    // Act
    const times = grantTimes(clock, () => bucket.acquire(), 3);
    await flush();
    await clock.advanceTo(10_200);

    // Assess
    expect(times).toEqual([10_000, 10_000, 10_100]);
  });

  it('serves waiters first come, first served', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, 1, clock);
    const order: string[] = [];

    // Act
    for (const name of ['a', 'b', 'c']) {
      void bucket.acquire().then(() => {
        order.push(name);
      });
    }
    await flush();
    await clock.advanceTo(300);

    // Assess
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it.each([
    [0, 1],
    [-1, 1],
    [10, 0.5],
  ])('refuses rate %d with capacity %d', (rate, capacity) => {
    // Act & Assess
    expect(() => new TokenBucket(rate, capacity, new ManualClock())).toThrow(RangeError);
  });
});

describe('bucketOf', () => {
  it.each([
    ['DescribeSecret', 'read'],
    ['DescribeSecretCommand', 'read'],
    ['RotateSecret', 'rotation'],
    ['CancelRotateSecretCommand', 'rotation'],
    ['UpdateSecretVersionStage', 'write'],
    ['UpdateSecret', 'write'],
    ['TagResource', 'tag'],
    ['ListSecrets', 'list'],
    ['ListSecretVersionIdsCommand', 'list'],
    ['GetRandomPassword', 'other'],
    ['CreateSecret', 'other'],
    ['constructor', 'other'],
  ] as const)('%s draws from %s', (operation, bucket) => {
    // Act & Assess
    expect(bucketOf(operation)).toBe(bucket);
  });
});

describe('ratesAtShare', () => {
  it.each([
    {
      share: 0.5,
      expected: {
        read: { rate: 5_000, burst: 1_000 },
        rotation: { rate: 25, burst: 5 },
        write: { rate: 25, burst: 5 },
        tag: { rate: 25, burst: 5 },
        list: { rate: 25, burst: 5 },
        lookup: { rate: 1, burst: 1 },
        other: { rate: 25, burst: 5 },
      },
    },
    {
      share: 1,
      expected: {
        read: { rate: 10_000, burst: 2_000 },
        rotation: { rate: 50, burst: 10 },
        write: { rate: 50, burst: 10 },
        tag: { rate: 50, burst: 10 },
        list: { rate: 50, burst: 10 },
        lookup: { rate: 2, burst: 1 },
        other: { rate: 50, burst: 10 },
      },
    },
    {
      share: 0.01,
      expected: {
        read: { rate: 100, burst: 20 },
        rotation: { rate: 0.5, burst: 1 },
        write: { rate: 0.5, burst: 1 },
        tag: { rate: 0.5, burst: 1 },
        list: { rate: 0.5, burst: 1 },
        lookup: { rate: 0.02, burst: 1 },
        other: { rate: 0.5, burst: 1 },
      },
    },
  ] as const)('share $share', ({ share, expected }) => {
    // Act & Assess
    expect(ratesAtShare(share)).toEqual(expected);
  });

  it.each([0, -0.5, 1.01, Number.NaN])('refuses share %d', (share) => {
    // Act & Assess
    expect(() => ratesAtShare(share)).toThrow(RangeError);
  });

  it.each([
    [0.5, 1],
    [5, 1],
    [9.9, 1],
    [25, 5],
    [5_000, 1_000],
  ])('burstOf(%d) is %d', (rate, burst) => {
    // Act & Assess
    expect(burstOf(rate)).toBe(burst);
  });
});

describe('QuotaRateLimiter', () => {
  it('keeps one bucket per quota: waiting on one never delays another', async () => {
    // Prepare
    const clock = new ManualClock();
    const limiter = new QuotaRateLimiter(0.5, clock);

    // Act
    const cancels = grantTimes(clock, () => limiter.acquire('CancelRotateSecret'), 7);
    const stages = grantTimes(clock, () => limiter.acquire('UpdateSecretVersionStage'), 7);
    const rotates = grantTimes(clock, () => limiter.acquire('RotateSecret'), 1);
    const describes = grantTimes(clock, () => limiter.acquire('DescribeSecret'), 3);
    await flush();
    await clock.advanceTo(1_000);

    // Assess: rotation holds CancelRotateSecret and RotateSecret (25/s, burst 5)
    expect(cancels).toEqual([0, 0, 0, 0, 0, 40, 80]);
    expect(rotates).toEqual([120]);
    expect(stages).toEqual([0, 0, 0, 0, 0, 40, 80]);
    expect(describes).toEqual([0, 0, 0]);
  });
});

describe('TokenBucket with a deadline', () => {
  /** Starts `count` acquisitions with `timeLeftMs` and records how each ended, and when. */
  const outcomes = (clock: ManualClock, bucket: TokenBucket, count: number, timeLeftMs: number) => {
    const ended: string[] = [];
    for (let i = 0; i < count; i += 1) {
      bucket.acquire(timeLeftMs).then(
        () => ended.push(`granted@${clock.now()}`),
        (error: Error) => ended.push(`${error.name}@${clock.now()}`)
      );
    }
    return ended;
  };

  it.each([
    // rate 10/s, burst 1: grants at 0, 100, 200, ... ms
    {
      timeLeftMs: 250,
      expected: ['granted@0', 'granted@100', 'granted@200', 'DeadlineReached@200'],
    },
    // a wait that would end past the deadline is refused when it would start, not at the deadline
    {
      timeLeftMs: 50,
      expected: ['granted@0', 'DeadlineReached@0', 'DeadlineReached@0', 'DeadlineReached@0'],
    },
  ])(
    'grants only what comes before the deadline, $timeLeftMs ms away, and refuses the rest when their wait would start',
    async ({ timeLeftMs, expected }) => {
      // Prepare
      const clock = new ManualClock();
      const bucket = new TokenBucket(10, 1, clock);

      // Act
      const ended = outcomes(clock, bucket, 4, timeLeftMs);
      await flush();
      await clock.advanceTo(1_000);

      // Assess
      expect(ended).toEqual(expected);
      expect(bucket.waiting).toBe(0);
    }
  );

  it.each([
    { name: 'has just passed', timeLeftMs: 0 },
    { name: 'is long past', timeLeftMs: -5_000 },
  ])(
    'when the deadline $name: takes the token that is there (no wait), refuses to wait for the next',
    async ({ timeLeftMs }) => {
      // Prepare
      const clock = new ManualClock();
      const bucket = new TokenBucket(10, 1, clock);

      // Act
      const ended = outcomes(clock, bucket, 2, timeLeftMs);
      await flush();

      // Assess
      expect(ended).toEqual(['granted@0', 'DeadlineReached@0']);
    }
  );

  it('SWEEP_QUOTA_SHARE=0.001: the list bucket (a token per 20 s) refuses the second page at once, 2 s before the deadline', async () => {
    // Prepare
    const clock = new ManualClock();
    const limiter = new QuotaRateLimiter(0.001, clock);
    const ended: string[] = [];

    // Act
    for (let i = 0; i < 2; i += 1) {
      limiter.acquire('ListSecrets', 2_000).then(
        () => ended.push(`granted@${clock.now()}`),
        (error: Error) => ended.push(`${error.name}@${clock.now()}`)
      );
    }
    await flush();

    // Assess
    expect(ended).toEqual(['granted@0', 'DeadlineReached@0']);
  });
});
