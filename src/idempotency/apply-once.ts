/**
 * Idempotency behind one name: {@link createApplyOnce} returns the core's {@link ApplyOnce} on the
 * idempotency table. The DynamoDB client and the Powertools idempotency utility load on first use
 * (or on `ready()`), so dry runs and read-only outcomes never load them: ./powertools.ts is
 * required lazily: in the Lambda build it is in another file (parts/aws.js), loaded on that
 * first call. The utility's errors become ours here, not in ./powertools.ts, so that file carries no
 * copy of src/errors.ts whose classes `instanceof` would not recognise.
 */
import { errorNameOf } from '../aws/sdk-errors.js';
import { AwsCallFailed, RemediationInProgress } from '../errors.js';
import type { ApplyOnce } from '../remediation/remediate.js';
import type { IdempotencySettings } from '../settings.js';
import type { ApplyOnceOptions } from './options.js';

/** The utility's errors as the remediator's: in progress or already done differently (409), store failed. */
const asRemediatorError = (error: unknown): unknown => {
  switch (errorNameOf(error)) {
    case 'IdempotencyAlreadyInProgressError':
      return new RemediationInProgress(
        'Another invocation is remediating this failure right now; retry later to receive its result.',
        { cause: error }
      );
    case 'IdempotencyValidationError':
      return new RemediationInProgress(
        'This failure was already remediated with a different set of actions; re-read the secret before retrying.',
        { cause: error }
      );
    case 'IdempotencyPersistenceLayerError':
    case 'IdempotencyUnknownError':
    case 'IdempotencyInconsistentStateError':
    case 'IdempotencyKeyError':
      return new AwsCallFailed(
        'The idempotency store (DynamoDB) failed; re-running re-reads the secret and continues from its state.',
        { cause: error }
      );
    default:
      return error;
  }
};

/** Applies each resolved decision at most once, recorded in the table of `settings`. */
export const createApplyOnce = (
  settings: IdempotencySettings,
  options: ApplyOnceOptions = {}
): ApplyOnce => {
  let loaded: ApplyOnce | undefined;
  const load = (): ApplyOnce => {
    if (loaded === undefined) {
      const powertools: typeof import('./powertools.js') = require('./powertools.js');
      loaded = powertools.createPowertoolsApplyOnce(settings, options);
    }
    return loaded;
  };
  return {
    run: async (decision, work, remainingTimeMs) => {
      try {
        return await load().run(decision, work, remainingTimeMs);
      } catch (error) {
        throw asRemediatorError(error);
      }
    },
    ready: async () => {
      load();
    },
  };
};
