/**
 * The values of the fleet report: the request the `{"report": {...}}` trigger turns into, the
 * continuation a run cut short by the deadline hands to the next run, and the report. Plain JSON.
 */

/** How a secret with rotation configured stands, from its ListSecrets entry alone. */
export const RotationClass = {
  /** AWSPENDING on a version other than AWSCURRENT: a failed rotation left it (remediate it). */
  Stuck: 'stuck',
  /**
   * Managed by another service (`OwningService`, or a name like `rds!…`): its labels and rotation
   * belong to that service, so the remediator's commands refuse it; use that service's own command.
   */
  Managed: 'managed',
  /** Rotation on and the next rotation date in the past. */
  Overdue: 'overdue',
  /** A rotation function configured, rotation disabled (typically after a remediation). */
  Off: 'off',
  /** Rotation on but neither a `LastRotatedDate` nor a next date: it never rotated, nothing scheduled. */
  NeverRotated: 'never-rotated',
  /**
   * Rotation on, next date ahead (or none after a rotation). Includes a secret not yet rotated whose
   * next date is ahead, such as one just resumed (the cancel cleared `LastRotatedDate`): its first
   * success is pending.
   */
  Rotating: 'rotating',
} as const;
/** One of {@link RotationClass}. */
export type RotationClass = (typeof RotationClass)[keyof typeof RotationClass];

/**
 * The classes, worst first: the order of the lines, and the precedence when several apply, except
 * that `managed` wins over all (whatever its state, only the owning service can act on it).
 */
export const CLASS_ORDER = [
  RotationClass.Stuck,
  RotationClass.Managed,
  RotationClass.Overdue,
  RotationClass.Off,
  RotationClass.NeverRotated,
  RotationClass.Rotating,
] as const satisfies readonly RotationClass[];

/** Where a report cut short by the deadline stopped; the next run lists on from there. */
export interface ReportContinuation {
  /** The ListSecrets NextToken of the first page not yet read. */
  nextToken: string;
  /** Whether the report measures the pending version's age of stuck secrets. */
  includePendingAge: boolean;
  /** The counts of the earlier runs of this chain (the next run adds its own). */
  totals: ReportCounts;
  /** When the first run of this chain started (ISO 8601). */
  startedAt: string;
  /** How many runs of this chain came before (1 for the first continuation). */
  run: number;
}

/** A report request, as the trigger adapter validated it. */
export interface ReportRequest {
  /** Measure the age of each stuck secret's pending version (ListSecretVersionIds, stuck ones only). */
  includePendingAge?: boolean | undefined;
  /** The decoded continuation of an earlier run. */
  continuation?: ReportContinuation | undefined;
}

/** Secrets per class, and the listed secrets without rotation configured (not reported). */
export type ReportCounts = Record<RotationClass, number> & {
  /** Listed secrets with neither `RotationEnabled` true nor a `RotationLambdaARN`. */
  notConfigured: number;
};

/** One line per secret with rotation configured. */
export interface ReportLine {
  name: string;
  arn: string;
  class: RotationClass;
  /** ISO 8601, or null when absent. */
  lastRotated: string | null;
  /** ISO 8601, or null when absent. */
  nextRotation: string | null;
  /** Managed secrets only: the owning service (`rds`, `redshift`, …). */
  owningService?: string;
  /** Managed secrets only: the owning service's own command (or where to act) for its rotation. */
  next?: string;
  /** Stuck secrets with `includePendingAge` only: the pending version's creation and age. */
  pendingSince?: string | null;
  pendingAgeSeconds?: number | null;
}

/** The report of one run. */
export interface FleetReport {
  /** This run's counts. */
  counts: ReportCounts;
  /** The counts of the whole chain so far (equal to `counts` for a run that resumed nothing). */
  totals: ReportCounts;
  includePendingAge: boolean;
  /** Present when the run stopped before the end: pass it back as `{"report": {"continuation": …}}`. */
  continuation?: string;
  /** Which run of a chain this is (1 for a run that resumed nothing). */
  run: number;
  durationMs: number;
  /** Worst first (in {@link CLASS_ORDER}), then by name. */
  secrets: ReportLine[];
}

/** What the function returns for a report. */
export interface ReportResponse {
  report: FleetReport;
}
