/**
 * The sweep command `{"sweep": {"dryRun"?, "continuation"?, "reason"?}}`: sent by the scheduled EventBridge
 * rule (constant input), by the CLI, or by hand with a continuation from an earlier run. Strictly
 * checked: unknown keys at either level are rejected, and the continuation is decoded and verified
 * here, before any AWS call. The schema (./schemas/sweep.ts) loads on the first sweep.
 */
import { ValidationError } from '../errors.js';
import type { RunScope } from '../identifiers.js';
import { contradictsScope, runScopeOf, scopeOfArn } from '../identifiers.js';
import { TriggerName } from '../remediation/types.js';
import type { SweepContinuation, SweepRequest } from '../sweep/types.js';
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

const refused = (why: string): ValidationError =>
  new ValidationError(`Invalid request: sweep.continuation: ${why}`);

/**
 * Checks a decoded continuation against the request that carries it: a continuation is a position,
 * never a permission. The request states `dryRun` and the token must agree; a token (or a pending
 * secret in it) naming another account or region than this run's is refused.
 */
const checkContinuation = (
  continuation: SweepContinuation,
  dryRun: boolean | undefined,
  scope: RunScope
): void => {
  if (dryRun === undefined) {
    throw refused(
      'needs sweep.dryRun stated with it (true or false, as the run that issued it); a continuation never decides it.'
    );
  }
  if (dryRun !== continuation.dryRun) {
    throw refused(
      `was issued by a ${continuation.dryRun ? 'dry run' : 'live run'} and this request is a ${dryRun ? 'dry run' : 'live run'}; start a new sweep instead.`
    );
  }
  const named = [continuation.scope ?? {}, ...continuation.pending.map(scopeOfArn)];
  if (named.some((part) => contradictsScope(part, scope))) {
    throw refused('names another account or region than this function; start a new sweep.');
  }
};

/**
 * Parses a sweep event into a {@link SweepRequest}; throws a ValidationError naming the fields
 * (never echoing values) for a malformed event, a continuation this function did not issue, or one
 * that disagrees with the request or with `scope` (where this run acts). All before any AWS call.
 */
export const parseSweepEvent = (event: unknown, scope: RunScope = {}): SweepRequest => {
  const { sweepEventSchema, decodeContinuation } = sweepModules();
  const { sweep } = parseOrThrow(sweepEventSchema, event);
  const continuation =
    sweep.continuation === undefined ? undefined : decodeContinuation(sweep.continuation);
  if (continuation !== undefined) checkContinuation(continuation, sweep.dryRun, scope);
  const known = scope.account !== undefined || scope.region !== undefined;
  return { dryRun: sweep.dryRun, reason: sweep.reason, continuation, ...(known ? { scope } : {}) };
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
    sweep: parseSweepEvent(event, runScopeOf(context?.invokedFunctionArn, undefined)),
    correlationId: context?.awsRequestId,
  }),
  ...passThroughResponses,
};
