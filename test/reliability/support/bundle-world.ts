/**
 * The built dist/handler.js against a Secrets Manager emulator and dynalite (behind a
 * fault-injecting proxy), for the reliability tests that go through the shipped bundle. The
 * environment the bundle reads at load time is set here and restored by `stop()`.
 */
import type {
  EmulatorOptions,
  SecretsManagerEmulator,
} from '../../../emulator/secrets-manager/index.js';
import { startSecretsManagerEmulator } from '../../../emulator/secrets-manager/index.js';
import type { Bundle } from '../../helpers/bundle.js';
import { lambdaContext, loadBundle } from '../../helpers/bundle.js';
import type { FaultyDynamoDb } from '../../helpers/faulty-dynamodb.js';
import { startFaultyDynamoDb } from '../../helpers/faulty-dynamodb.js';
import { loadSample, substituteSecret } from '../../helpers/samples.js';
import type { Dynalite } from './backends.js';
import { startDynalite } from './backends.js';
import type { IdempotencyItem, Outcome } from './world.js';
import {
  createIdempotencyTable,
  readItems,
  settle,
  TEST_CREDENTIALS,
  waitForLocksToExpire,
} from './world.js';

/** Variables the bundle reads at load time. */
const BUNDLE_ENVIRONMENT = [
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_ENDPOINT_URL_CLOUDTRAIL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'IDEMPOTENCY_TABLE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_IDEMPOTENCY_DISABLED',
] as const;

/** A running bundle world. */
export interface BundleWorld {
  emulator: SecretsManagerEmulator;
  /** The fault-injecting proxy the bundle's DynamoDB client goes through. */
  dynamo: FaultyDynamoDb;
  bundle: Bundle;
  /** Invokes the bundle with a fresh context named `requestId`. */
  invoke(event: unknown, requestId: string, remainingMs?: number): Promise<Outcome>;
  /** The last deadline of every context handed out so far. */
  latestDeadline(): number;
  /** Every idempotency record. */
  items(): Promise<IdempotencyItem[]>;
  /** Waits until no record holds an unexpired in-progress lock. */
  locksExpired(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the emulator and dynalite, points the environment at them, and loads the bundle. */
export const startBundleWorld = async (
  options: Pick<EmulatorOptions, 'quotas'> = {}
): Promise<BundleWorld> => {
  const saved = Object.fromEntries(BUNDLE_ENVIRONMENT.map((key) => [key, process.env[key]]));
  const emulator = await startSecretsManagerEmulator(options);
  const dynalite: Dynalite = await startDynalite();
  const dynamo = await startFaultyDynamoDb(dynalite.dynamoDbEndpoint);
  const tableName = await createIdempotencyTable(dynalite.dynamoDb);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.endpoint,
    AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: emulator.region,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    IDEMPOTENCY_TABLE_NAME: tableName,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  delete process.env.POWERTOOLS_IDEMPOTENCY_DISABLED;
  const bundle = loadBundle();
  let latestDeadline = 0;
  const items = () => readItems(dynalite.dynamoDb, tableName);
  return {
    emulator,
    dynamo,
    bundle,
    invoke: (event, requestId, remainingMs = 30_000) => {
      latestDeadline = Math.max(latestDeadline, Date.now() + remainingMs);
      return settle(bundle.handler(event, lambdaContext(remainingMs, requestId)));
    },
    latestDeadline: () => latestDeadline,
    items,
    locksExpired: () => waitForLocksToExpire(items),
    stop: async () => {
      await emulator.stop();
      await dynamo.stop();
      await dynalite.stop();
      for (const key of BUNDLE_ENVIRONMENT) {
        const value = saved[key];
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
};

/** A sample event about `secret`, with its own event id (the correlation id of EventBridge events). */
export const sampleFor = (
  file: string,
  secret: { name: string; arn: string },
  eventId: string
): Record<string, unknown> => {
  const event = substituteSecret(loadSample(file), secret);
  return 'id' in event ? { ...event, id: eventId } : event;
};
