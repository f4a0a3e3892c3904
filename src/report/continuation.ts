/**
 * The report's continuation: a sealed continuation of kind `report` (src/aws/continuation.ts, the
 * sweep's format), so a sweep's token is never taken for a report's nor the reverse. The digest
 * catches truncation, corruption and casual edits; it is not a signature, and nothing relies on it
 * for safety: a report only reads.
 */
import * as z from 'zod/mini';
import { sealedContinuation } from '../aws/continuation.js';
import type { ReportContinuation } from './types.js';

/** Longest continuation string accepted. */
export const MAX_REPORT_CONTINUATION_LENGTH = 8_192;

const count = z.int().check(z.minimum(0), z.maximum(100_000_000));

const fieldsSchema = z.strictObject({
  t: z.string().check(z.minLength(1), z.maxLength(4096)),
  a: z.boolean(),
  c: z.strictObject({
    stuck: count,
    // absent in a continuation issued before the class existed
    managed: z._default(count, 0),
    overdue: count,
    off: count,
    'never-rotated': count,
    rotating: count,
    notConfigured: count,
  }),
  s: z.iso.datetime(),
  r: z.int().check(z.minimum(1), z.maximum(1_000_000)),
});

const sealed = sealedContinuation({
  kind: 'report',
  version: 1,
  maxLength: MAX_REPORT_CONTINUATION_LENGTH,
  fields: fieldsSchema,
  invalidMessage:
    'Invalid request: report.continuation: is not a report continuation this function issued (corrupted or altered); start a new report without it.',
});

/** Encodes a report continuation into its opaque string. */
export const encodeReportContinuation = (continuation: ReportContinuation): string =>
  sealed.seal({
    t: continuation.nextToken,
    a: continuation.includePendingAge,
    c: continuation.totals,
    s: continuation.startedAt,
    r: continuation.run,
  });

/**
 * Decodes a continuation string; anything {@link encodeReportContinuation} did not write (a
 * sweep's token included) is a ValidationError whose message never echoes the input.
 */
export const decodeReportContinuation = (text: string): ReportContinuation => {
  const { t, a, c, s, r } = sealed.open(text);
  return { nextToken: t, includePendingAge: a, totals: c, startedAt: s, run: r };
};
