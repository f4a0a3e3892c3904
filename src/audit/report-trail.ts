/**
 * The fleet report's audit record, `report.completed`: the counts of one run, whether it stopped at
 * its deadline, and how it went. No secret name or ARN goes into the record (the report has them).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { TriggerName } from '../remediation/types.js';

/** Audit record names of the fleet report. */
export const ReportAuditEvent = {
  Completed: 'report.completed',
} as const;

/** What `report.completed` records besides the counts. */
export interface ReportCompletedFields {
  correlationId: string | undefined;
  includePendingAge: boolean;
  run: number;
  continued: boolean;
  restartedListing: boolean;
  /** The listing's error (name and message) when it failed; null otherwise. */
  listingError: string | null;
  durationMs: number;
}

/** Writes `report.completed`: at error level when the listing failed. */
export const reportCompleted = (
  logger: Logger,
  counts: object,
  { correlationId, ...fields }: ReportCompletedFields
): void => {
  logger[fields.listingError === null ? 'info' : 'error']('Report completed', {
    audit: {
      event: ReportAuditEvent.Completed,
      trigger: TriggerName.Report,
      correlationId: correlationId ?? null,
      ...counts,
      ...fields,
    },
  });
};
