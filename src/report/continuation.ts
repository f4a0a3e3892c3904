/**
 * The report's continuation: the sweep's format (`<base64url(JSON)>.<first 16 bytes of
 * SHA-256(JSON), base64url>`, the JSON carrying a format version and a kind), so a sweep's token is
 * never taken for a report's nor the reverse. The digest catches truncation, corruption and casual
 * edits; it is not a signature, and nothing relies on it for safety: a report only reads.
 */
import * as z from 'zod/mini';
import { openSealedJson, sealJson } from '../aws/sealed-json.js';
import { ValidationError } from '../errors.js';
import type { ReportContinuation } from './types.js';

/** Format version written into every report continuation. */
const VERSION = 1;

/** Longest continuation string accepted. */
export const MAX_REPORT_CONTINUATION_LENGTH = 8_192;

const count = z.int().check(z.minimum(0), z.maximum(100_000_000));

const payloadSchema = z.strictObject({
  v: z.literal(VERSION),
  k: z.literal('report'),
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

type Payload = z.infer<typeof payloadSchema>;

/** Encodes a report continuation into its opaque string. */
export const encodeReportContinuation = (continuation: ReportContinuation): string => {
  const payload: Payload = {
    v: VERSION,
    k: 'report',
    t: continuation.nextToken,
    a: continuation.includePendingAge,
    c: continuation.totals,
    s: continuation.startedAt,
    r: continuation.run,
  };
  return sealJson(payload);
};

const invalid = (): ValidationError =>
  new ValidationError(
    'Invalid request: report.continuation: is not a report continuation this function issued (corrupted or altered); start a new report without it.'
  );

/**
 * Decodes a continuation string; anything {@link encodeReportContinuation} did not write (a
 * sweep's token included) is a {@link ValidationError} whose message never echoes the input.
 */
export const decodeReportContinuation = (text: string): ReportContinuation => {
  const parsed = openSealedJson(text, MAX_REPORT_CONTINUATION_LENGTH);
  if (parsed === undefined) throw invalid();
  const result = z.safeParse(payloadSchema, parsed);
  if (!result.success) throw invalid();
  const { t, a, c, s, r } = result.data;
  return { nextToken: t, includePendingAge: a, totals: c, startedAt: s, run: r };
};
