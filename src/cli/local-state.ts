/**
 * The small state file `npm run local` writes while it runs (endpoints, region, table) and the
 * CLI's `--local` reads. Default path `.tmp/local.json` in the project; `RR_LOCAL_STATE` overrides.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/** Environment variable that overrides the state file's path. */
export const LOCAL_STATE_ENV = 'RR_LOCAL_STATE';

/** What `npm run local` records about the running environment. */
export const localStateSchema = z.object({
  pid: z.number().int().positive(),
  region: z.string().min(1),
  tableName: z.string().min(1),
  endpoints: z.object({ secretsManager: z.url(), dynamoDb: z.url() }),
  credentials: z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }),
  startedAt: z.string(),
});

/** A parsed state file. */
export type LocalState = z.infer<typeof localStateSchema>;

/**
 * Path of the state file: `RR_LOCAL_STATE`, or `.tmp/local.json` in the project (`projectDir`:
 * the directory above `dist/`, where the bundles run from).
 */
export const localStatePath = (env: NodeJS.ProcessEnv, projectDir: string): string =>
  env[LOCAL_STATE_ENV]?.trim() || resolve(projectDir, '.tmp', 'local.json');

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Reads the state file of a running `npm run local`; throws a one-line explanation otherwise. */
export const readLocalState = (path: string): LocalState => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(
      `--local needs a running \`npm run local\` (no state file at ${path}); start it in another terminal.`
    );
  }
  let state: LocalState;
  try {
    state = localStateSchema.parse(JSON.parse(text));
  } catch {
    throw new Error(`--local: the state file ${path} is not one \`npm run local\` wrote.`);
  }
  if (!isAlive(state.pid)) {
    throw new Error(
      `--local: \`npm run local\` (pid ${state.pid}) is no longer running; start it again.`
    );
  }
  return state;
};

/** The environment variables that point the SDK at the local endpoints. */
export const localStateEnv = (state: LocalState): Record<string, string> => ({
  AWS_ENDPOINT_URL_SECRETS_MANAGER: state.endpoints.secretsManager,
  AWS_ENDPOINT_URL_CLOUDTRAIL: state.endpoints.secretsManager,
  AWS_ENDPOINT_URL_DYNAMODB: state.endpoints.dynamoDb,
  // the emulator serves EventBridge's PutEvents too: EVENT_BUS_NAME=default puts events there
  AWS_ENDPOINT_URL_EVENTBRIDGE: state.endpoints.secretsManager,
  AWS_REGION: state.region,
  AWS_ACCESS_KEY_ID: state.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: state.credentials.secretAccessKey,
});
