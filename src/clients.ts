/**
 * Factories for the AWS clients. The handler creates them once at module scope; tests inject their
 * own. Endpoints, region and credentials come from the SDK's standard configuration chain
 * (`AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_REGION`, ...): nothing is hard-coded here.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Retry and timeout settings of the Secrets Manager client. */
export const secretsManagerClientSettings = {
  /** One try plus two retries: throttling and 5xx recover, a dead endpoint fails fast. */
  maxAttempts: 3,
  /** Standard mode: exponential backoff with jitter and a retry quota. */
  retryMode: 'standard',
  /** ms to open a connection (loopback or the regional endpoint). */
  connectionTimeout: 3_000,
  /** ms for a response; Secrets Manager metadata calls answer in tens of ms. */
  requestTimeout: 5_000,
} as const;

/** Creates the Secrets Manager client with the remediator's retry and timeout settings. */
export const createSecretsManagerClient = (): SecretsManagerClient =>
  new SecretsManagerClient({
    maxAttempts: secretsManagerClientSettings.maxAttempts,
    retryMode: secretsManagerClientSettings.retryMode,
    requestHandler: {
      connectionTimeout: secretsManagerClientSettings.connectionTimeout,
      requestTimeout: secretsManagerClientSettings.requestTimeout,
    },
  });
