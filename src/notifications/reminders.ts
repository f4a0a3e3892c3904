/**
 * One announcement per held decision, then one reminder per interval: a needs-decision outcome is
 * recorded per pending version in the idempotency table (its own key prefix, next to the
 * Powertools records, expiring with the table's TTL attribute), and the same Needs Decision is
 * announced again only once `DECISION_REMINDER_SECONDS` have passed since the last announcement.
 * The record is claimed with a conditional update, so two sweeps at once announce once. The DynamoDB
 * client is required on the first claim only.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClientConfig } from '../aws/clients.js';
import { errorNameOf } from '../aws/sdk-errors.js';

/** Prefix of every decision record's key (the idempotency records use `rotation-remediator#apply`). */
export const DECISION_KEY_PREFIX = 'rotation-remediator#decision';

/** How long a decision record is kept after its last announcement: 30 days. */
export const DECISION_RECORD_DAYS = 30;

/** The held decision: the secret and the pending version it waits on. */
export interface HeldDecision {
  secretArn: string;
  pendingVersionId: string;
}

/** A reminder: when the decision was first announced, and how long it has waited since. */
export interface Reminder {
  firstAnnouncedAt: string;
  waitingSeconds: number;
}

/** Whether to announce now; a reminder says how long the decision has waited. */
export type Announcement = { announce: true; reminder: Reminder | null } | { announce: false };

/** Records held decisions and says when to announce them. */
export interface DecisionLedger {
  /** Claims the announcement of `held` at `nowMs`; rejects when the table cannot be read. */
  claim(held: HeldDecision, nowMs: number): Promise<Announcement>;
}

/** The key of a held decision's record. */
export const decisionKey = (held: HeldDecision): string =>
  `${DECISION_KEY_PREFIX}#${held.secretArn}#${held.pendingVersionId}`;

/** A ledger on the DynamoDB table `tableName` (partition key `id`, TTL attribute `expiration`). */
export const createDecisionLedger = (
  tableName: string,
  reminderSeconds: number,
  client?: DynamoDBClient
): DecisionLedger => {
  let loaded: typeof import('@aws-sdk/client-dynamodb') | undefined;
  let dynamoDb = client;
  return {
    claim: async (held, nowMs) => {
      loaded ??= require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
      dynamoDb ??= new loaded.DynamoDBClient(dynamoDbClientConfig());
      const now = Math.floor(nowMs / 1000);
      try {
        const { Attributes } = await dynamoDb.send(
          new loaded.UpdateItemCommand({
            TableName: tableName,
            Key: { id: { S: decisionKey(held) } },
            UpdateExpression:
              'SET firstAnnouncedAt = if_not_exists(firstAnnouncedAt, :now), lastAnnouncedAt = :now, expiration = :expiration',
            ConditionExpression: 'attribute_not_exists(id) OR lastAnnouncedAt <= :due',
            ExpressionAttributeValues: {
              ':now': { N: String(now) },
              ':due': { N: String(now - reminderSeconds) },
              ':expiration': { N: String(now + DECISION_RECORD_DAYS * 86_400) },
            },
            ReturnValues: 'ALL_OLD',
          })
        );
        const first = Attributes?.firstAnnouncedAt?.N;
        if (first === undefined) return { announce: true, reminder: null };
        return {
          announce: true,
          reminder: {
            firstAnnouncedAt: new Date(Number(first) * 1000).toISOString(),
            waitingSeconds: now - Number(first),
          },
        };
      } catch (error) {
        if (errorNameOf(error) === 'ConditionalCheckFailedException') return { announce: false };
        throw error;
      }
    },
  };
};
