/**
 * The sweep's own audit records, `sweep.started` and `sweep.completed`, beside the
 * `remediation.*` trail each remediation of the sweep writes. Redacted like every record: the
 * reason is masked, and no record carries a secret value or the raw event.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { TriggerName } from '../remediation/types.js';
import { maskCredentials } from './redact.js';

/** Audit record names of the sweep. */
export const SweepAuditEvent = {
  Started: 'sweep.started',
  Completed: 'sweep.completed',
} as const;

/** What `sweep.started` records. */
export interface SweepStartedFields {
  reason: string | undefined;
  dryRun: boolean;
  graceSeconds: number;
  quotaShare: number;
  concurrency: number;
  resumed: boolean;
  resumedPending: number;
  run: number;
  deadlineMarginMs: number;
}

/** What `sweep.completed` records besides the counters. */
export interface SweepCompletedFields {
  dryRun: boolean;
  continued: boolean;
  restartedListing: boolean;
  /** The listing's error (name and message), when it failed for good. */
  listingError: string | null;
  durationMs: number;
}

/** Writes the `sweep.*` records of one sweep run. */
export class SweepAuditTrail {
  readonly #logger: Logger;
  readonly #correlationId: string | null;

  public constructor(logger: Logger, correlationId: string | undefined) {
    this.#logger = logger;
    this.#correlationId = correlationId ?? null;
  }

  /** The sweep started (or resumed). */
  public started({ reason, ...fields }: SweepStartedFields): void {
    this.#logger.info('Sweep started', {
      audit: {
        event: SweepAuditEvent.Started,
        trigger: TriggerName.Sweep,
        correlationId: this.#correlationId,
        reason: reason === undefined ? null : maskCredentials(reason),
        ...fields,
      },
    });
  }

  /** The sweep ended: at error level when its listing failed. */
  public completed(counts: object, fields: SweepCompletedFields): void {
    this.#logger[fields.listingError === null ? 'info' : 'error']('Sweep completed', {
      audit: {
        event: SweepAuditEvent.Completed,
        trigger: TriggerName.Sweep,
        correlationId: this.#correlationId,
        dryRun: fields.dryRun,
        ...counts,
        continued: fields.continued,
        restartedListing: fields.restartedListing,
        listingError: fields.listingError,
        durationMs: fields.durationMs,
      },
    });
  }
}
