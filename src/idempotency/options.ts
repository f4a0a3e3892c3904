/**
 * The options of `createApplyOnce`, in a file of their own so that ./apply-once.ts and the
 * lazily required ./powertools.ts both import them without importing each other.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Options of `createApplyOnce` (./apply-once.ts). */
export interface ApplyOnceOptions {
  /** The DynamoDB client; default: one with the remediator's client settings, created on first use. */
  dynamoDb?: DynamoDBClient;
  /** Longest in-progress lock, for callers without a Lambda deadline (the CLI); default none. */
  maxLockMs?: number;
}
