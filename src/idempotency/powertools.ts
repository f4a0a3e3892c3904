/**
 * Applies a resolved decision at most once, with Powertools idempotency on DynamoDB.
 *
 * The key is the resolved decision (secret ARN, pending version, resolved action), not the event:
 * the same failure reaches us as an alarm, a RotationFailed event and an operator's call, and all
 * three must act once. The planned actions are validated against the stored record.
 */

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { AwsCallError, RemediationInProgressError } from '../errors.js';
import type { ApplyOnce, ResolvedDecision } from '../remediation/remediate.js';
import type { RemediationReport } from '../remediation/types.js';
import type { IdempotencySettings } from './settings.js';

/** Prefix of every idempotency key, shared by the Lambda and the CLI. */
export const IDEMPOTENCY_KEY_PREFIX = 'rotation-remediator#apply';

/** JMESPath of the key inside a {@link ResolvedDecision}. */
export const IDEMPOTENCY_KEY_PATH = '[secretArn, pendingVersionId, resolved]';

/** JMESPath of the payload validated against the stored record. */
export const IDEMPOTENCY_VALIDATION_PATH = 'actions';

/**
 * The context with a remaining time of at least 1 ms. Powertools sets no in-progress expiry when
 * the remaining time is 0, which is what a run past its deadline reads: its lock would then hold
 * for the record's whole TTL instead of expiring with the run.
 */
const withRemainingTimeFloor = (context: Context): Context => ({
  ...context,
  getRemainingTimeInMillis: () => Math.max(1, context.getRemainingTimeInMillis()),
});

/** An apply-once function bound to one Lambda invocation's context. */
export type ApplyOnceFactory = (context: Context | undefined) => ApplyOnce;

/**
 * Creates the apply-once wrapper. `dynamoDb` is the client (created once at module scope by the
 * caller); `context` is registered on every invocation so a timed-out run's lock expires with
 * its remaining time rather than the record's TTL.
 */
export const createApplyOnce = (
  settings: IdempotencySettings,
  dynamoDb: DynamoDBClient
): ApplyOnceFactory => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
    payloadValidationJmesPath: IDEMPOTENCY_VALIDATION_PATH,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: settings.expiresAfterSeconds,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: settings.tableName,
    awsSdkV3Client: dynamoDb,
  });
  const once = makeIdempotent(
    async (_decision: ResolvedDecision, run: () => Promise<RemediationReport>) => run(),
    { persistenceStore, config, dataIndexArgument: 0, keyPrefix: IDEMPOTENCY_KEY_PREFIX }
  );

  return (context) => async (decision, run) => {
    if (context !== undefined) config.registerLambdaContext(withRemainingTimeFloor(context));
    let ran = false;
    try {
      const report = await once(decision, async () => {
        ran = true;
        return run();
      });
      return ran ? report : { ...report, replayed: true };
    } catch (error) {
      switch ((error as Error | undefined)?.name) {
        case 'IdempotencyAlreadyInProgressError':
          throw new RemediationInProgressError(
            'Another invocation is remediating this failure right now; retry later to receive its result.',
            { cause: error }
          );
        case 'IdempotencyValidationError':
          throw new RemediationInProgressError(
            'This failure was already remediated with a different set of actions; re-read the secret before retrying.',
            { cause: error }
          );
        case 'IdempotencyPersistenceLayerError':
        case 'IdempotencyUnknownError':
        case 'IdempotencyInconsistentStateError':
        case 'IdempotencyKeyError':
          throw new AwsCallError(
            'The idempotency store (DynamoDB) failed; re-running re-reads the secret and continues from its state.',
            {
              cause: error,
            }
          );
        default:
          throw error;
      }
    }
  };
};
