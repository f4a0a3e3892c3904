/**
 * The set-up most integration files share: Secrets Manager (emulator or external endpoint),
 * DynamoDB (dynalite or external endpoint) with a fresh idempotency table, a fresh copy of the built
 * bundle loaded against them, and a counter of every AWS call.
 */
import type { Bundle } from './bundle.js';
import { loadBundle } from './bundle.js';
import { CallCounter } from './call-counter.js';
import type { DynamoDbTarget } from './dynamodb-target.js';
import { startDynamoDbTarget } from './dynamodb-target.js';
import type { SecretsManagerTarget } from './secrets-manager-target.js';
import { startSecretsManagerTarget } from './secrets-manager-target.js';

/** What a test file gets; the fields are set in `beforeAll`. */
export interface BundleAgainstAws {
  target: SecretsManagerTarget;
  dynamoDb: DynamoDbTarget;
  bundle: Bundle;
  counter: CallCounter;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start the targets and load the bundle with `env`
 * applied first (e.g. log level; a function of the target when a value needs its region), and
 * returns the handle the tests use.
 */
export const useBundleAgainstAws = (
  env: Record<string, string> | ((target: SecretsManagerTarget) => Record<string, string>) = {}
): BundleAgainstAws => {
  const aws = { counter: new CallCounter() } as BundleAgainstAws;
  beforeAll(async () => {
    aws.target = await startSecretsManagerTarget();
    aws.dynamoDb = await startDynamoDbTarget();
    process.env.IDEMPOTENCY_TABLE_NAME = aws.dynamoDb.tableName;
    Object.assign(process.env, typeof env === 'function' ? env(aws.target) : env);
    aws.bundle = loadBundle();
    aws.counter.start();
  });
  afterAll(async () => {
    aws.counter.stop();
    await aws.target?.stop();
    await aws.dynamoDb?.stop();
  });
  return aws;
};
