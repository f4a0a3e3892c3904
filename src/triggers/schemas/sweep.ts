/**
 * The schema of the sweep command (../sweep.ts), loaded on the first sweep (or by the CLI).
 */

import * as z from 'zod/mini';
import { MAX_CONTINUATION_LENGTH } from '../../sweep/continuation.js';
import { text } from './mini.js';

const maxReason = () => z.maxLength(1024, { error: 'must be at most 1024 characters' });

/** The options of a sweep. */
export const sweepOptionsSchema = z.strictObject(
  {
    dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
    continuation: z.optional(
      text().check(
        z.minLength(1, { error: 'must not be empty' }),
        z.maxLength(MAX_CONTINUATION_LENGTH, {
          error: `must be at most ${MAX_CONTINUATION_LENGTH} characters`,
        })
      )
    ),
    reason: z.optional(text().check(maxReason())),
  },
  { error: 'must be a JSON object' }
);

/** The whole event: `sweep` is its only key. */
export const sweepEventSchema = z.strictObject(
  { sweep: sweepOptionsSchema },
  { error: 'must be a JSON object' }
);
