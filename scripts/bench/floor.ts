/**
 * The mission's floor of the cold-start benchmark (issue 16): a bundle (built like
 * `dist/handler.js` into `dist/bench/floor.js`) that constructs the least this mission needs at
 * module scope, and nothing else:
 *
 * - a `SecretsManagerClient`, with the handler's settings (src/aws/clients.ts);
 * - the Powertools `Logger`.
 *
 * No zod, no parser schema, no Metrics, nothing of ours: the handler's init and each path's
 * one-time cost are judged against this, so what our own choices cost is in the ratio.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The client, constructed as the handler constructs it. */
export const secretsManager = new SecretsManagerClient({
  maxAttempts: 5,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
});

/** The logger. */
export const logger = new Logger({ serviceName: 'rotation-remediator' });
