/**
 * The sweep command `{"sweep": {"dryRun"?, "continuation"?, "reason"?}}`: sent by the scheduled EventBridge
 * rule (constant input), by the CLI, or by hand with a continuation from an earlier run. Strictly
 * checked: unknown keys at either level are rejected, and the continuation is decoded and verified
 * here, before any AWS call.
 */
import { z } from 'zod';
import { TriggerName } from '../remediation/types.js';
import { decodeContinuation, MAX_CONTINUATION_LENGTH } from '../sweep/continuation.js';
import type { SweepRequest } from '../sweep/types.js';
import { parseOrThrow } from './command-schema.js';
import type { TriggerAdapter } from './types.js';
import { isRecord, passThroughResponses } from './types.js';

/** The options of a sweep. */
export const sweepOptionsSchema = z.strictObject(
  {
    dryRun: z.boolean({ error: 'must be true or false' }).optional(),
    continuation: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(MAX_CONTINUATION_LENGTH, {
        error: `must be at most ${MAX_CONTINUATION_LENGTH} characters`,
      })
      .optional(),
    reason: z
      .string({ error: 'must be a string' })
      .max(1024, { error: 'must be at most 1024 characters' })
      .optional(),
  },
  { error: 'must be a JSON object' }
);

/** The whole event: `sweep` is its only key. */
export const sweepEventSchema = z.strictObject(
  { sweep: sweepOptionsSchema },
  { error: 'must be a JSON object' }
);

/**
 * Parses a sweep event into a {@link SweepRequest}; throws a ValidationError naming the fields
 * (never echoing values) for a malformed event or a continuation this function did not issue.
 */
export const parseSweepEvent = (event: unknown): SweepRequest => {
  const { sweep } = parseOrThrow(sweepEventSchema, event);
  return {
    dryRun: sweep.dryRun,
    reason: sweep.reason,
    continuation:
      sweep.continuation === undefined ? undefined : decodeContinuation(sweep.continuation),
  };
};

/**
 * Keys that belong to the other triggers' shapes; an event carrying one is never a sweep, so
 * detection stays mutually exclusive (`secretId`: direct command; `source`: EventBridge and alarm
 * actions; `requestContext`: HTTP).
 */
const FOREIGN_KEYS = ['secretId', 'source', 'requestContext'] as const;

/** Adapter for the sweep command. */
export const sweepTrigger: TriggerAdapter = {
  name: TriggerName.Sweep,
  matches: (event) =>
    isRecord(event) && 'sweep' in event && FOREIGN_KEYS.every((key) => !(key in event)),
  toCommand: (event, context) => ({
    kind: 'sweep',
    sweep: parseSweepEvent(event),
    correlationId: context?.awsRequestId,
  }),
  ...passThroughResponses,
};
