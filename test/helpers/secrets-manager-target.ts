/**
 * The Secrets Manager the integration tests run against: the endpoint in
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` when it is set (LocalStack, moto, a real account), otherwise
 * our emulator on a free loopback port. Either way the SDK's own configuration chain finds it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';

/** A running target. */
export interface SecretsManagerTarget {
  /** True when the tests run against an endpoint given from outside. */
  external: boolean;
  /** The emulator, when the tests started one. */
  emulator: SecretsManagerEmulator | undefined;
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
  if (emulator !== undefined) {
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = emulator.endpoint;
    process.env.AWS_REGION = emulator.region;
  }
  ensureLocalDefaults();
  const client = new SecretsManagerClient({});
  const created: string[] = [];
  return {
    external: emulator === undefined,
    emulator,
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

/**
 * Seeds a stuck secret with public calls only, so it works on any endpoint: AWSPREVIOUS, AWSCURRENT,
 * and AWSPENDING on a third version (PutSecretValue with `VersionStages: ["AWSPENDING"]`).
 * Rotation is not configured: public calls cannot enable it without a rotation Lambda.
 */
export const seedStuckWithPublicCalls = async (
  target: SecretsManagerTarget,
  name: string,
  tags: Record<string, string> = {}
): Promise<SeededSecret> => {
  const [previousVersionId, currentVersionId, pendingVersionId] = [
    randomUUID(),
    randomUUID(),
    randomUUID(),
  ];
  const created = await target.client.send(
    new CreateSecretCommand({
      Name: name,
      ClientRequestToken: previousVersionId,
      SecretString: JSON.stringify({ username: 'app', password: randomUUID() }),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    })
  );
  target.track(created.ARN ?? name);
  await target.client.send(
    new PutSecretValueCommand({
      SecretId: name,
      ClientRequestToken: currentVersionId,
      SecretString: JSON.stringify({ username: 'app', password: randomUUID() }),
    })
  );
  await target.client.send(
    new PutSecretValueCommand({
      SecretId: name,
      ClientRequestToken: pendingVersionId,
      SecretString: JSON.stringify({ username: 'app', password: randomUUID() }),
      VersionStages: ['AWSPENDING'],
    })
  );
  return {
    arn: created.ARN ?? '',
    name,
    previousVersionId,
    currentVersionId,
    pendingVersionId,
  };
};

/** Scenarios that need the emulator, recorded when the tests run against an external endpoint. */
export const emulatorOnlyScenarios: string[] = [];

/**
 * Declares tests that need a state only the emulator can make. Against an external endpoint they
 * are not declared; their names are counted and printed at the end of the file.
 */
export const describeWithEmulator = (
  target: () => SecretsManagerTarget | undefined,
  name: string,
  body: () => void
): void => {
  if (process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER === undefined) {
    describe(name, body);
    return;
  }
  emulatorOnlyScenarios.push(name);
  afterAll(() => {
    if (target()?.external && emulatorOnlyScenarios.length > 0) {
      process.stdout.write(
        `External endpoint: ${emulatorOnlyScenarios.length} emulator-only scenario group(s) not run: ${emulatorOnlyScenarios.join(', ')}\n`
      );
      emulatorOnlyScenarios.length = 0;
    }
  });
};
