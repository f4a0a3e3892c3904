/**
 * Idempotency behind one name: {@link createApplyOnce} returns the core's {@link ApplyOnce} on the
 * idempotency table. The DynamoDB client and the Powertools idempotency utility load on first use
 * (or on `ready()`), so dry runs and read-only outcomes never load them: ./powertools.ts is
 * required lazily, which esbuild bundles as a module initialised on that first call.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ApplyOnce } from '../remediation/remediate.js';
import type { IdempotencySettings } from '../settings.js';

/** Options of {@link createApplyOnce}. */
export interface ApplyOnceOptions {
  /** The DynamoDB client; default: one with the remediator's client settings, created on first use. */
  dynamoDb?: DynamoDBClient;
  /** Longest in-progress lock, for callers without a Lambda deadline (the CLI); default none. */
  maxLockMs?: number;
}

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
    run: (decision, work, remainingTimeMs) => load().run(decision, work, remainingTimeMs),
    ready: async () => {
      load();
    },
  };
};
