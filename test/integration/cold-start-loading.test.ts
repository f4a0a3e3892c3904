/**
 * What each kind of event makes the built function load (issue 16: pay only for what the event
 * needs). Each case is a fresh process that requires dist/handler.js and handles one event, with
 * V8's coverage naming the files loaded beside the bundle (parts/) and the module wrappers run
 * (dist/bench/probe.js, the benchmark's probe). An alarm back to OK or a rejected event loads no
 * part and never initialises the Secrets Manager SDK; a dry run loads the AWS part and the SDK but
 * does not initialise the idempotency utility; a remediation does. Under provisioned concurrency
 * the client is made at init, whatever the event.
 */
import { resolve } from 'node:path';
import { runProcess } from '../../tools/process.js';
import { BUNDLE_PATH } from '../helpers/bundle.js';
import { childAwsEnv } from '../helpers/child-env.js';
import type { DynamoDbTarget } from '../helpers/dynamodb-target.js';
import { startDynamoDbTarget } from '../helpers/dynamodb-target.js';
import { loadSample } from '../helpers/samples.js';
import type { SecretsManagerTarget } from '../helpers/secrets-manager-target.js';
import {
  seedStuckWithPublicCalls,
  startSecretsManagerTarget,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

// Each test spawns a Node process with V8's coverage on.
jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const PROBE = resolve(ROOT, 'dist/bench/probe.js');
const RESULT_PREFIX = 'RR-BENCH-RESULT ';
const SDK_MODULE = 'node_modules/@aws-sdk/client-secrets-manager/';
const IDEMPOTENCY_MODULE = 'src/idempotency/powertools.ts';

/** What one process loaded while handling its event. */
interface Loaded {
  outcome: string | undefined;
  files: string[];
  secretsManagerSdk: boolean;
  idempotency: boolean;
}

let target: SecretsManagerTarget;
let dynamoDb: DynamoDbTarget;

beforeAll(async () => {
  target = await startSecretsManagerTarget();
  dynamoDb = await startDynamoDbTarget();
}, 180_000);

afterAll(async () => {
  await target?.stop();
  await dynamoDb?.stop();
});

/** Requires the bundle in a fresh process, hands it `event`, and reads what it loaded. */
const loadFor = async (event: unknown, extraEnv: NodeJS.ProcessEnv = {}): Promise<Loaded> => {
  const env = childAwsEnv({
    RR_PROBE_MODULE: BUNDLE_PATH,
    RR_PROBE_EVENTS: JSON.stringify([event]),
    RR_PROBE_COVERAGE: '1',
    IDEMPOTENCY_TABLE_NAME: dynamoDb.tableName,
    EVENT_BUS_NAME: 'none',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extraEnv,
  });
  const result = await runProcess(process.execPath, [PROBE], { env, cwd: ROOT });
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
  if (result.code !== 0 || line === undefined) {
    throw new Error(`the probe exited ${result.code}: ${result.stderr.slice(0, 2000)}`);
  }
  const probed = JSON.parse(line.slice(RESULT_PREFIX.length)) as {
    invocations: { outcome: string }[];
    loadedFiles?: string[];
    initialisedModules?: string[];
  };
  const initialised = probed.initialisedModules ?? [];
  return {
    outcome: probed.invocations[0]?.outcome,
    files: probed.loadedFiles ?? [],
    secretsManagerSdk: initialised.some((name) => name.startsWith(SDK_MODULE)),
    idempotency: initialised.includes(IDEMPOTENCY_MODULE),
  };
};

/** An HTTP API request whose body is not a remediation request (rejected before any AWS call). */
const badHttpRequest = (): Record<string, unknown> => ({
  ...loadSample('http-api-v2-post.json'),
  body: JSON.stringify({ pendingAction: 'discard' }),
  isBase64Encoded: false,
});

describe('what each event loads (dist/handler.js, on demand)', () => {
  it.each([
    ['an alarm back to OK', () => loadSample('alarm-eventbridge-ok.json'), 'ignored'],
    ['an event of no known trigger', () => ({ hello: 'world' }), 'ValidationError'],
  ])('%s: no part, no Secrets Manager SDK', async (_name, event, outcome) => {
    // Prepare: the event
    // Act
    const loaded = await loadFor(event());
    // Assess
    expect(loaded).toEqual({
      outcome,
      files: ['handler.js'],
      secretsManagerSdk: false,
      idempotency: false,
    });
  });

  it('an HTTP request with a bad body: the HTTP schemas only, no Secrets Manager SDK', async () => {
    // Prepare: the request
    // Act
    const loaded = await loadFor(badHttpRequest());
    // Assess
    expect(loaded).toEqual({
      outcome: 'http 400',
      files: ['handler.js', 'parts/http-schemas.js'],
      secretsManagerSdk: false,
      idempotency: false,
    });
  });

  it.each([
    [true, 'planned', false],
    [false, 'remediated', true],
  ])(
    'a direct command (dryRun %s): the AWS part, and the idempotency utility only when writing',
    async (dryRun, outcome, idempotency) => {
      // Prepare
      const secret = await seedStuckWithPublicCalls(target, uniqueName('loading'));
      // Act
      const loaded = await loadFor({ secretId: secret.arn, pendingAction: 'discard', dryRun });
      // Assess
      expect(loaded).toEqual({
        outcome,
        files: ['handler.js', 'parts/aws.js'],
        secretsManagerSdk: true,
        idempotency,
      });
    }
  );
});

describe('under provisioned concurrency (AWS_LAMBDA_INITIALIZATION_TYPE)', () => {
  it.each([
    ['provisioned-concurrency', true],
    ['on-demand', false],
  ])('%s: the client is made at init: %s', async (initializationType, expected) => {
    // Prepare: an event that never calls AWS
    // Act
    const loaded = await loadFor(
      { hello: 'world' },
      { AWS_LAMBDA_INITIALIZATION_TYPE: initializationType }
    );
    // Assess
    expect(loaded).toEqual({
      outcome: 'ValidationError',
      files: expected ? ['handler.js', 'parts/aws.js'] : ['handler.js'],
      secretsManagerSdk: expected,
      idempotency: false,
    });
  });
});
