/**
 * The figures each reliability test file reports, written as one JSON file per test file into the
 * directory the global setup created (test files run in separate workers, so counters cannot stay
 * in memory). The global teardown sums them into the final table.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Environment variable naming the directory of the counter files. */
export const REPORT_DIR_VARIABLE = 'RELIABILITY_REPORT_DIR';

/** The directory of the counter files (a fixed temp folder when the global setup did not run). */
export const reportDir = (): string =>
  process.env[REPORT_DIR_VARIABLE] ?? join(tmpdir(), 'rotation-remediator-reliability');

/** Figures of one test file; every field is optional except the two that must be 0. */
export interface ReliabilityCounters {
  /** Fault-matrix cases (call × fault × once/persistent) run, and how many held every invariant. */
  faults?: { injected: number; survived: number; callsFaulted: number };
  /** Races run, by outcome (`refused`, `remediated`, `VerificationFailed → already-clean`...). */
  races?: { run: number; outcomes: Record<string, number> };
  /** Runs that outlived their Lambda deadline, and how many of their retries completed. */
  timeouts?: { run: number; completed: number };
  /** Concurrent invocations, duplicates suppressed (by outcome), 409s retried, throttles absorbed. */
  load?: {
    invocations: number;
    secrets: number;
    duplicatesSuppressed: number;
    /** How the suppressed duplicates ended: `RemediationInProgress`, `remediated (replayed)`... */
    suppressedBy: Record<string, number>;
    retried: number;
    /** 409s whose retry ended in a report. */
    retriesSucceeded: number;
    throttlesAbsorbed: number;
    throttlingEscaped: number;
  };
  /** Hostile inputs tried, per trigger adapter. */
  hostile?: { tried: number; byAdapter: Record<string, number> };
  /** Secrets left in a state other than the correct one. Must be 0. */
  wrongStates: number;
  /** Idempotency locks left past their in-progress expiry. Must be 0. */
  stuckLocks: number;
}

/** Writes the counters of one test file (`name` is the file's short name). */
export const writeCounters = (name: string, counters: ReliabilityCounters): void => {
  const dir = reportDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(counters, null, 2)}\n`);
};

/** Reads every counter file of the run, by file name. */
export const readCounters = (dir: string = reportDir()): Record<string, ReliabilityCounters> => {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch {
    return {};
  }
  return Object.fromEntries(
    files
      .sort()
      .map((file) => [
        file.replace(/\.json$/, ''),
        JSON.parse(readFileSync(join(dir, file), 'utf8')) as ReliabilityCounters,
      ])
  );
};
