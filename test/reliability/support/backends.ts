/**
 * dynalite on a free loopback port, in a child process of its own (its work then runs on another
 * core instead of queueing behind the test's event loop), for the reliability tests. They need the
 * emulator's hooks and fault injection, and a proxy in front of DynamoDB, so they always run
 * locally: an `AWS_ENDPOINT_URL_*` set from outside is ignored here.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Backends } from './world.js';
import { TEST_CREDENTIALS } from './world.js';

/** Running dynalite, with a client of the tests' own. */
export interface Dynalite extends Backends {
  stop(): Promise<void>;
}

/** Starts dynalite (in memory) in a child process. */
export const startDynalite = async (): Promise<Dynalite> => {
  const child = spawn(process.execPath, [resolve(__dirname, 'dynalite-process.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const dynamoDbEndpoint = `http://127.0.0.1:${Number(chunk.toString('utf8').trim())}`;
  const dynamoDb = new DynamoDBClient({
    endpoint: dynamoDbEndpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  return {
    dynamoDbEndpoint,
    dynamoDb,
    stop: async () => {
      dynamoDb.destroy();
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
};
