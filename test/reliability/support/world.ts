/**
 * One isolated world per reliability case: its own Secrets Manager emulator, its own idempotency
 * table behind its own fault-injecting DynamoDB proxy (on a shared dynalite), and the handler of
 * `src/handler.ts` wired with the real client factories of `src/aws/clients.ts`. Worlds share nothing
 * but dynalite and the log capture, so cases can run concurrently.
 */
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type {
  EmulatorOptions,
  SecretsManagerEmulator,
} from '../../../emulator/secrets-manager/index.js';
import { startSecretsManagerEmulator } from '../../../emulator/secrets-manager/index.js';
import type { Handler } from '../../../src/application/create-handler.js';
import { createHandler } from '../../../src/application/create-handler.js';
import { createMetrics } from '../../../src/audit/metrics.js';
import type { ClientSettings } from '../../../src/aws/clients.js';
import {
  createSecretsManagerClient,
  dynamoDbClientConfig,
  dynamoDbClientSettings,
  secretsManagerClientSettings,
} from '../../../src/aws/clients.js';
import { createApplyOnce } from '../../../src/idempotency/apply-once.js';
import type { RemediationReport } from '../../../src/remediation/types.js';
import { loadConfig, loadSweepConfig } from '../../../src/settings.js';
import { lambdaContext } from '../../helpers/bundle.js';
import type { FaultyDynamoDb } from '../../helpers/faulty-dynamodb.js';
import { startFaultyDynamoDb } from '../../helpers/faulty-dynamodb.js';
import { worldLogger } from './modules.js';

/** Dummy credentials: the emulator and dynalite check none. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** What an invocation ended in: a report, or a named error. */
export type Outcome =
  | { kind: 'report'; report: RemediationReport }
  | { kind: 'error'; name: string; message: string };

/** A 2xx (or refused 409) HTTP response is its report; any other its error code. */
const decodeHttpResponse = (value: unknown): Outcome | undefined => {
  const response = value as { statusCode?: unknown; body?: unknown } | null;
  if (typeof response?.statusCode !== 'number' || typeof response.body !== 'string') {
    return undefined;
  }
  const body = JSON.parse(response.body) as Record<string, unknown>;
  if ('status' in body) return { kind: 'report', report: body as unknown as RemediationReport };
  const error = (body.error ?? {}) as { code?: string; message?: string };
  return {
    kind: 'error',
    name: error.code ?? `HTTP ${response.statusCode}`,
    message: error.message ?? '',
  };
};

/**
 * Runs an invocation and settles it into its {@link Outcome}; HTTP responses are decoded (a 409
 * `RemediationInProgress` body becomes that error, as the other triggers throw it).
 */
export const settle = async (invocation: Promise<unknown>): Promise<Outcome> => {
  try {
    const value = await invocation;
    return decodeHttpResponse(value) ?? { kind: 'report', report: value as RemediationReport };
  } catch (error) {
    return {
      kind: 'error',
      name: (error as Error).name,
      message: (error as Error).message,
    };
  }
};

/** A short description of an outcome: the report status, or the error name. */
export const describeOutcome = (outcome: Outcome): string =>
  outcome.kind === 'report'
    ? `${outcome.report.status}${outcome.report.replayed === true ? ' (replayed)' : ''}`
    : outcome.name;

/** An idempotency record as Powertools stores it. */
export interface IdempotencyItem {
  id: string;
  status: string;
  /** Seconds since the epoch. */
  expiration: number;
  /** Milliseconds since the epoch; absent when no Lambda context was registered. */
  in_progress_expiration?: number;
}

/**
 * The records that hold a lock past what the issue allows: in progress with no in-progress expiry
 * (the lock would last the record's whole TTL), or with one later than `latestDeadline`, the last
 * deadline of any invocation that could have taken it.
 */
export const stuckLocks = (
  items: readonly IdempotencyItem[],
  latestDeadline: number
): IdempotencyItem[] =>
  items.filter(
    (item) =>
      item.status === 'INPROGRESS' &&
      (item.in_progress_expiration === undefined || item.in_progress_expiration > latestDeadline)
  );

/**
 * Client settings with the wall-clock timeouts lifted (30 s), attempts and retry mode kept. For
 * tests whose subject is not a time-out: a busy test machine (one process plays many Lambdas, other
 * jobs share the cores) must not trip a 2 s request timeout and turn one outcome into another.
 */
export const untimed = (settings: ClientSettings): ClientSettings => ({
  ...settings,
  connectionTimeout: 30_000,
  requestTimeout: 30_000,
});

/** Shared by every world of a test file: dynalite's endpoint and a client of the tests' own. */
export interface Backends {
  dynamoDbEndpoint: string;
  dynamoDb: DynamoDBClient;
}

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** Emulator quotas (default off). */
  quotas?: EmulatorOptions['quotas'];
  /** Secrets Manager client settings (default: the function's own). */
  secretsManagerSettings?: ClientSettings;
  /** DynamoDB client settings (default: the function's own). */
  dynamoDbSettings?: ClientSettings;
  /** Remaining time of every context this world hands out (default 15 s). */
  remainingMs?: number;
}

/** A running world. */
export interface World {
  emulator: SecretsManagerEmulator;
  dynamo: FaultyDynamoDb;
  tableName: string;
  /** Invokes the handler with the event and a fresh context named `requestId`. */
  invoke(event: unknown, requestId: string, remainingMs?: number): Promise<Outcome>;
  /** The last deadline of every context handed out so far. */
  latestDeadline(): number;
  /** Every idempotency record of this world's table. */
  items(): Promise<IdempotencyItem[]>;
  /** Waits until no record of the table holds an unexpired in-progress lock. */
  locksExpired(): Promise<void>;
  /** Clears every fault of the emulator and the proxy. */
  clearFaults(): void;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a fresh idempotency table with the layout template.yaml declares. */
export const createIdempotencyTable = async (client: DynamoDBClient): Promise<string> => {
  const tableName = `rr-reliability-${randomBytes(5).toString('hex')}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
  );
  return tableName;
};

/** Reads every idempotency record of a table. */
export const readItems = async (
  client: DynamoDBClient,
  tableName: string
): Promise<IdempotencyItem[]> => {
  const documents = DynamoDBDocumentClient.from(client);
  const { Items } = await documents.send(
    new ScanCommand({ TableName: tableName, ConsistentRead: true })
  );
  return (Items ?? []) as IdempotencyItem[];
};

/** Waits until no record holds an unexpired in-progress lock (polling the table). */
export const waitForLocksToExpire = async (
  read: () => Promise<IdempotencyItem[]>
): Promise<void> => {
  for (;;) {
    const held = (await read()).filter(
      (item) =>
        item.status === 'INPROGRESS' &&
        item.in_progress_expiration !== undefined &&
        item.in_progress_expiration >= Date.now()
    );
    if (held.length === 0) return;
    const until = Math.max(...held.map((item) => item.in_progress_expiration ?? 0));
    await sleep(Math.max(10, until - Date.now() + 5));
  }
};

/** Where one execution environment's clients point, and with which settings. */
export interface EnvironmentOptions {
  secretsManagerEndpoint: string;
  region: string;
  dynamoDbEndpoint: string;
  tableName: string;
  /** Secrets Manager client settings (default: the function's own). */
  secretsManagerSettings?: ClientSettings;
  /** DynamoDB client settings (default: the function's own). */
  dynamoDbSettings?: ClientSettings;
}

/** One Lambda execution environment: the handler with its own clients, as the module scope makes them. */
export interface Environment {
  handler: Handler;
  /** Closes the clients' connections. */
  destroy(): void;
}

/** The suite's evidence settings, as test/setup-env.ts gives them to every test process. */
const SUITE_EVIDENCE = {
  ROTATION_GRACE_SECONDS: process.env.ROTATION_GRACE_SECONDS,
  UNKNOWN_STEP_ACTION: process.env.UNKNOWN_STEP_ACTION,
};

/**
 * Builds one execution environment: `createHandler` (src/application/) with clients from the
 * factories of src/aws/clients.ts (the function's own settings unless told otherwise).
 */
export const createEnvironment = (options: EnvironmentOptions): Environment => {
  const secretsManager = createSecretsManagerClient(
    {
      endpoint: options.secretsManagerEndpoint,
      region: options.region,
      credentials: TEST_CREDENTIALS,
    },
    options.secretsManagerSettings ?? secretsManagerClientSettings
  );
  const dynamoDb = new DynamoDBClient(
    dynamoDbClientConfig(
      { endpoint: options.dynamoDbEndpoint, region: options.region, credentials: TEST_CREDENTIALS },
      options.dynamoDbSettings ?? dynamoDbClientSettings
    )
  );
  const applyOnce = createApplyOnce(
    { tableName: options.tableName, expiresAfterSeconds: 3600 },
    { dynamoDb }
  );
  return {
    handler: createHandler({
      // no history look-up here (these worlds are about faults, races and load): an unknown step
      // is discarded, as the suite's evidence settings say (test/setup-env.ts)
      settings: { remediator: loadConfig(SUITE_EVIDENCE), sweep: loadSweepConfig({}) },
      secretsManager,
      logger: worldLogger(),
      metrics: createMetrics(),
      applyOnce,
    }),
    destroy: () => {
      secretsManager.destroy();
      dynamoDb.destroy();
    },
  };
};

/** Starts a world on the shared backends. */
export const startWorld = async (
  backends: Backends,
  options: WorldOptions = {}
): Promise<World> => {
  const emulator = await startSecretsManagerEmulator(
    options.quotas === undefined ? {} : { quotas: options.quotas }
  );
  const dynamo = await startFaultyDynamoDb(backends.dynamoDbEndpoint);
  const tableName = await createIdempotencyTable(backends.dynamoDb);
  const environment = createEnvironment({
    secretsManagerEndpoint: emulator.endpoint,
    region: emulator.region,
    dynamoDbEndpoint: dynamo.endpoint,
    tableName,
    ...(options.secretsManagerSettings === undefined
      ? {}
      : { secretsManagerSettings: options.secretsManagerSettings }),
    ...(options.dynamoDbSettings === undefined
      ? {}
      : { dynamoDbSettings: options.dynamoDbSettings }),
  });
  let latestDeadline = 0;
  const items = () => readItems(backends.dynamoDb, tableName);
  return {
    emulator,
    dynamo,
    tableName,
    invoke: (event, requestId, remainingMs = options.remainingMs ?? 15_000) => {
      const context: Context = lambdaContext(remainingMs, requestId);
      latestDeadline = Math.max(latestDeadline, Date.now() + remainingMs);
      return settle(environment.handler(event, context));
    },
    latestDeadline: () => latestDeadline,
    items,
    locksExpired: () => waitForLocksToExpire(items),
    clearFaults: () => {
      emulator.faults.clear();
      emulator.hooks.clear();
      dynamo.faults.clear();
    },
    stop: async () => {
      environment.destroy();
      await Promise.all([emulator.stop(), dynamo.stop()]);
    },
  };
};
