/**
 * An emulator of the test file's own, for tests that need its switches (CloudTrail records,
 * failing test rotations) whatever endpoint the suite runs against: the SDK's endpoint variables
 * (and `env`) point at it for the file's duration, and are restored afterwards.
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';

/** The emulator of the file, and the environment a CLI child process needs to reach it. */
export interface OwnEmulator {
  readonly emulator: SecretsManagerEmulator;
  cliEnv(): NodeJS.ProcessEnv;
}

/** Starts the file's emulator in `region` before all its tests and stops it after them. */
export const useOwnEmulator = (region: string, env: Record<string, string> = {}): OwnEmulator => {
  let running: SecretsManagerEmulator | undefined;
  const variables = (emulator: SecretsManagerEmulator): Record<string, string> => ({
    AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.endpoint,
    AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.endpoint,
    AWS_REGION: emulator.region,
    POWERTOOLS_IDEMPOTENCY_DISABLED: 'true',
    ...env,
  });
  let saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    running = await startSecretsManagerEmulator({ region });
    const set = variables(running);
    saved = Object.fromEntries(Object.keys(set).map((key) => [key, process.env[key]]));
    Object.assign(process.env, set);
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  });
  afterAll(async () => {
    await running?.stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  const emulator = (): SecretsManagerEmulator => {
    if (running === undefined) throw new Error('the emulator starts in beforeAll');
    return running;
  };
  return {
    get emulator() {
      return emulator();
    },
    cliEnv: () => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...variables(emulator()),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    }),
  };
};
