/**
 * Factories for the AWS clients. The handler creates them once per execution environment (the
 * Secrets Manager client on its first use, see ./on-first-use.ts); tests inject their own.
 * Endpoints, region and credentials come from the SDK's standard configuration chain
 * (`AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_REGION`, ...): nothing is hard-coded here.
 *
 * Retry and timeout settings are chosen for a function with a timeout of about 60 s; why each value
 * was chosen is in docs/reliability.md ("Client settings").
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type {
  SecretsManagerClient,
  SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';

/**
 * The Secrets Manager SDK, required when first needed: no module of ours imports a value from it,
 * so a cold start whose event never calls AWS does not initialise it.
 */
export const secretsManagerSdk = (): typeof import('@aws-sdk/client-secrets-manager') =>
  require('@aws-sdk/client-secrets-manager');

/** Retry and timeout settings of one AWS client. */
export interface ClientSettings {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** The SDK's retry mode. */
  retryMode: 'standard' | 'adaptive';
  /** ms to open a connection. */
  connectionTimeout: number;
  /** ms for one attempt, from sending the request to the end of the response; enforced. */
  requestTimeout: number;
}

/** Retry and timeout settings of the Secrets Manager client. */
export const secretsManagerClientSettings = {
  /**
   * One try plus four retries. Cancel and UpdateSecretVersionStage share 50 requests/s buckets with
   * every rotation Lambda of the account: five attempts absorb a burst of remediations (the
   * throttling backoff doubles from 1 s: at most 1 + 2 + 4 + 8 s of waiting per call).
   */
  maxAttempts: 5,
  /** Standard mode: backoff with jitter and a retry quota. Adaptive needs a long-lived, busy client. */
  retryMode: 'standard',
  /** ms to open a connection to the regional endpoint (or a VPC endpoint): a few ms when healthy. */
  connectionTimeout: 1_000,
  /** ms per attempt; metadata calls answer in tens of ms, so a slow attempt is retried, not awaited. */
  requestTimeout: 2_000,
} as const satisfies ClientSettings;

/** Retry and timeout settings of the DynamoDB client of the idempotency store. */
export const dynamoDbClientSettings = {
  /** One try plus two retries: a single-item write on an on-demand table rarely fails twice. */
  maxAttempts: 3,
  /** Standard mode, as for Secrets Manager. */
  retryMode: 'standard',
  /** ms to open a connection. */
  connectionTimeout: 1_000,
  /**
   * ms per attempt; single-item reads and writes answer in single-digit ms. Generous on purpose: a
   * lock write (PutItem) whose response comes late is retried, finds its own lock and answers 409.
   */
  requestTimeout: 2_000,
} as const satisfies ClientSettings;

/** Retry and timeout settings of the CloudTrail client (the failed-step history). */
export const cloudTrailClientSettings = {
  /** One try plus two retries: the look-up is an aid, never worth holding a remediation up. */
  maxAttempts: 3,
  /** Standard mode, as for Secrets Manager. */
  retryMode: 'standard',
  /** ms to open a connection. */
  connectionTimeout: 1_000,
  /**
   * ms per attempt. LookupEvents answers in hundreds of ms, but seconds have been reported in
   * busy regions: 5 s per attempt, about 17 s at worst with the backoff, inside the 60 s timeout.
   */
  requestTimeout: 5_000,
} as const satisfies ClientSettings;

/** The SDK configuration for a set of settings (the request timeout throws instead of warning). */
export const clientConfig = (settings: ClientSettings) => ({
  maxAttempts: settings.maxAttempts,
  retryMode: settings.retryMode,
  requestHandler: {
    connectionTimeout: settings.connectionTimeout,
    requestTimeout: settings.requestTimeout,
    throwOnRequestTimeout: true,
  },
});

/**
 * Creates the Secrets Manager client with the remediator's retry and timeout settings. `config`
 * adds to them (tests set an endpoint); `settings` replaces them (tests shorten a timeout).
 */
export const createSecretsManagerClient = (
  config: SecretsManagerClientConfig = {},
  settings: ClientSettings = secretsManagerClientSettings
): SecretsManagerClient =>
  new (secretsManagerSdk().SecretsManagerClient)({ ...clientConfig(settings), ...config });

/**
 * The configuration of the idempotency store's DynamoDB client. A plain object, so this module
 * does not load the DynamoDB client: that loads only when a remediation is about to write.
 */
export const dynamoDbClientConfig = (
  config: DynamoDBClientConfig = {},
  settings: ClientSettings = dynamoDbClientSettings
): DynamoDBClientConfig => ({ ...clientConfig(settings), ...config });

/**
 * The configuration of the CloudTrail client of the failed-step look-up. A plain object, so this
 * module does not load the CloudTrail client: that loads only when a step is looked up.
 */
export const cloudTrailClientConfig = (
  settings: ClientSettings = cloudTrailClientSettings
): ReturnType<typeof clientConfig> => clientConfig(settings);
