/**
 * {@link ApplyOnce} on DynamoDB with Powertools idempotency. Loaded lazily by ./apply-once.ts, so
 * the DynamoDB client and the idempotency utility load only when a remediation is about to write.
 *
 * The key is the resolved decision (secret ARN, pending version, resolved action), not the event:
 * the same failure reaches us as an alarm, a RotationFailed event and an operator's call, and all
 * three must act once. The planned actions are validated against the stored record.
 */

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClientConfig } from '../aws/clients.js';
import type { ApplyOnce, ResolvedDecision } from '../remediation/remediate.js';
import type { RemediationReport } from '../remediation/types.js';
import type { IdempotencySettings } from '../settings.js';
import type { ApplyOnceOptions } from './options.js';

/** Prefix of every idempotency key, shared by the Lambda and the CLI. */
export const IDEMPOTENCY_KEY_PREFIX = 'rotation-remediator#apply';

/**
 * JMESPath of the key inside a {@link ResolvedDecision}. `versionId` is the pending version of a
 * remediation (the key is the same as when it was named `pendingVersionId`) and the current
 * version of a resume.
 */
export const IDEMPOTENCY_KEY_PATH = '[secretArn, versionId, resolved]';

/** JMESPath of the payload validated against the stored record. */
export const IDEMPOTENCY_VALIDATION_PATH = 'actions';

/**
 * What Powertools reads of a Lambda context: the time left, never less than 1 ms. Powertools sets
 * no in-progress expiry when the remaining time is 0, which is what a run past its deadline reads:
 * its lock would then hold for the record's whole TTL instead of expiring with the run.
 */
const deadlineContext = (remainingTimeMs: () => number): Context =>
  ({ getRemainingTimeInMillis: () => Math.max(1, remainingTimeMs()) }) as Context;

/** Where an in-progress lock ends: the caller's deadline, and at most `maxLockMs` from now. */
const lockDeadline = (
  remainingTimeMs: (() => number) | undefined,
  maxLockMs: number | undefined
): (() => number) | undefined => {
  if (maxLockMs === undefined) return remainingTimeMs;
  const until = Date.now() + maxLockMs;
  return () => Math.min(until - Date.now(), remainingTimeMs?.() ?? Number.POSITIVE_INFINITY);
};

/**
 * Creates the Powertools-backed {@link ApplyOnce} on the options' DynamoDB client (default: one
 * with the remediator's client settings). `maxLockMs` caps each in-progress lock for callers
 * without a Lambda deadline (the CLI). Required lazily by ./apply-once.ts, a use the unused-code
 * check does not see, hence the tag.
 *
 * @public
 */
export const createPowertoolsApplyOnce = (
  settings: IdempotencySettings,
  { dynamoDb = new DynamoDBClient(dynamoDbClientConfig()), maxLockMs }: ApplyOnceOptions
): ApplyOnce => {
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

  const run: ApplyOnce['run'] = async (decision, work, remainingTimeMs) => {
    const deadline = lockDeadline(remainingTimeMs, maxLockMs);
    if (deadline !== undefined) config.registerLambdaContext(deadlineContext(deadline));
    let ran = false;
    const report = await once(decision, async () => {
      ran = true;
      // stored as it would travel: plain JSON (DynamoDB's marshalling refuses undefined)
      return JSON.parse(JSON.stringify(await work())) as RemediationReport;
    });
    return ran ? report : { ...report, replayed: true };
  };
  return { run, ready: async () => {} };
};
