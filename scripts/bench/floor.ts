/**
 * The dependency floor of the cold-start benchmark: a bundle (built like `dist/handler.js` into
 * `dist/bench/floor.js`) that imports and constructs what `src/handler.ts` constructs at module
 * scope from its dependencies, and nothing of ours:
 *
 * - a `SecretsManagerClient` (the DynamoDB client is created lazily by the handler, on the first
 *   remediation that writes, so it is not part of the floor);
 * - the Powertools `Logger` and `Metrics`;
 * - the Powertools parser schemas the trigger adapters import at module scope (EventBridge, API
 *   Gateway REST and HTTP API, function URL), and zod, which they are built with;
 * - the Powertools commons environment helper the idempotency settings read at start-up.
 *
 * The difference between the bundle's init time and this one's is our own code's share.
 */
import { getBooleanFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas/api-gateway';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

/** The parser schemas, kept so the bundler cannot drop them. */
export const schemas = [
  EventBridgeSchema,
  APIGatewayProxyEventSchema,
  APIGatewayProxyEventV2Schema,
  LambdaFunctionUrlSchema,
  z.strictObject({ secretId: z.string() }),
] as const;

/** The same environment read the handler makes at start-up. */
export const idempotencyDisabled = getBooleanFromEnv({
  key: 'POWERTOOLS_IDEMPOTENCY_DISABLED',
  defaultValue: false,
  extendedParsing: true,
});

/** The clients and utilities, constructed as the handler constructs them. */
export const secretsManager = new SecretsManagerClient({
  maxAttempts: 5,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
});

/** The logger. */
export const logger = new Logger({ serviceName: 'rotation-remediator' });

/** The metrics emitter. */
export const metrics = new Metrics({
  namespace: 'RotationRemediator',
  serviceName: 'rotation-remediator',
});
