/**
 * Statistics and formatting of the benchmark (`npm run bench`): pure functions, unit-tested in
 * `test/unit/bench/`.
 */

/** The summary of a set of samples (milliseconds, bytes, ...). */
export interface Summary {
  /** How many samples. */
  n: number;
  median: number;
  /** 90th percentile (nearest rank). */
  p90: number;
  min: number;
  max: number;
  mean: number;
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of `samples` by the nearest-rank method: the smallest sample
 * with at least p % of the samples at or below it. Throws on an empty list.
 */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
};

/** The median: the middle sample, or the mean of the two middle ones. Throws on an empty list. */
export const median = (samples: readonly number[]): number => {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Median, p90, min, max and mean of `samples`. Throws on an empty list. */
export const summarize = (samples: readonly number[]): Summary => {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  return {
    n: samples.length,
    median: median(samples),
    p90: percentile(samples, 90),
    min: Math.min(...samples),
    max: Math.max(...samples),
    mean: samples.reduce((sum, x) => sum + x, 0) / samples.length,
  };
};

/** `value` / `reference`, or `NaN` when the reference is not positive. */
export const ratio = (value: number, reference: number): number =>
  reference > 0 ? value / reference : Number.NaN;

/** Milliseconds with one decimal (`12.3 ms`); `n/a` for a non-finite number. */
export const formatMs = (ms: number): string =>
  Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a';

/** A ratio with two decimals and a times sign (`1.07×`); `n/a` for a non-finite number. */
export const formatRatio = (value: number): string =>
  Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';

/** A share as a whole percentage (`87 %`); `n/a` for a non-finite number. */
export const formatPercent = (share: number): string =>
  Number.isFinite(share) ? `${Math.round(share * 100)} %` : 'n/a';

/** Bytes with thousands separators and KiB/MiB (`2,561,839 B (2.44 MiB)`). */
export const formatBytes = (bytes: number): string => {
  const grouped = Math.round(bytes).toLocaleString('en-US');
  if (bytes >= 1024 * 1024) return `${grouped} B (${(bytes / 1024 / 1024).toFixed(2)} MiB)`;
  if (bytes >= 1024) return `${grouped} B (${(bytes / 1024).toFixed(1)} KiB)`;
  return `${grouped} B`;
};

/** Escapes the characters that would break a Markdown table cell. */
const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * A GitHub-flavoured Markdown table. `align` gives each column's alignment (default left); rows
 * shorter than the header are padded with empty cells.
 */
export const markdownTable = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = []
): string => {
  const separator = header.map((_, index) => (align[index] === 'right' ? '---:' : '---'));
  const line = (cells: readonly string[]): string =>
    `| ${header.map((_, index) => escapeCell(cells[index] ?? '')).join(' | ')} |`;
  return [line(header), `| ${separator.join(' | ')} |`, ...rows.map(line)].join('\n');
};

/**
 * Orders `rounds × variants` runs so that the variants alternate (round-robin): a slow phase of a
 * shared machine then falls on every variant alike instead of on one.
 */
export const interleave = <T>(variants: readonly T[], rounds: number): T[] => {
  const order: T[] = [];
  for (let round = 0; round < rounds; round += 1) order.push(...variants);
  return order;
};
