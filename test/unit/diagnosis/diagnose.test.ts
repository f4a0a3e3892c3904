/**
 * The cause of a failed rotation from gathered facts (pure): one case per cause, from realistic
 * log lines and configurations, and lines that must name nothing.
 */
import type { CauseId } from '../../../src/diagnosis/causes.js';
import { CAUSE_FIXES, CauseId as Cause, Confidence } from '../../../src/diagnosis/causes.js';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import type { DiagnosisFacts, FunctionFacts, LogLine } from '../../../src/diagnosis/types.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const AT = Date.parse('2026-11-30T10:00:00Z');
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const REQUEST = '0f6c2c8e-1b7a-4b0e-9f3e-2a1d9c8b7a65';

const fn = (overrides: Partial<FunctionFacts> = {}): FunctionFacts => ({
  exists: true,
  name: 'rotate-prod-db',
  runtime: 'python3.12',
  timeoutSeconds: 30,
  logGroup: '/aws/lambda/rotate-prod-db',
  ...overrides,
});

/** Log lines as Lambda writes them (Python's logger: level, time, request id, message). */
const lines = (...messages: string[]): LogLine[] =>
  messages.map((message, index) => ({
    timestamp: AT + index * 1000,
    message: `[ERROR]\t2026-11-30T10:00:0${index}.000Z\t${REQUEST}\t${message}`,
  }));

const facts = (overrides: Partial<DiagnosisFacts> = {}): DiagnosisFacts => ({
  function: fn(),
  logs: [],
  missing: [],
  ...overrides,
});

describe('diagnose', () => {
  it.each<{ cause: CauseId; case: string; facts: DiagnosisFacts }>([
    {
      cause: Cause.NetworkTimeout,
      case: 'Lambda reports the task timed out',
      facts: facts({
        logs: [{ timestamp: AT, message: `${AT} ${REQUEST} Task timed out after 30.03 seconds` }],
      }),
    },
    {
      cause: Cause.NoSecretsManagerRoute,
      case: 'a VPC function cannot reach the secretsmanager endpoint',
      facts: facts({
        function: fn({
          vpc: { vpcId: 'vpc-0abc', subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
        }),
        logs: lines(
          'Connect timeout on endpoint URL: "https://secretsmanager.us-east-1.amazonaws.com/"'
        ),
      }),
    },
    {
      cause: Cause.NoSecretsManagerRoute,
      case: 'a VPC function without a secretsmanager endpoint timed out',
      facts: facts({
        function: fn({ vpc: { vpcId: 'vpc-0abc', subnetIds: ['subnet-1'], securityGroupIds: [] } }),
        secretsManagerEndpoint: false,
        metrics: { errors: 1, maxDurationMs: 30_000 },
      }),
    },
    {
      cause: Cause.RuntimeImportError,
      case: 'a compiled dependency broke after a runtime upgrade',
      facts: facts({
        logs: lines(
          "[ERROR] Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'psycopg2._psycopg'"
        ),
      }),
    },
    {
      cause: Cause.RuntimeEndOfSupport,
      case: 'the runtime is past its end of support',
      facts: facts({ function: fn({ runtime: 'python3.8' }) }),
    },
    {
      cause: Cause.KmsAccessDenied,
      case: 'the key refuses the function',
      facts: facts({
        logs: lines(
          'botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the GetSecretValue operation: Access to KMS is not allowed'
        ),
      }),
    },
    {
      cause: Cause.SecretShape,
      case: 'the secret JSON lacks the host',
      facts: facts({ logs: lines("[ERROR] KeyError: 'host'") }),
    },
    {
      cause: Cause.SecretShape,
      case: "the template's own missing-key message",
      facts: facts({ logs: lines('KeyError: masterarn key is missing from secret JSON') }),
    },
    {
      cause: Cause.DatabaseLogin,
      case: 'the database refuses every credential',
      facts: facts({
        logs: lines(
          `setSecret: Unable to log into database with previous, current, or pending secret of secret arn ${ARN}`
        ),
      }),
    },
    {
      cause: Cause.PasswordCharacters,
      case: 'RDS rejects the generated password',
      facts: facts({
        logs: lines(
          "An error occurred (InvalidParameterValue) when calling the ModifyDBInstance operation: The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used."
        ),
      }),
    },
    {
      cause: Cause.FunctionThrottled,
      case: 'reserved concurrency is 0',
      facts: facts({ function: fn({ reservedConcurrency: 0 }) }),
    },
    {
      cause: Cause.FunctionThrottled,
      case: 'the metrics show throttles',
      facts: facts({ metrics: { throttles: 3, errors: 0 } }),
    },
    {
      cause: Cause.FunctionMissing,
      case: 'the function does not exist',
      facts: facts({ function: fn({ exists: false }), logs: lines("KeyError: 'host'") }),
    },
    {
      cause: Cause.ReplicaNotInSync,
      case: 'a replica is not in sync at finishSecret',
      facts: facts({
        logs: lines('finishSecret: Replica secret in us-west-2 is not in sync with the primary'),
      }),
    },
  ])('names $cause when $case', ({ cause, facts: input }) => {
    // Act
    const diagnosis = diagnose(input, { now: NOW });

    // Assess
    expect(diagnosis.cause).toBe(cause);
    expect(diagnosis.confidence).not.toBe(Confidence.Low);
    expect(diagnosis.evidence.length).toBeGreaterThan(0);
    expect(diagnosis.fix).toBe(CAUSE_FIXES[cause].fix);
  });

  it.each([
    'createSecret: Successfully put secret for ARN arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf and version 0f6c2c8e-1b7a-4b0e-9f3e-2a1d9c8b7a65.',
    'setSecret: Successfully set password for user app in PostgreSQL DB for secret arn x.',
    'Read timed out. (read timeout=60)',
    'Task completed in 3.2 seconds',
    'checking replica us-west-2: InSync',
    'KeyError handler registered',
    "KeyError: 'region_name'",
    'Unable to log in to the dashboard',
    'kms key alias/prod used',
    'password policy: 32 characters, no invalid characters allowed',
    'ImportModuleError documentation: https://example.invalid',
  ])('claims no cause on the line %p', (message) => {
    // Act
    const diagnosis = diagnose(facts({ logs: lines(message) }), { now: NOW });

    // Assess
    expect(diagnosis.cause).toBe(Cause.Unknown);
    expect(diagnosis.findings).toEqual([]);
  });

  it.each<{ case: string; facts: DiagnosisFacts }>([
    { case: 'no facts at all', facts: { missing: [] } },
    {
      case: 'a Duration well under the Timeout',
      facts: facts({ metrics: { maxDurationMs: 12_000 } }),
    },
    {
      case: 'a VPC function without an endpoint that did not time out',
      facts: facts({
        function: fn({ vpc: { subnetIds: ['subnet-1'], securityGroupIds: [] } }),
        secretsManagerEndpoint: false,
      }),
    },
  ])('answers unknown with $case', ({ facts: input }) => {
    // Act
    const diagnosis = diagnose(input, { now: NOW });

    // Assess
    expect(diagnosis.cause).toBe(Cause.Unknown);
  });

  it('prefers the log line that names a cause to a deprecated runtime', () => {
    // Prepare
    const input = facts({
      function: fn({ runtime: 'python3.9' }),
      logs: lines("Runtime.ImportModuleError: Unable to import module 'lambda_function'"),
    });

    // Act
    const diagnosis = diagnose(input, { now: NOW });

    // Assess
    expect(diagnosis.findings.map((finding) => finding.cause)).toEqual([
      Cause.RuntimeImportError,
      Cause.RuntimeEndOfSupport,
    ]);
  });

  it('reports the facts it had to do without', () => {
    // Prepare
    const missing = [
      { fact: 'logs', reason: 'access-denied', detail: 'AccessDeniedException' },
    ] as const;

    // Act
    const diagnosis = diagnose(facts({ missing: [...missing] }), { now: NOW });

    // Assess
    expect(diagnosis.missing).toEqual(missing);
  });
});
