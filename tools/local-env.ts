/**
 * The local AWS that `npm run demo`, `npm run local` and the CLI tests run against: the Secrets
 * Manager emulator and dynalite (an in-memory DynamoDB from npm) on free loopback ports, with one
 * idempotency table laid out as `template.yaml` declares it. No AWS account, no network.
 */
import type { Server } from 'node:http';
import type { AddressInfo, Socket, Server as TcpServer } from 'node:net';
import { connect, createServer as createTcpServer } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { RecordedEvent, SecretsManagerEmulator } from '../emulator/secrets-manager/index.js';
import {
  EventBridgeService,
  startSecretsManagerEmulator,
} from '../emulator/secrets-manager/index.js';

/** Dummy credentials: the emulator and dynalite accept any, the SDK needs some. */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'local',
  secretAccessKey: 'local',
} as const;

/** Default region and idempotency table name of the local environment. */
export const LOCAL_DEFAULTS = {
  region: 'us-east-1',
  tableName: 'rotation-remediator-idempotency',
  host: '127.0.0.1',
} as const;

/** Options of {@link startLocalEnvironment}. */
export interface LocalEnvironmentOptions {
  /** Region in the emulator's ARNs and for the clients. Default `us-east-1`. */
  region?: string;
  /** Name of the idempotency table to create. */
  tableName?: string;
  /**
   * Address both servers listen on. Default `127.0.0.1`. Anything else (e.g. `0.0.0.0` so that a
   * `sam local` container can reach them) is opt-in: the emulator itself stays on loopback and a
   * TCP forwarder listens on this address.
   */
  host?: string;
  /** Sees each event the emulator's EventBridge accepts (`npm run local` prints them). */
  onEvent?: (event: RecordedEvent) => void;
}

/** The endpoints and settings a process needs to talk to the local environment. */
export interface LocalEndpoints {
  region: string;
  tableName: string;
  secretsManager: string;
  dynamoDb: string;
}

/** A running local environment. */
export interface LocalEnvironment extends LocalEndpoints {
  /** The emulator, for seeding and reading back. */
  emulator: SecretsManagerEmulator;
  /** The emulator's EventBridge (PutEvents at the same endpoint): the events it received. */
  eventBridge: EventBridgeService;
  /** The address the servers listen on (the endpoints use loopback for a wildcard). */
  host: string;
  /** Environment variables that point the bundle, the CLI or the AWS CLI at this environment. */
  env(): Record<string, string>;
  /** Stops the servers and closes their connections; idempotent. */
  stop(): Promise<void>;
}

/** Environment variables for a process that uses `endpoints`. */
const localEnv = (endpoints: LocalEndpoints): Record<string, string> => ({
  AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
  AWS_ENDPOINT_URL_CLOUDTRAIL: endpoints.secretsManager,
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
  // the emulator serves EventBridge's PutEvents beside Secrets Manager
  AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.secretsManager,
  AWS_REGION: endpoints.region,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  IDEMPOTENCY_TABLE_NAME: endpoints.tableName,
  // the emulator's default rotation function: resume is on for the secrets it seeds
  ROTATION_FUNCTION_ARNS: `arn:aws:lambda:${endpoints.region}:123456789012:function:rotator`,
});

/** The host a local client uses to reach a listener on `host` (wildcards: loopback). */
const reachableHost = (host: string): string => {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
};

/** Listens on a free port of `host`; returns the port. */
const listen = async (server: Server | TcpServer, host: string): Promise<number> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
};

/** Forwards TCP connections on `host` to the emulator on loopback. */
const startForwarder = async (host: string, targetPort: number) => {
  const sockets = new Set<Socket>();
  const server = createTcpServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  const port = await listen(server, host);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
};

/** Starts dynalite on `host` (a free port). dynalite ships no types; its factory returns a server. */
const startDynalite = async (host: string): Promise<{ server: Server; port: number }> => {
  const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;
  const server = dynalite({ createTableMs: 0 });
  const port = await listen(server, host);
  return { server, port };
};

/** Creates the idempotency table (`id` string hash key, on-demand), as `template.yaml` does. */
const createIdempotencyTable = async (endpoint: string, region: string, tableName: string) => {
  const client = new DynamoDBClient({ endpoint, region, credentials: { ...LOCAL_CREDENTIALS } });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      })
    );
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  } finally {
    client.destroy();
  }
};

/**
 * Starts the Secrets Manager emulator and dynalite, and creates the idempotency table. Call
 * `stop()` when done (also on SIGINT/SIGTERM).
 */
export const startLocalEnvironment = async (
  options: LocalEnvironmentOptions = {}
): Promise<LocalEnvironment> => {
  const region = options.region ?? LOCAL_DEFAULTS.region;
  const tableName = options.tableName ?? LOCAL_DEFAULTS.tableName;
  const host = options.host ?? LOCAL_DEFAULTS.host;
  const emulator = await startSecretsManagerEmulator({ region });
  const eventBridge = emulator.addService(new EventBridgeService({ onEvent: options.onEvent }));
  const stops: (() => Promise<void>)[] = [() => emulator.stop()];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= Promise.allSettled(stops.map((fn) => fn())).then(() => undefined);
    return stopped;
  };
  try {
    let secretsManager = emulator.endpoint;
    if (host !== LOCAL_DEFAULTS.host) {
      const forwarder = await startForwarder(host, Number(new URL(emulator.endpoint).port));
      stops.push(forwarder.close);
      secretsManager = `http://${reachableHost(host)}:${forwarder.port}`;
    }
    const dynalite = await startDynalite(host);
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          dynalite.server.close(() => resolve());
          dynalite.server.closeAllConnections();
        })
    );
    const dynamoDb = `http://${reachableHost(host)}:${dynalite.port}`;
    await createIdempotencyTable(dynamoDb, region, tableName);
    const endpoints: LocalEndpoints = { region, tableName, secretsManager, dynamoDb };
    return { ...endpoints, emulator, eventBridge, host, env: () => localEnv(endpoints), stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
