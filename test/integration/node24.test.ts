/**
 * The bundle we ship, under the Lambda runtime's major version: a Node 24 process (this one when it
 * runs Node 24, otherwise the pinned registry package from tools/node24, installed on first use)
 * requires dist/handler.js against Secrets Manager (emulator or AWS_ENDPOINT_URL_SECRETS_MANAGER)
 * and DynamoDB (dynalite or AWS_ENDPOINT_URL_DYNAMODB), and handles a direct command and a
 * RotationFailed event.
 */
import { resolve } from 'node:path';
import type { RemediationReport } from '../../src/remediation/types.js';
import type { Node24 } from '../../tools/node24/locate.js';
import { LAMBDA_NODE_MAJOR, locateNode24 } from '../../tools/node24/locate.js';
import type { ProcessResult } from '../../tools/process.js';
import { runProcess } from '../../tools/process.js';
import { BUNDLE_PATH } from '../helpers/bundle.js';
import { childAwsEnv } from '../helpers/child-env.js';
import type { DynamoDbTarget } from '../helpers/dynamodb-target.js';
import { startDynamoDbTarget } from '../helpers/dynamodb-target.js';
import { readLabels } from '../helpers/labels.js';
import { loadSample, substituteSecret } from '../helpers/samples.js';
import type { SecretsManagerTarget, SeededSecret } from '../helpers/secrets-manager-target.js';
import {
  seedStuckWithPublicCalls,
  startSecretsManagerTarget,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

// Each test spawns Node processes: allow for a loaded CI machine (jest's default is 5 s; the
// integration project's `testTimeout` is not applied per project).
jest.setTimeout(60_000);

/** Runs in the Node 24 process: invokes the bundle with each event and prints the results. */
const INVOKE_SCRIPT = `
const { handler } = require(process.env.RR_BUNDLE);
const events = JSON.parse(process.env.RR_EVENTS);
const context = (id) => ({
  awsRequestId: id,
  functionName: 'rotation-remediator',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotation-remediator',
  getRemainingTimeInMillis: () => 30000,
});
(async () => {
  const results = [];
  for (const [index, event] of events.entries()) {
    try {
      results.push({ report: await handler(event, context('node24-' + index)) });
    } catch (error) {
      results.push({ error: error.name + ': ' + error.message });
    }
  }
  process.stdout.write('RESULT ' + JSON.stringify({ version: process.version, results }) + '\\n');
})();
`;

interface Invocation {
  version: string;
  results: { report?: RemediationReport; error?: string }[];
}

let node24: Node24;
let target: SecretsManagerTarget;
let dynamoDb: DynamoDbTarget;

beforeAll(async () => {
  node24 = locateNode24();
  target = await startSecretsManagerTarget();
  dynamoDb = await startDynamoDbTarget();
}, 180_000);

afterAll(async () => {
  await target?.stop();
  await dynamoDb?.stop();
});

const invokeUnderNode24 = async (events: unknown[]): Promise<Invocation> => {
  const env = childAwsEnv({
    RR_BUNDLE: BUNDLE_PATH,
    RR_EVENTS: JSON.stringify(events),
    IDEMPOTENCY_TABLE_NAME: dynamoDb.tableName,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const result: ProcessResult = await runProcess(node24.path, ['-e', INVOKE_SCRIPT], {
    env,
    cwd: resolve(__dirname, '../..'),
  });
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
  if (result.code !== 0 || line === undefined) {
    throw new Error(`node ${node24.path} exited ${result.code}: ${result.stderr.slice(0, 2000)}`);
  }
  return JSON.parse(line.slice('RESULT '.length)) as Invocation;
};

const labelsOf = (secretId: string) => readLabels(target.client, secretId);

const discarded = (s: SeededSecret) => ({
  [s.previousVersionId]: ['AWSPREVIOUS'],
  [s.currentVersionId]: ['AWSCURRENT'],
});

describe(`dist/handler.js under Node ${LAMBDA_NODE_MAJOR}`, () => {
  it('handles a direct command and a RotationFailed event', async () => {
    // Prepare
    const direct = await seedStuckWithPublicCalls(target, uniqueName('node24-direct'));
    const rotation = await seedStuckWithPublicCalls(target, uniqueName('node24-event'));
    const events = [
      { secretId: direct.arn, pendingAction: 'discard', reason: 'Node 24 check' },
      substituteSecret(loadSample('rotation-failed-setSecret.json'), rotation),
    ];

    // Act
    const invocation = await invokeUnderNode24(events);

    // Assess
    expect(invocation.version.startsWith(`v${LAMBDA_NODE_MAJOR}.`)).toBe(true);
    expect(invocation.results.map((result) => result.error)).toEqual([undefined, undefined]);
    expect(invocation.results[0]?.report).toMatchObject({
      status: 'remediated',
      decision: { requested: 'discard', resolved: 'discard', rule: 'requested.discard' },
    });
    expect(invocation.results[1]?.report).toMatchObject({
      status: 'remediated',
      decision: { resolved: 'discard', rule: 'auto.discard', failedStep: 'setSecret' },
    });
    expect(await labelsOf(direct.arn)).toEqual(discarded(direct));
    expect(await labelsOf(rotation.arn)).toEqual(discarded(rotation));
    expect(await dynamoDb.items()).toHaveLength(2);
  });
});
