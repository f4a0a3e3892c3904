/**
 * The environment of a child process that talks to the same AWS endpoints as the test: the SDK's
 * endpoint variables, region and credentials of this process (set by the targets, or by
 * `npm run test:moto`), and nothing else of jest's.
 */

/** The SDK variables a child inherits when this process has them. */
const AWS_VARIABLES = [
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_ENDPOINT_URL_CLOUDTRAIL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
] as const;

/** The evidence settings test/setup-env.ts gives the whole suite: a child runs with the same. */
const SUITE_SETTINGS = ['ROTATION_GRACE_SECONDS', 'UNKNOWN_STEP_ACTION'] as const;

/** `PATH`, this process's AWS variables, then `extra` (which wins; `undefined` drops a variable). */
export const childAwsEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  for (const key of [...AWS_VARIABLES, ...SUITE_SETTINGS]) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return { ...env, ...extra };
};
