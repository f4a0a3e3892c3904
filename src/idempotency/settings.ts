/**
 * Idempotency settings, read at start-up without loading the idempotency utility or the DynamoDB
 * client (those load lazily, on the first remediation that writes).
 */
import { getBooleanFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { ConfigurationError } from '../errors.js';

/** Default lifetime of an idempotency record: one hour. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 3600;

/** Where and how long completed remediations are remembered. */
export interface IdempotencySettings {
  tableName: string;
  expiresAfterSeconds: number;
}

/**
 * Reads `IDEMPOTENCY_TABLE_NAME` (required) and `IDEMPOTENCY_TTL_SECONDS` (default 3600). Returns
 * `undefined` when Powertools' own `POWERTOOLS_IDEMPOTENCY_DISABLED` is set; otherwise a missing
 * table is a {@link ConfigurationError} that stops the start-up.
 */
export const loadIdempotencySettings = (
  env: NodeJS.ProcessEnv = process.env
): IdempotencySettings | undefined => {
  const disabled = getBooleanFromEnv({
    key: 'POWERTOOLS_IDEMPOTENCY_DISABLED',
    defaultValue: false,
    extendedParsing: true,
  });
  if (disabled) return undefined;
  const tableName = env.IDEMPOTENCY_TABLE_NAME?.trim();
  if (tableName === undefined || tableName === '') {
    throw new ConfigurationError(
      'IDEMPOTENCY_TABLE_NAME is required: it names the DynamoDB table that makes each remediation run once. Set POWERTOOLS_IDEMPOTENCY_DISABLED=true only for local experiments.'
    );
  }
  const rawTtl = env.IDEMPOTENCY_TTL_SECONDS?.trim();
  const expiresAfterSeconds =
    rawTtl === undefined || rawTtl === '' ? DEFAULT_IDEMPOTENCY_TTL_SECONDS : Number(rawTtl);
  if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < 60) {
    throw new ConfigurationError(
      'IDEMPOTENCY_TTL_SECONDS must be a whole number of seconds, at least 60.'
    );
  }
  return { tableName, expiresAfterSeconds };
};
