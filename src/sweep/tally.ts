/**
 * The sweep's counters, kept by a pure function: each thing that happens during a sweep is a
 * {@link SweepTallyEvent}, and {@link tally} returns the counters after it. No I/O, no clock.
 */
import type { SweepCounts, SweepResult } from './types.js';
import { SweepResultStatus } from './types.js';

/** Something a sweep counts. */
export type SweepTallyEvent =
  /** A ListSecrets page (or a continuation) gave candidates, and skipped stuck-looking others. */
  | { kind: 'listed'; candidates: number; skipped: number }
  /** A candidate, examined, was no longer stuck, or belongs to a rotation still running. */
  | { kind: 'examined'; outcome: 'cleared' | 'running' }
  /** A candidate, examined, was stuck: its remediation follows. */
  | { kind: 'stuck' }
  /** A stuck secret's outcome (or a failed examination). */
  | { kind: 'result'; result: SweepResult }
  /** An attempt answered with a throttling error. */
  | { kind: 'throttled' }
  /** The run ended with this many candidates not started. */
  | { kind: 'ended'; remaining: number };

const STATUS_COUNTER = {
  [SweepResultStatus.Remediated]: 'remediated',
  [SweepResultStatus.AlreadyClean]: 'alreadyClean',
  [SweepResultStatus.Planned]: 'planned',
  [SweepResultStatus.NeedsDecision]: 'needsDecision',
  [SweepResultStatus.Refused]: 'refused',
  [SweepResultStatus.InProgress]: 'inProgress',
  [SweepResultStatus.Failed]: 'failed',
  [SweepResultStatus.Deferred]: 'running',
} as const satisfies Record<SweepResultStatus, keyof SweepCounts>;

/** The counters of a sweep that has seen nothing. */
export const emptyCounts = (): SweepCounts => ({
  candidates: 0,
  stuck: 0,
  running: 0,
  cleared: 0,
  skipped: 0,
  remediated: 0,
  alreadyClean: 0,
  planned: 0,
  needsDecision: 0,
  refused: 0,
  inProgress: 0,
  failed: 0,
  remaining: 0,
  throttled: 0,
});

/** The counters after `event`. */
export const tally = (counts: SweepCounts, event: SweepTallyEvent): SweepCounts => {
  switch (event.kind) {
    case 'listed':
      return {
        ...counts,
        candidates: counts.candidates + event.candidates,
        skipped: counts.skipped + event.skipped,
      };
    case 'examined':
      return { ...counts, [event.outcome]: counts[event.outcome] + 1 };
    case 'stuck':
      return { ...counts, stuck: counts.stuck + 1 };
    case 'result': {
      const counter = STATUS_COUNTER[event.result.status];
      return { ...counts, [counter]: counts[counter] + 1 };
    }
    case 'throttled':
      return { ...counts, throttled: counts.throttled + 1 };
    case 'ended':
      return { ...counts, remaining: event.remaining };
  }
};

/** Compares two results by secret ARN (the report's order). */
export const byArn = (a: Pick<SweepResult, 'secretArn'>, b: Pick<SweepResult, 'secretArn'>) =>
  a.secretArn < b.secretArn ? -1 : a.secretArn > b.secretArn ? 1 : 0;
