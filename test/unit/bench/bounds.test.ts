import { bindingBucket, bucketSeconds, minimumSweepCalls } from '../../../scripts/bench/bounds.js';

describe('bucketSeconds', () => {
  it.each([
    { calls: 110, rate: 25, burst: 2, expected: 4.32 },
    { calls: 100, rate: 25, burst: 2, expected: 3.92 },
    { calls: 1, rate: 25, burst: 2, expected: 0 },
    { calls: 200, rate: 5000, burst: 500, expected: 0 },
  ])('$calls calls at $rate/s with a burst of $burst take $expected s', (load) => {
    // Act
    const seconds = bucketSeconds({ bucket: 'b', ...load });

    // Assess
    expect(seconds).toBeCloseTo(load.expected, 10);
  });

  it('is infinite for a rate of 0', () => {
    // Act / Assess
    expect(bucketSeconds({ bucket: 'b', calls: 1, rate: 0, burst: 0 })).toBe(
      Number.POSITIVE_INFINITY
    );
  });
});

describe('bindingBucket', () => {
  it('picks the bucket that takes longest', () => {
    // Prepare
    const loads = [
      { bucket: 'rotation', calls: 100, rate: 25, burst: 2 },
      { bucket: 'list', calls: 110, rate: 25, burst: 2 },
      { bucket: 'write', calls: 100, rate: 25, burst: 2 },
    ];

    // Act
    const binding = bindingBucket(loads);

    // Assess
    expect(binding.load.bucket).toBe('list');
    expect(binding.seconds).toBeCloseTo(4.32, 10);
  });

  it('rejects an empty list', () => {
    // Act / Assess
    expect(() => bindingBucket([])).toThrow(RangeError);
  });
});

describe('minimumSweepCalls', () => {
  it('counts pages and one version listing per stuck secret, two reads, a cancel and the moves', () => {
    // Act
    const calls = minimumSweepCalls({
      secrets: 1_000,
      stuck: 100,
      pageSize: 100,
      labelMovesPerSecret: 1,
    });

    // Assess
    expect(calls).toEqual({ list: 110, read: 200, rotation: 100, write: 100 });
  });

  it('lists at least one page, and counts two moves per promote', () => {
    // Act
    const calls = minimumSweepCalls({
      secrets: 0,
      stuck: 0,
      pageSize: 100,
      labelMovesPerSecret: 2,
    });
    const promotes = minimumSweepCalls({
      secrets: 150,
      stuck: 3,
      pageSize: 100,
      labelMovesPerSecret: 2,
    });

    // Assess
    expect(calls.list).toBe(1);
    expect(promotes).toEqual({ list: 5, read: 6, rotation: 3, write: 6 });
  });
});
