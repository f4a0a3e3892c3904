/**
 * The fleet report command `{"report": {"includePendingAge"?, "continuation"?}}`: sent by hand, a
 * schedule or the CLI. Strictly checked: unknown keys at either level are rejected, and the
 * continuation is decoded and verified here, before any AWS call. The schema
 * (./schemas/report.ts) loads on the first report.
 */

import { TriggerName } from '../remediation/types.js';
import type { ReportRequest } from '../report/types.js';
import type * as ReportSchemas from './schemas/report.js';
import type { TriggerAdapter } from './types.js';
import { isRecord, passThroughResponses } from './types.js';
import { once, parseOrThrow } from './validation.js';

/** The report's schema and the continuation's decoder, loaded on the first report. */
const reportModules = once(() => {
  const schemas: typeof ReportSchemas = require('./schemas/report.js');
  const continuation: typeof import('../report/continuation.js') = require('../report/continuation.js');
  return {
    reportEventSchema: schemas.reportEventSchema,
    decodeReportContinuation: continuation.decodeReportContinuation,
  };
});

/**
 * Parses a report event into a {@link ReportRequest}; throws a ValidationError naming the fields
 * (never echoing values) for a malformed event or a continuation this function did not issue.
 */
export const parseReportEvent = (event: unknown): ReportRequest => {
  const { reportEventSchema, decodeReportContinuation } = reportModules();
  const { report } = parseOrThrow(reportEventSchema, event);
  return {
    includePendingAge: report.includePendingAge,
    continuation:
      report.continuation === undefined ? undefined : decodeReportContinuation(report.continuation),
  };
};

/**
 * Keys of the other triggers' shapes; an event carrying one is never a report, so detection stays
 * mutually exclusive (`secretId`, `resume`: direct commands; `source`: EventBridge and alarm
 * actions; `requestContext`: HTTP; `sweep`: the sweep claims an object with both keys).
 */
const FOREIGN_KEYS = ['secretId', 'resume', 'source', 'requestContext', 'sweep'] as const;

/** Adapter for the fleet report command. */
export const reportTrigger: TriggerAdapter = {
  name: TriggerName.Report,
  matches: (event) =>
    isRecord(event) && 'report' in event && FOREIGN_KEYS.every((key) => !(key in event)),
  toCommand: (event, context) => ({
    kind: 'report',
    report: parseReportEvent(event),
    correlationId: context?.awsRequestId,
  }),
  ...passThroughResponses,
};
