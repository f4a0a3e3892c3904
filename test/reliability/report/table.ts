/**
 * Renders the one reliability table from the counters of every test file.
 */
import type { ReliabilityCounters } from './counters.js';

const NOT_RUN = 'not run';

const sum = (values: readonly number[]): number =>
  values.reduce((total, value) => total + value, 0);

const mergeCounts = (maps: readonly Record<string, number>[]): Record<string, number> => {
  const merged: Record<string, number> = {};
  for (const map of maps) {
    for (const [key, value] of Object.entries(map)) merged[key] = (merged[key] ?? 0) + value;
  }
  return merged;
};

const describeCounts = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');

/** The rows of the table: a figure and its value. */
export const tableRows = (
  byFile: Record<string, ReliabilityCounters>
): readonly (readonly [string, string])[] => {
  const files = Object.values(byFile);
  const faults = files.flatMap((c) => (c.faults === undefined ? [] : [c.faults]));
  const races = files.flatMap((c) => (c.races === undefined ? [] : [c.races]));
  const timeouts = files.flatMap((c) => (c.timeouts === undefined ? [] : [c.timeouts]));
  const load = files.flatMap((c) => (c.load === undefined ? [] : [c.load]));
  const hostile = files.flatMap((c) => (c.hostile === undefined ? [] : [c.hostile]));
  return [
    [
      'faults injected / survived',
      faults.length === 0
        ? NOT_RUN
        : `${sum(faults.map((f) => f.injected))} / ${sum(faults.map((f) => f.survived))} (every call × fault × once|persistent; ${sum(faults.map((f) => f.callsFaulted))} calls hit)`,
    ],
    [
      'races run: outcomes',
      races.length === 0
        ? NOT_RUN
        : `${sum(races.map((r) => r.run))}: ${describeCounts(mergeCounts(races.map((r) => r.outcomes)))}`,
    ],
    [
      'runs past their deadline: retries completed',
      timeouts.length === 0
        ? NOT_RUN
        : `${sum(timeouts.map((t) => t.run))}: ${sum(timeouts.map((t) => t.completed))}`,
    ],
    [
      'invocations under load',
      load.length === 0
        ? NOT_RUN
        : `${sum(load.map((l) => l.invocations))} at once on ${sum(load.map((l) => l.secrets))} secrets, quotas on`,
    ],
    [
      'duplicates suppressed',
      load.length === 0
        ? NOT_RUN
        : `${sum(load.map((l) => l.duplicatesSuppressed))} (${describeCounts(mergeCounts(load.map((l) => l.suppressedBy)))}); ${sum(load.map((l) => l.retried))} 409s retried, ${sum(load.map((l) => l.retriesSucceeded))} then succeeded`,
    ],
    [
      'throttles absorbed / escaped',
      load.length === 0
        ? NOT_RUN
        : `${sum(load.map((l) => l.throttlesAbsorbed))} / ${sum(load.map((l) => l.throttlingEscaped))}`,
    ],
    [
      'hostile inputs tried',
      hostile.length === 0
        ? NOT_RUN
        : `${sum(hostile.map((h) => h.tried))} (${describeCounts(mergeCounts(hostile.map((h) => h.byAdapter)))})`,
    ],
    ['secrets left in a wrong state', String(sum(files.map((c) => c.wrongStates)))],
    ['locks left stuck', String(sum(files.map((c) => c.stuckLocks)))],
  ];
};

/** The table as text, one row per figure. */
export const renderTable = (byFile: Record<string, ReliabilityCounters>): string => {
  const rows = tableRows(byFile);
  const left = Math.max(...rows.map(([figure]) => figure.length));
  const right = Math.max(...rows.map(([, value]) => value.length));
  const rule = `+${'-'.repeat(left + 2)}+${'-'.repeat(right + 2)}+`;
  const line = ([figure, value]: readonly [string, string]): string =>
    `| ${figure.padEnd(left)} | ${value.padEnd(right)} |`;
  return [
    'Reliability report (test/reliability)',
    rule,
    line(['figure', 'value']),
    rule,
    ...rows.map(line),
    rule,
  ].join('\n');
};
