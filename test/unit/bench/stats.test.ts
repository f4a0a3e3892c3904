import {
  formatBytes,
  formatMs,
  formatPercent,
  formatRatio,
  interleave,
  markdownTable,
  median,
  percentile,
  ratio,
  summarize,
} from '../../../scripts/bench/stats.js';

describe('percentile (nearest rank)', () => {
  it.each([
    { samples: [5], p: 90, expected: 5 },
    { samples: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 90, expected: 9 },
    { samples: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p: 90, expected: 9 },
    { samples: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], p: 90, expected: 10 },
    { samples: [3, 1, 2], p: 50, expected: 2 },
    { samples: [3, 1, 2], p: 100, expected: 3 },
  ])('p$p of $samples is $expected', ({ samples, p, expected }) => {
    // Act
    const value = percentile(samples, p);

    // Assess
    expect(value).toBe(expected);
  });

  it('rejects no samples and a percentile outside (0, 100]', () => {
    // Act / Assess
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('median', () => {
  it.each([
    { samples: [7], expected: 7 },
    { samples: [3, 1, 2], expected: 2 },
    { samples: [4, 1, 3, 2], expected: 2.5 },
  ])('of $samples is $expected', ({ samples, expected }) => {
    // Act / Assess
    expect(median(samples)).toBe(expected);
  });

  it('does not reorder the caller’s array', () => {
    // Prepare
    const samples = [3, 1, 2];

    // Act
    median(samples);

    // Assess
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('gives n, median, p90, min, max and mean', () => {
    // Act
    const summary = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // Assess
    expect(summary).toEqual({ n: 10, median: 5.5, p90: 9, min: 1, max: 10, mean: 5.5 });
  });

  it('rejects no samples', () => {
    // Act / Assess
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('ratio and formatting', () => {
  it('divides, and gives NaN for a reference that is not positive', () => {
    // Act / Assess
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(3, -1)).toBeNaN();
  });

  it.each([
    { text: formatMs(12.345), expected: '12.3 ms' },
    { text: formatMs(Number.NaN), expected: 'n/a' },
    { text: formatRatio(1.074), expected: '1.07×' },
    { text: formatRatio(Number.POSITIVE_INFINITY), expected: 'n/a' },
    { text: formatPercent(0.874), expected: '87 %' },
    { text: formatBytes(512), expected: '512 B' },
    { text: formatBytes(2048), expected: '2,048 B (2.0 KiB)' },
    { text: formatBytes(2_561_839), expected: '2,561,839 B (2.44 MiB)' },
  ])('formats as $expected', ({ text, expected }) => {
    // Assess
    expect(text).toBe(expected);
  });
});

describe('markdownTable', () => {
  it('renders a header, an aligned separator and padded, escaped rows', () => {
    // Act
    const table = markdownTable(['name', 'ms'], [['a|b', '1.0'], ['c']], ['left', 'right']);

    // Assess
    expect(table).toBe(
      ['| name | ms |', '| --- | ---: |', '| a\\|b | 1.0 |', '| c |  |'].join('\n')
    );
  });
});

describe('interleave', () => {
  it('repeats the variants round-robin', () => {
    // Act / Assess
    expect(interleave(['a', 'b', 'c'], 2)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(interleave(['a'], 0)).toEqual([]);
  });
});
