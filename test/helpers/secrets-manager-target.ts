/**
 * The Secrets Manager the integration tests run against: the endpoint in
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` when it is set (LocalStack, moto, a real account), otherwise
 * our emulator on a free loopback port. Either way the SDK's own configuration chain finds it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type {
  FailedRotationStep,
  SecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';
import {
  EventBridgeService,
  startSecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';
import { rotationFunctionArn } from './rotation-function.js';

/** A running target. */
export interface SecretsManagerTarget {
  /** True when the tests run against an endpoint given from outside. */
  external: boolean;
  /** The emulator, when the tests started one. */
  emulator: SecretsManagerEmulator | undefined;
  /** Its EventBridge (PutEvents, at `AWS_ENDPOINT_URL_EVENTBRIDGE`), when the tests started one. */
  eventBridge: EventBridgeService | undefined;
  /** A client of the tests' own, for seeding and reading back. */
  client: SecretsManagerClient;
  /** Deletes what the tests created (external endpoints) and stops the emulator. */
  stop(): Promise<void>;
  /** Remembers a secret to delete at the end (external endpoints). */
  track(secretId: string): void;
}

/** Sets dummy region and credentials unless the environment already has them. */
const ensureLocalDefaults = (): void => {
  process.env.AWS_REGION ??= 'us-east-1';
  if (process.env.AWS_PROFILE === undefined) {
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  }
};

/** Starts the target; call `stop()` in `afterAll`. */
export const startSecretsManagerTarget = async (
  options: Parameters<typeof startSecretsManagerEmulator>[0] = {}
): Promise<SecretsManagerTarget> => {
  const externalEndpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  const emulator =
    externalEndpoint === undefined ? await startSecretsManagerEmulator(options) : undefined;
  const eventBridge = emulator?.addService(new EventBridgeService());
  if (emulator !== undefined) {
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = emulator.endpoint;
    process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = emulator.endpoint;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = emulator.endpoint;
    process.env.AWS_REGION = emulator.region;
  }
  ensureLocalDefaults();
  const client = new SecretsManagerClient({});
  const created: string[] = [];
  return {
    external: emulator === undefined,
    emulator,
    eventBridge,
    client,
    track: (secretId) => {
      created.push(secretId);
    },
    stop: async () => {
      if (emulator === undefined) {
        await Promise.allSettled(
          created.map((id) =>
            client.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }))
          )
        );
      } else {
        await emulator.stop();
        delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
        delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
        delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
      }
      client.destroy();
    },
  };
};

/** A unique secret name, safe on any endpoint. */
export const uniqueName = (prefix: string): string =>
  `rr-test/${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/** Version ids of a seeded secret. */
export interface SeededSecret {
  arn: string;
  name: string;
  previousVersionId: string;
  currentVersionId: string;
  pendingVersionId: string;
}

const newValue = (): string => JSON.stringify({ username: 'app', password: randomUUID() });

/** The versions every seed makes, as ClientRequestTokens chosen here. */
const newVersionIds = () => ({
  previousVersionId: randomUUID(),
  currentVersionId: randomUUID(),
  pendingVersionId: randomUUID(),
});

/** PutSecretValue twice: a new AWSCURRENT, then AWSPENDING on a third version. */
const putCurrentAndPending = async (
  target: SecretsManagerTarget,
  name: string,
  ids: ReturnType<typeof newVersionIds>
): Promise<void> => {
  await target.client.send(
    new PutSecretValueCommand({
      SecretId: name,
      ClientRequestToken: ids.currentVersionId,
      SecretString: newValue(),
    })
  );
  await target.client.send(
    new PutSecretValueCommand({
      SecretId: name,
      ClientRequestToken: ids.pendingVersionId,
      SecretString: newValue(),
      VersionStages: ['AWSPENDING'],
    })
  );
};

/** CreateSecret with the first version; the secret is deleted at the end (external endpoints). */
const createSecret = async (
  target: SecretsManagerTarget,
  name: string,
  versionId: string,
  tags: Record<string, string>
): Promise<string> => {
  const created = await target.client.send(
    new CreateSecretCommand({
      Name: name,
      ClientRequestToken: versionId,
      SecretString: newValue(),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    })
  );
  target.track(created.ARN ?? name);
  return created.ARN ?? '';
};

/**
 * Seeds a stuck secret with public calls only, so it works on any endpoint: AWSPREVIOUS, AWSCURRENT,
 * and AWSPENDING on a third version (PutSecretValue with `VersionStages: ["AWSPENDING"]`).
 * Rotation is not configured (see {@link seedFailedRotation} for a secret with rotation enabled).
 */
export const seedStuckWithPublicCalls = async (
  target: SecretsManagerTarget,
  name: string,
  tags: Record<string, string> = {}
): Promise<SeededSecret> => {
  const ids = newVersionIds();
  const arn = await createSecret(target, name, ids.previousVersionId, tags);
  await putCurrentAndPending(target, name, ids);
  return { arn, name, ...ids };
};

/** The tag through which an implementation that allows it (moto) marks a secret service-managed. */
const OWNING_SERVICE_TAG = 'aws:secretsmanager:owningService';

/** What {@link seedFailedRotation} seeds. */
export interface FailedRotationSeed {
  name: string;
  /** The step the rotation failed at (the emulator records it; elsewhere only events carry it). */
  step: FailedRotationStep;
  /** Managed by another service (`OwningService` from the `rds!`-style name prefix). */
  managed?: boolean;
  /**
   * Whether the failure left its RotationFailed record in CloudTrail's history (default true: the
   * emulator records it; public calls never make one, so elsewhere there is none).
   */
  failureRecord?: boolean;
}

/**
 * Enables rotation with RotateSecret (`RotateImmediately: false`, the test rotation function from
 * {@link rotationFunctionArn}), then leaves AWSPENDING on a third version: a failed rotation.
 */
const seedFailedRotationWithPublicCalls = async (
  target: SecretsManagerTarget,
  seed: FailedRotationSeed
): Promise<SeededSecret> => {
  const ids = newVersionIds();
  const region = await target.client.config.region();
  const owningService = seed.name.split('!')[0] ?? '';
  const tags: Record<string, string> =
    seed.managed === true ? { [OWNING_SERVICE_TAG]: owningService } : {};
  const RotationLambdaARN = await rotationFunctionArn(region);
  const arn = await createSecret(target, seed.name, ids.previousVersionId, tags);
  await target.client
    .send(
      new RotateSecretCommand({
        SecretId: seed.name,
        RotationLambdaARN,
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediately: false,
      })
    )
    .catch((error: unknown) => {
      throw new Error(
        `RotateSecret with ${RotationLambdaARN} failed (${(error as Error).name}). Against moto, ` +
          'Lambda must run without Docker: POST {"lambda": {"use_docker": false}} to ' +
          '<endpoint>/moto-api/config first (npm run test:moto does).',
        { cause: error }
      );
    });
  await putCurrentAndPending(target, seed.name, ids);
  return { arn, name: seed.name, ...ids };
};

/**
 * Seeds a failed rotation (rotation enabled, AWSPENDING off AWSCURRENT). The emulator seeds it in
 * its store; any other endpoint gets public calls only: RotateSecret with a rotation function
 * registered through the Lambda API, then PutSecretValue. A managed secret (`OwningService`, from
 * the tag moto accepts) is one whose service lets the cancel through: moto never refuses it.
 */
export const seedFailedRotation = async (
  target: SecretsManagerTarget,
  seed: FailedRotationSeed
): Promise<SeededSecret> => {
  if (target.emulator === undefined) return seedFailedRotationWithPublicCalls(target, seed);
  const seeded = target.emulator.store.seedFailedRotation({
    name: seed.name,
    step: seed.step,
    ...(seed.managed === true ? { kind: 'managed', managedAllowsCancel: true } : {}),
    ...(seed.failureRecord === false ? { failureRecord: false } : {}),
  });
  return { ...seeded, pendingVersionId: seeded.pendingVersionId ?? '' };
};

/** Tests that do not run against an external endpoint, and why. */
export interface NotRun {
  /** `not run`: not declared at all; `own emulator`: run, against an emulator of their own. */
  kind: 'not run' | 'own emulator';
  file: string;
  group: string;
  reason: string;
}

/**
 * Records tests that do not run against an external endpoint: in the file named by
 * `RR_NOT_RUN_FILE` (JSON lines, which `npm run test:moto` prints at the end), otherwise on stdout.
 * Nothing is recorded when the tests run against the emulator anyway.
 */
const recordNotRun = (entry: Omit<NotRun, 'file'>): void => {
  if (process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER === undefined) return;
  const record: NotRun = { ...entry, file: basename(expect.getState().testPath ?? 'unknown') };
  const file = process.env.RR_NOT_RUN_FILE;
  if (file !== undefined) {
    appendFileSync(file, `${JSON.stringify(record)}\n`);
    return;
  }
  process.stdout.write(
    `External endpoint: ${record.kind}: ${record.file} › ${record.group} (${record.reason})\n`
  );
};

/**
 * Declares tests that need what only the emulator can do: fault injection and race hooks. Against
 * an external endpoint they are not declared; the group and its reason are recorded instead.
 */
export const describeEmulatorOnly = (name: string, reason: string, body: () => void): void => {
  if (process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER === undefined) {
    describe(name, body);
    return;
  }
  recordNotRun({ kind: 'not run', group: name, reason });
};

/**
 * Notes tests that always run against an emulator of their own, whatever the endpoint (call it
 * where they are declared): recorded with the reason when the suite runs against an external one.
 */
export const noteOwnEmulator = (group: string, reason: string): void => {
  recordNotRun({ kind: 'own emulator', group, reason });
};
