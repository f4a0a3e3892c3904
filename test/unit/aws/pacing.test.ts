import { Buffer } from 'node:buffer';
import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HttpRequest, HttpResponse, RetryStrategyV2, RetryToken } from '@smithy/types';
import type { PacingScope } from '../../../src/aws/pacing.js';
import { installPacing, withPacing } from '../../../src/aws/pacing.js';
import { isThrottlingError } from '../../../src/aws/sdk-errors.js';

/** What the fake endpoint answers, one entry per attempt. */
type Answer = 'ok' | 'throttled' | 'not-found';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf';

const bodies: Record<Answer, { statusCode: number; body: object }> = {
  ok: { statusCode: 200, body: { ARN, Name: 'app/db', VersionIdsToStages: {} } },
  throttled: {
    statusCode: 400,
    body: { __type: 'ThrottlingException', Message: 'Rate exceeded' },
  },
  'not-found': {
    statusCode: 400,
    body: { __type: 'ResourceNotFoundException', Message: 'No such secret' },
  },
};

/** Retries up to `maxAttempts` with no delay (the SDK's own strategy waits up to seconds). */
const immediateRetries = (maxAttempts: number): RetryStrategyV2 => {
  const token = (count: number): RetryToken => ({
    getRetryCount: () => count,
    getRetryDelay: () => 0,
  });
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous, info) => {
      const count = previous.getRetryCount() + 1;
      if (count >= maxAttempts || info.errorType === 'CLIENT_ERROR') throw info.error;
      return token(count);
    },
    recordSuccess: () => {},
  };
};

/** A client whose endpoint answers from `script` and records the operation of every attempt. */
const fakeClient = (script: Answer[]) => {
  const attempts: string[] = [];
  const requestHandler = {
    handle: async (request: HttpRequest): Promise<{ response: HttpResponse }> => {
      attempts.push(String(request.headers['x-amz-target']).split('.')[1] ?? '');
      const { statusCode, body } = bodies[script.shift() ?? 'ok'];
      return {
        response: {
          statusCode,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Buffer.from(JSON.stringify(body)),
        },
      };
    },
  };
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    retryStrategy: immediateRetries(4),
    requestHandler: requestHandler as SecretsManagerClientConfig['requestHandler'],
  });
  return { client, attempts };
};

/** A pacing scope whose limiter records what it was asked for and never waits. */
const recordingScope = () => {
  const acquired: string[] = [];
  const throttled: string[] = [];
  const scope: PacingScope = {
    limiter: {
      acquire: async (operation) => {
        acquired.push(operation);
      },
    },
    onThrottled: (operation) => {
      throttled.push(operation);
    },
  };
  return { scope, acquired, throttled };
};

const describe1 = new DescribeSecretCommand({ SecretId: ARN });

describe('the pacing middleware', () => {
  it.each([
    { script: ['ok'], attempts: 1, throttles: 0, succeeds: true },
    { script: ['throttled', 'ok'], attempts: 2, throttles: 1, succeeds: true },
    {
      script: ['throttled', 'throttled', 'throttled', 'ok'],
      attempts: 4,
      throttles: 3,
      succeeds: true,
    },
    {
      script: ['throttled', 'throttled', 'throttled', 'throttled'],
      attempts: 4,
      throttles: 4,
      succeeds: false,
    },
    { script: ['not-found'], attempts: 1, throttles: 0, succeeds: false },
  ] as const)(
    '$script: a token per attempt ($attempts), $throttles throttle(s) counted',
    async ({ script, attempts, throttles, succeeds }) => {
      // Prepare
      const fake = fakeClient([...script]);
      const { scope, acquired, throttled } = recordingScope();
      installPacing(fake.client);

      // Act
      const outcome = await withPacing(scope, () => fake.client.send(describe1)).then(
        () => 'ok',
        (error: Error) => error.name
      );

      // Assess
      expect(outcome === 'ok').toBe(succeeds);
      expect(fake.attempts).toHaveLength(attempts);
      expect(acquired).toEqual(Array.from({ length: attempts }, () => 'DescribeSecret'));
      expect(throttled).toEqual(Array.from({ length: throttles }, () => 'DescribeSecret'));
    }
  );

  it('does nothing outside a pacing scope', async () => {
    // Prepare
    const fake = fakeClient(['throttled', 'ok']);
    const { acquired, throttled } = recordingScope();
    installPacing(fake.client);

    // Act
    await fake.client.send(describe1);

    // Assess
    expect(fake.attempts).toHaveLength(2);
    expect(acquired).toEqual([]);
    expect(throttled).toEqual([]);
  });

  it('is installed once however often it is asked to be', async () => {
    // Prepare
    const fake = fakeClient(['ok']);
    const { scope, acquired } = recordingScope();

    // Act
    installPacing(fake.client);
    installPacing(fake.client);
    await withPacing(scope, () => fake.client.send(describe1));

    // Assess
    expect(acquired).toEqual(['DescribeSecret']);
  });

  it('keeps concurrent scopes apart', async () => {
    // Prepare
    const fake = fakeClient(['ok', 'ok', 'ok']);
    const first = recordingScope();
    const second = recordingScope();
    installPacing(fake.client);

    // Act
    await Promise.all([
      withPacing(first.scope, () => fake.client.send(describe1)),
      withPacing(second.scope, async () => {
        await fake.client.send(describe1);
        await fake.client.send(describe1);
      }),
    ]);

    // Assess
    expect(first.acquired).toHaveLength(1);
    expect(second.acquired).toHaveLength(2);
  });
});

describe('isThrottlingError', () => {
  it.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'TooManyRequestsException' }, true],
    [{ name: 'Other', $retryable: { throttling: true } }, true],
    [{ name: 'Other', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } }, false],
    [{ name: 'InternalServiceError', $retryable: {} }, false],
    [undefined, false],
    ['ThrottlingException', false],
  ])('%j → %s', (error, expected) => {
    // Act & Assess
    expect(isThrottlingError(error)).toBe(expected);
  });
});
