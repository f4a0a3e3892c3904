/**
 * Load: 200 invocations at once against the emulator with the AWS request quotas on and dynalite:
 * 100 secrets with one RotationFailed event each, and 20 secrets whose failure arrives five times
 * each, through five channels (RotationFailed, both alarm shapes, HTTP, direct command).
 *
 * The quotas are shared with every other caller of the account: during the storm the rotation
 * Lambdas keep using the same buckets. A neighbour drains the rotation bucket (CancelRotateSecret)
 * and the write bucket (UpdateSecretVersionStage) as the invocations start, then keeps calling at
 * 20 requests/s on each, leaving the remediator 30 of the 50 requests/s.
 *
 * Each invocation runs in its own execution environment (`createHandler` of src/handler.ts with
 * clients from src/aws/clients.ts, warmed by one call), as 200 concurrent Lambda invocations do: one
 * process cannot hold 200 copies of the bundle, and one shared client would pool retry quotas and
 * sockets in a way Lambda never does. The clients keep the function's attempts and retry mode,
 * which decide whether throttling is absorbed; their wall-clock timeouts are lifted (`untimed`):
 * this one process plays 200 Lambdas, and its single event loop queues the work 200 CPUs would run
 * side by side, so a request timeout would measure that queue, not the service.
 */
import { randomUUID } from 'node:crypto';
import {
  CancelRotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { dynamoDbClientSettings, secretsManagerClientSettings } from '../../src/aws/clients.js';
import { lambdaContext } from '../helpers/bundle.js';
import { LogCapture } from '../helpers/log-capture.js';
import { uniqueName } from '../helpers/secrets-manager-target.js';
import { writeCounters } from './report/counters.js';
import type { Dynalite } from './support/backends.js';
import { startDynalite } from './support/backends.js';
import { sampleFor } from './support/bundle-world.js';
import { canonicalLabels, storedState } from './support/truth.js';
import type { Environment, Outcome } from './support/world.js';
import {
  createEnvironment,
  createIdempotencyTable,
  describeOutcome,
  readItems,
  settle,
  stuckLocks,
  TEST_CREDENTIALS,
  untimed,
  waitForLocksToExpire,
} from './support/world.js';

/** The shape of the load. */
const Load = {
  distinct: 100,
  duplicated: 20,
  /** One copy of each duplicated failure per channel. */
  channels: [
    'rotation-failed-setSecret.json',
    'alarm-action.json',
    'alarm-eventbridge-secretid-dimension.json',
    'http-api-v2-post.json',
    'direct.json',
  ],
  /** The function's timeout (template.yaml): the remaining time each invocation starts with. */
  remainingMs: 60_000,
  /** Requests/s the neighbour keeps sending to each of the two buckets. */
  neighbourRate: 20,
} as const;

/** A secret name no invocation remediates: the warm-up call reads it (and finds nothing). */
const WARM_UP_SECRET = 'rr-test/load-warm-up';

let emulator: SecretsManagerEmulator;
let dynalite: Dynalite;
let tableName: string;
const capture = new LogCapture();

beforeAll(async () => {
  emulator = await startSecretsManagerEmulator({ quotas: true });
  dynalite = await startDynalite();
  tableName = await createIdempotencyTable(dynalite.dynamoDb);
  capture.start();
});

afterAll(async () => {
  capture.stop();
  await emulator.stop();
  await dynalite.stop();
});

/** A fresh execution environment, warmed by one read (so the 200 invocations start together). */
const warmEnvironment = async (): Promise<Environment> => {
  const environment = createEnvironment({
    secretsManagerEndpoint: emulator.endpoint,
    region: emulator.region,
    dynamoDbEndpoint: dynalite.dynamoDbEndpoint,
    tableName,
    secretsManagerSettings: untimed(secretsManagerClientSettings),
    dynamoDbSettings: untimed(dynamoDbClientSettings),
  });
  await settle(environment.handler({ secretId: WARM_UP_SECRET, dryRun: true }, lambdaContext()));
  return environment;
};

/** One invocation in the given execution environment. */
const invoke = (environment: Environment, event: unknown, requestId: string): Promise<Outcome> =>
  settle(environment.handler(event, lambdaContext(Load.remainingMs, requestId)));

/**
 * Another caller of the account: drains the rotation and write buckets, then keeps calling both
 * at {@link Load.neighbourRate} requests/s on a secret of its own until stopped.
 */
const startNeighbour = async (): Promise<{ stop: () => Promise<void> }> => {
  const own = emulator.store.seedFailedRotation({
    name: uniqueName('neighbour'),
    step: 'setSecret',
  });
  const client = new SecretsManagerClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  const call = (): Promise<unknown> =>
    Promise.allSettled([
      client.send(new CancelRotateSecretCommand({ SecretId: own.arn })),
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: own.arn,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: own.currentVersionId,
          RemoveFromVersionId: own.currentVersionId,
        })
      ),
    ]);
  const inFlight = new Set<Promise<unknown>>();
  const track = (): void => {
    const promise = call().finally(() => inFlight.delete(promise));
    inFlight.add(promise);
  };
  for (let i = 0; i < 50; i++) track();
  const timer = setInterval(track, 1000 / Load.neighbourRate);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      client.destroy();
    },
  };
};

describe('load', () => {
  it('200 invocations at once, quotas on: each secret remediated once, only 409s fail, and they succeed on retry', async () => {
    // Prepare
    const seed = () =>
      emulator.store.seedFailedRotation({ name: uniqueName('load'), step: 'setSecret' });
    const distinct = Array.from({ length: Load.distinct }, seed);
    const duplicated = Array.from({ length: Load.duplicated }, seed);
    const secrets = [...distinct, ...duplicated];
    const invocations = [
      ...distinct.map((secret) => ({ secret, file: Load.channels[0], duplicate: false })),
      ...duplicated.flatMap((secret) =>
        Load.channels.map((file) => ({ secret, file, duplicate: true }))
      ),
    ].map((invocation, index) => ({ ...invocation, id: `load-${index}-${randomUUID()}` }));
    const environments = await Promise.all(invocations.map(() => warmEnvironment()));
    const environmentOf = (index: number): Environment => environments[index] as Environment;
    emulator.resetCalls();

    // Act
    const neighbour = await startNeighbour();
    const first = await Promise.all(
      invocations.map(({ secret, file, id }, index) =>
        invoke(environmentOf(index), sampleFor(file, secret, id), id)
      )
    );
    await neighbour.stop();
    const inProgress = invocations
      .map((invocation, index) => ({ invocation, index }))
      .filter(({ index }) => describeOutcome(first[index] as Outcome) === 'RemediationInProgress');
    const retried: Outcome[] = [];
    let pending = inProgress;
    for (let round = 0; round < 3 && pending.length > 0; round++) {
      await waitForLocksToExpire(() => readItems(dynalite.dynamoDb, tableName));
      const outcomes = await Promise.all(
        pending.map(({ invocation: { secret, file, id }, index }) =>
          invoke(environmentOf(index), sampleFor(file, secret, `${id}-${round}`), `${id}-${round}`)
        )
      );
      retried.push(...outcomes);
      pending = pending.filter(
        (_, i) => describeOutcome(outcomes[i] as Outcome) === 'RemediationInProgress'
      );
    }
    for (const environment of environments) environment.destroy();

    const ours = new Set(secrets.map((secret) => secret.arn));
    const ourCalls = emulator.calls.filter((c) => c.secretId !== undefined && ours.has(c.secretId));
    const applied = (arn: string, operation: string): number =>
      ourCalls.filter((c) => c.secretId === arn && c.operation === operation && c.applied).length;
    const notOnce = secrets.filter(
      (secret) =>
        applied(secret.arn, 'CancelRotateSecret') !== 1 ||
        applied(secret.arn, 'UpdateSecretVersionStage') !== 1
    );
    const wrong = secrets.filter(
      (secret) =>
        JSON.stringify(storedState(emulator, secret.arn)) !==
        JSON.stringify({
          labels: canonicalLabels({
            [secret.previousVersionId]: ['AWSPREVIOUS'],
            [secret.currentVersionId]: ['AWSCURRENT'],
          }),
          rotationEnabled: false,
        })
    );
    const locks = stuckLocks(await readItems(dynalite.dynamoDb, tableName), Date.now());
    const failures = [...first, ...retried]
      .map(describeOutcome)
      .filter((o) => !['remediated', 'already-clean', 'remediated (replayed)'].includes(o));
    const throttled = ourCalls.filter((c) => c.errorName === 'ThrottlingException');
    const escaped = capture
      .auditRecords()
      .filter((r) => r.event === 'secretsmanager.call' && r.errorName === 'ThrottlingException');
    const suppressedBy: Record<string, number> = {};
    for (const [index, { duplicate }] of invocations.entries()) {
      const outcome = describeOutcome(first[index] as Outcome);
      if (duplicate && outcome !== 'remediated') {
        suppressedBy[outcome] = (suppressedBy[outcome] ?? 0) + 1;
      }
    }
    const suppressed = Object.values(suppressedBy).reduce((a, b) => a + b, 0);
    writeCounters('load', {
      load: {
        invocations: invocations.length,
        secrets: secrets.length,
        duplicatesSuppressed: suppressed,
        suppressedBy,
        retried: inProgress.length,
        retriesSucceeded: retried.filter((outcome) => outcome.kind === 'report').length,
        throttlesAbsorbed: throttled.length,
        throttlingEscaped: escaped.length,
      },
      wrongStates: wrong.length,
      stuckLocks: locks.length,
    });

    // Assess
    expect(invocations).toHaveLength(200);
    expect(throttled.length).toBeGreaterThan(0);
    expect(escaped).toEqual([]);
    expect(failures.filter((f) => f !== 'RemediationInProgress')).toEqual([]);
    expect(pending).toEqual([]);
    expect(notOnce.map((s) => s.name)).toEqual([]);
    expect(suppressed).toBe(Load.duplicated * (Load.channels.length - 1));
    expect(wrong.map((s) => s.name)).toEqual([]);
    expect(locks).toEqual([]);
  });
});
