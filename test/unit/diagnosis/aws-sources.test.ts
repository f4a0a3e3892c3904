/**
 * The SDK side of the diagnosis: a failed call becomes a reason (never a throw), a missing function
 * is a fact, and a function configuration becomes the facts a diagnosis reads.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { DiagnosisClients } from '../../../src/diagnosis/aws-sources.js';
import {
  createAwsDiagnosisSources,
  createDiagnosisClients,
  reasonOf,
  toFunctionFacts,
} from '../../../src/diagnosis/aws-sources.js';

const WINDOW = { startMs: 0, endMs: 60_000 };
const LIMITS = { maxPages: 2, pageIntervalMs: 0 };

/** An SDK error as the clients throw it. */
const sdkError = (name: string, httpStatusCode = 400) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

/** Real clients (the paginator checks its client's class) whose every call fails with `error`. */
const failing = (error: unknown): DiagnosisClients => {
  const clients = createDiagnosisClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
  for (const client of Object.values(clients)) {
    Object.assign(client, { send: async () => Promise.reject(error) });
  }
  return clients;
};

describe('reasonOf', () => {
  it.each([
    { error: sdkError('AccessDeniedException', 403), reason: 'access-denied' },
    { error: sdkError('ThrottlingException'), reason: 'throttled' },
    { error: sdkError('TooManyRequestsException', 429), reason: 'throttled' },
    { error: sdkError('TimeoutError'), reason: 'timed-out' },
    { error: sdkError('AbortError'), reason: 'timed-out' },
    { error: sdkError('ResourceNotFoundException', 404), reason: 'not-found' },
    { error: sdkError('ServiceException', 500), reason: 'failed' },
    { error: 'not an error', reason: 'failed' },
  ])('reads $reason from $error', ({ error, reason }) => {
    // Act
    const found = reasonOf(error);

    // Assess
    expect(found).toBe(reason);
  });
});

describe('createAwsDiagnosisSources', () => {
  it.each([
    { name: 'AccessDeniedException', status: 403, reason: 'access-denied' },
    { name: 'ThrottlingException', status: 400, reason: 'throttled' },
    { name: 'InternalFailure', status: 500, reason: 'failed' },
  ])('answers $reason for every call that fails with $name', async ({ name, status, reason }) => {
    // Prepare
    const sources = createAwsDiagnosisSources(failing(sdkError(name, status)));

    // Act
    const results = await Promise.all([
      sources.functionConfiguration('f'),
      sources.reservedConcurrency('f'),
      sources.logLines('/aws/lambda/f', WINDOW, LIMITS),
      sources.metrics('f', WINDOW),
    ]);

    // Assess
    expect(results).toEqual(Array(4).fill({ ok: false, reason, detail: name }));
  });

  it('answers a function Lambda does not know as existing not', async () => {
    // Prepare
    const sources = createAwsDiagnosisSources(failing(sdkError('ResourceNotFoundException', 404)));

    // Act
    const result = await sources.functionConfiguration('gone');

    // Assess
    expect(result).toEqual({ ok: true, value: { exists: false, name: 'gone' } });
  });
});

describe('toFunctionFacts', () => {
  it.each([
    {
      case: 'a VPC function with its own log group',
      config: {
        FunctionName: 'f',
        Runtime: 'python3.9',
        Timeout: 30,
        VpcConfig: { VpcId: 'vpc-1', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
        LoggingConfig: { LogGroup: '/custom/f' },
      },
      expected: {
        exists: true,
        name: 'f',
        runtime: 'python3.9',
        timeoutSeconds: 30,
        vpc: { vpcId: 'vpc-1', subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
        logGroup: '/custom/f',
      },
    },
    {
      case: 'an empty VpcConfig (no VPC)',
      config: { FunctionName: 'f', VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } },
      expected: { exists: true, name: 'f' },
    },
  ])('reads $case', ({ config, expected }) => {
    // Act
    const facts = toFunctionFacts(config as FunctionConfiguration);

    // Assess
    expect(facts).toEqual(expected);
  });
});
