/**
 * The sweep command `{"sweep": {"dryRun"?, "continuation"?, "reason"?}}`: sent by the scheduled EventBridge
 * rule (constant input), by the CLI, or by hand with a continuation from an earlier run. Strictly
 * checked: unknown keys at either level are rejected, and the continuation is decoded and verified
 * here, before any AWS call. The schema (./schemas/sweep.ts) loads on the first sweep.
 */
import { TriggerName } from '../remediation/types.js';
import type { SweepRequest } from '../sweep/types.js';
import type * as SweepSchemas from './schemas/sweep.js';
import type { TriggerAdapter } from './types.js';
import { isRecord, passThroughResponses } from './types.js';
import { once, parseOrThrow } from './validation.js';

/**
 * The sweep's schema and the continuation's decoder, loaded on the first sweep: the decoder's
 * module (src/sweep/continuation.ts) is the sweep's own, and the sweep path loads it anyway.
 */
const sweepModules = once(() => {
  const schemas: typeof SweepSchemas = require('./schemas/sweep.js');
  const continuation: typeof import('../sweep/continuation.js') = require('../sweep/continuation.js');
  return {
    sweepEventSchema: schemas.sweepEventSchema,
    decodeContinuation: continuation.decodeContinuation,
  };
});

/**
 * Parses a sweep event into a {@link SweepRequest}; throws a ValidationError naming the fields
 * (never echoing values) for a malformed event or a continuation this function did not issue.
 */
export const parseSweepEvent = (event: unknown): SweepRequest => {
  const { sweepEventSchema, decodeContinuation } = sweepModules();
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
