/**
 * The schema of the report command (../report.ts), loaded on the first report (or by the CLI).
 */

import * as z from 'zod/mini';
import { MAX_REPORT_CONTINUATION_LENGTH } from '../../report/continuation.js';
import { text } from './mini.js';

/** The options of a report. */
export const reportOptionsSchema = z.strictObject(
  {
    includePendingAge: z.optional(z.boolean({ error: 'must be true or false' })),
    continuation: z.optional(
      text().check(
        z.minLength(1, { error: 'must not be empty' }),
        z.maxLength(MAX_REPORT_CONTINUATION_LENGTH, {
          error: `must be at most ${MAX_REPORT_CONTINUATION_LENGTH} characters`,
        })
      )
    ),
  },
  { error: 'must be a JSON object' }
);

/** The whole event: `report` is its only key. */
export const reportEventSchema = z.strictObject(
  { report: reportOptionsSchema },
  { error: 'must be a JSON object' }
);
