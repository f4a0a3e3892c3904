/**
 * Entry of the lazily loaded idempotency path: the DynamoDB client and the Powertools idempotency
 * utility load only when a remediation is about to write.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClientConfig } from '../clients.js';
import type { ApplyOnceFactory } from './apply-once.js';
import { createApplyOnce } from './apply-once.js';
import type { IdempotencySettings } from './settings.js';

/**
 * Creates the apply-once factory with a DynamoDB client from the SDK's standard configuration and
 * the retry and timeout settings of `dynamoDbClientConfig`.
 */
export const createDefaultApplyOnce = (settings: IdempotencySettings): ApplyOnceFactory =>
  createApplyOnce(settings, new DynamoDBClient(dynamoDbClientConfig()));
