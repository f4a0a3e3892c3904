/**
 * The diagnosis gatherer against moto_server (started here, on a free loopback port): a rotation
 * function's configuration, reserved concurrency, log lines and metrics seeded through public
 * calls, gathered with the SDK paginator and bounds, and diagnosed. A canary secret value the
 * function logged never reaches the diagnosis; a call that fails is reported, never thrown.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { DiagnosisClients } from '../../src/diagnosis/aws-sources.js';
import {
  createAwsDiagnosisSources,
  createDiagnosisClients,
} from '../../src/diagnosis/aws-sources.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { gatherFacts } from '../../src/diagnosis/gather.js';
import type { MotoServer } from '../../tools/moto-server.js';
import { startMotoServer } from '../../tools/moto-server.js';
import { runCliInProcess } from '../helpers/cli.js';
import { zipOneFile } from '../helpers/rotation-function.js';

const NAME = 'rr-diagnosis-rotation';
const PENDING = 'c0000000-0000-4000-8000-0000000000d1';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const CANARY = 'canary-diag-7f3a9c-Zq81';
const noWait = async (): Promise<void> => {};

/** What the seeded function logged: a step line, a secret value, and the failure. */
const MESSAGES = [
  `[INFO]\tcreateSecret: Successfully put secret for ARN ${SECRET_ARN} and version ${PENDING}.`,
  `[DEBUG]\tsecret is {"username": "app", "password": "${CANARY}"}`,
  `[ERROR]\tKeyError: 'host' while reading {"password": "${CANARY}"}`,
  '[ERROR]\tTask timed out after 30.03 seconds',
  "[ERROR]\tKeyError: 'engine'",
];

/** Lets moto's Lambda "invoke" without Docker; before any function is made (it swaps backends). */
const withoutDocker = async (endpoint: string): Promise<void> => {
  await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
};

/** Sets the secret's rotation function (RotateSecret, no rotation started). */
const rotateWith = async (
  secrets: SecretsManagerClient,
  secretId: string,
  functionArn: string
): Promise<void> => {
  await secrets.send(
    new RotateSecretCommand({
      SecretId: secretId,
      RotationLambdaARN: functionArn,
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediately: false,
    })
  );
};

describe('the diagnosis gatherer against moto', () => {
  let moto: MotoServer;
  let clients: DiagnosisClients;
  let window: { startMs: number; endMs: number };
  let functionArn: string;

  const seed = async (endpoint: string, region: string) => {
    const config = { endpoint, region };
    const role = await new IAMClient(config).send(
      new CreateRoleCommand({ RoleName: NAME, AssumeRolePolicyDocument: '{}' })
    );
    const lambda = new LambdaClient(config);
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: NAME,
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Timeout: 30,
        Role: role.Role?.Arn ?? '',
        Code: { ZipFile: zipOneFile('index.py', 'def handler(event, context):\n    pass\n') },
      })
    );
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: NAME, ReservedConcurrentExecutions: 5 })
    );
    const logs = new CloudWatchLogsClient(config);
    const logGroupName = `/aws/lambda/${NAME}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 's1' }));
    const start = Date.now() - 60_000;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 's1',
        logEvents: MESSAGES.map((message, index) => ({ timestamp: start + index * 1000, message })),
      })
    );
    await new CloudWatchClient(config).send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          {
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: NAME }],
            Value: 2,
            Timestamp: new Date(start),
          },
        ],
      })
    );
    functionArn = created.FunctionArn ?? '';
    return { startMs: start - 60_000, endMs: Date.now() + 60_000 };
  };

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    moto = await startMotoServer();
    await withoutDocker(moto.endpoint);
    window = await seed(moto.endpoint, moto.region);
    clients = createDiagnosisClients({ endpoint: moto.endpoint, region: moto.region });
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('gathers the configuration, concurrency, lines and metrics, and names the cause', async () => {
    // Prepare
    const sources = createAwsDiagnosisSources(clients, { sleep: noWait });

    // Act
    const facts = await gatherFacts(sources, { functionId: NAME, window });
    const diagnosis = diagnose(facts, { now: new Date(window.endMs), versionId: PENDING });

    // Assess
    expect(facts.missing).toEqual([]);
    expect(facts.function).toMatchObject({
      exists: true,
      name: NAME,
      runtime: 'python3.12',
      timeoutSeconds: 30,
      reservedConcurrency: 5,
    });
    expect(facts.metrics?.errors).toBe(2);
    expect(diagnosis.cause).toBe('secret.shape');
    expect(diagnosis.findings.map((finding) => finding.cause)).toEqual([
      'secret.shape',
      'network.timeout',
    ]);
    expect(diagnosis.completedSteps.map((done) => done.step)).toEqual(['createSecret']);
    expect(JSON.stringify(diagnosis)).not.toContain(CANARY);
  });

  it('reads at most maxPages pages of the paginator', async () => {
    // Prepare
    const sources = createAwsDiagnosisSources(clients, { sleep: noWait });
    const limits = { maxPages: 2, pageIntervalMs: 0, pageSize: 2 };

    // Act
    const lines = await sources.logLines(`/aws/lambda/${NAME}`, window, limits);

    // Assess
    expect(lines).toMatchObject({ ok: true });
    expect(lines.ok && lines.value.length).toBe(4);
  });

  it('diagnoses a function that does not exist as function.missing', async () => {
    // Prepare
    const sources = createAwsDiagnosisSources(clients, { sleep: noWait });

    // Act
    const facts = await gatherFacts(sources, { functionId: 'rr-no-such-function', window });

    // Assess
    expect(diagnose(facts, { now: new Date(window.endMs) }).cause).toBe('function.missing');
  });

  it('reports every call as missing when nothing answers, and does not throw', async () => {
    // Prepare: a closed loopback port
    const closed = createDiagnosisClients({ endpoint: 'http://127.0.0.1:9', region: moto.region });
    const sources = createAwsDiagnosisSources(closed, { sleep: noWait });

    // Act
    const facts = await gatherFacts(sources, { functionId: NAME, window });

    // Assess
    expect(facts.missing.map((missing) => missing.fact).sort()).toEqual([
      'concurrency',
      'function',
      'logs',
      'metrics',
    ]);
    expect(diagnose(facts, { now: new Date(window.endMs) }).cause).toBe('unknown');
  });

  describe('the CLI: diagnose --secret-id', () => {
    const SECRET = 'rr-diagnosis/prod-db';
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      // Prepare: a secret whose rotation function is the seeded one, AWSPENDING on PENDING
      const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: moto.region });
      await secrets.send(
        new CreateSecretCommand({ Name: SECRET, SecretString: `{"password":"${CANARY}"}` })
      );
      await rotateWith(secrets, SECRET, functionArn);
      await secrets.send(
        new PutSecretValueCommand({
          SecretId: SECRET,
          ClientRequestToken: PENDING,
          SecretString: `{"password":"${CANARY}-next"}`,
          VersionStages: ['AWSPENDING'],
        })
      );
      env = {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: moto.region,
        AWS_ENDPOINT_URL: moto.endpoint,
      };
    });

    it.each([
      { format: 'JSON', args: ['--json'] },
      { format: 'text', args: [] },
    ])('prints the cause and the completed steps as $format, no secret value', async ({ args }) => {
      // Act
      const result = await runCliInProcess(['diagnose', '--secret-id', SECRET, ...args], env);

      // Assess
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('secret.shape');
      expect(result.stdout).toContain('createSecret');
      expect(`${result.stdout}${result.stderr}`).not.toContain(CANARY);
    });

    it('names the pending version and the rotation function in its JSON', async () => {
      // Act
      const result = await runCliInProcess(['diagnose', '--secret-id', SECRET, '--json'], env);

      // Assess
      expect(JSON.parse(result.stdout)).toMatchObject({
        pendingVersionId: PENDING,
        rotationLambdaArn: expect.stringContaining(NAME),
        diagnosis: {
          cause: 'secret.shape',
          completedSteps: [{ step: 'createSecret', namesVersion: true }],
        },
      });
    });

    it('says there is nothing to diagnose for a secret without a rotation function', async () => {
      // Prepare
      const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: moto.region });
      await secrets.send(
        new CreateSecretCommand({ Name: 'rr-diagnosis/plain', SecretString: 'x' })
      );

      // Act
      const result = await runCliInProcess(['diagnose', '--secret-id', 'rr-diagnosis/plain'], env);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('No rotation function: nothing to diagnose.');
    });

    it.each([
      { case: 'an option of another command', args: ['--pending', 'discard'] },
      { case: 'a stray argument', args: ['extra'] },
    ])('refuses $case', async ({ args }) => {
      // Act
      const result = await runCliInProcess(['diagnose', '--secret-id', SECRET, ...args], env);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^rotation-remediator: Usage: diagnose:/);
    });
  });
});
