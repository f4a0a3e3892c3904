/**
 * The DynamoDB the idempotency tests run against: the endpoint in `AWS_ENDPOINT_URL_DYNAMODB` when
 * set, otherwise dynalite (an in-memory DynamoDB from npm) on a free loopback port. Each target
 * creates its own uniquely named table with the layout `template.yaml` declares.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** A running DynamoDB with one idempotency table. */
export interface DynamoDbTarget {
  external: boolean;
  tableName: string;
  client: DynamoDBClient;
  /** Every item in the table (for lock and record assertions). */
  items(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/** Starts dynalite (unless an endpoint is given) and creates a fresh idempotency table. */
export const startDynamoDbTarget = async (): Promise<DynamoDbTarget> => {
  let server: Server | undefined;
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB === undefined) {
    // dynalite ships no types; its factory returns a node:http server.
    const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;
    const started = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    server = started;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  }
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  const client = new DynamoDBClient({});
  const tableName = `rr-idempotency-${randomBytes(4).toString('hex')}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
  return {
    external: server === undefined,
    tableName,
    client,
    items: async () => (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? [],
    stop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
      if (server !== undefined) {
        await new Promise<void>((resolve) => server?.close(() => resolve()));
        delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      }
    },
  };
};
