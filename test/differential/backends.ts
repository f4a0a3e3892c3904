/**
 * The two Secrets Manager backends the differential test compares: our emulator and moto_server
 * (with a registered rotation Lambda that moto "invokes" without Docker).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { startMotoServer } from '../../tools/moto-server.js';

/** Region and account both backends use (moto's default account). */
export const DIFF_REGION = 'us-east-1';
const ACCOUNT_ID = '123456789012';
const FUNCTION_NAME = 'diff-rotator';
const ROLE_NAME = 'diff-rotator-role';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
/** An empty zip archive (moto stores the code; nothing runs it). */
const EMPTY_ZIP_BASE64 = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';

/** The rotation Lambda ARN the script rotates with (registered in moto; the emulator invokes none). */
export const ROTATION_LAMBDA_ARN = `arn:aws:lambda:${DIFF_REGION}:${ACCOUNT_ID}:function:${FUNCTION_NAME}`;

/** Which implementation a backend is. */
export type BackendName = 'emulator' | 'moto';

/** A running backend and a real SDK client for it. */
export interface Backend {
  name: BackendName;
  client: SecretsManagerClient;
  stop(): Promise<void>;
}

const clientFor = (endpoint: string): SecretsManagerClient =>
  new SecretsManagerClient({
    endpoint,
    region: DIFF_REGION,
    credentials: { ...CREDENTIALS },
    maxAttempts: 1,
  });

/** An Authorization header moto routes by (it checks no signature). */
const unsignedAuth = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20240101/${DIFF_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/** POSTs to moto and fails unless it answers 2xx. */
const motoPost = async (
  url: string,
  headers: Record<string, string>,
  body: string
): Promise<void> => {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto set-up ${url} → ${response.status}: ${text}`);
};

/** Switches moto to its Docker-free Lambda and registers the rotation function (role first). */
const registerRotationLambda = async (endpoint: string): Promise<void> => {
  await motoPost(
    `${endpoint}/moto-api/config`,
    {},
    JSON.stringify({ lambda: { use_docker: false } })
  );
  const role = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: ROLE_NAME,
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
  });
  await motoPost(
    `${endpoint}/`,
    { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: unsignedAuth('iam') },
    role.toString()
  );
  await motoPost(
    `${endpoint}/2015-03-31/functions`,
    { 'Content-Type': 'application/json', Authorization: unsignedAuth('lambda') },
    JSON.stringify({
      FunctionName: FUNCTION_NAME,
      Runtime: 'python3.12',
      Role: `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`,
      Handler: 'index.handler',
      Code: { ZipFile: EMPTY_ZIP_BASE64 },
    })
  );
};

/** Starts our emulator on a free loopback port. */
export const startEmulatorBackend = async (): Promise<Backend> => {
  const emulator = await startSecretsManagerEmulator({
    region: DIFF_REGION,
    accountId: ACCOUNT_ID,
  });
  const client = clientFor(emulator.endpoint);
  return {
    name: 'emulator',
    client,
    stop: async () => {
      client.destroy();
      await emulator.stop();
    },
  };
};

/** Starts moto_server on a free loopback port, with the rotation Lambda registered. */
export const startMotoBackend = async (): Promise<Backend> => {
  const server = await startMotoServer({ region: DIFF_REGION });
  try {
    await registerRotationLambda(server.endpoint);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const client = clientFor(server.endpoint);
  return {
    name: 'moto',
    client,
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
};
