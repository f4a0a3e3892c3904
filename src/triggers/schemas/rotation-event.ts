/**
 * The schemas of Secrets Manager events (../rotation-event.ts), loaded on the first such event:
 * the EventBridge envelope with `source: aws.secretsmanager`, and the service event via CloudTrail.
 */

import * as z from 'zod/mini';
import { secretIdSchema } from '../command-schema.js';
import { SECRETS_MANAGER_SOURCE, SecretsManagerDetailType } from '../event-constants.js';
import { EventBridgeEnvelopeSchema } from './eventbridge.js';
import { text } from './mini.js';

const eventNameSchema = text().check(
  z.regex(/^[A-Za-z]{1,64}$/, { error: 'must be an event name of 1-64 letters' })
);

/** The envelope of every Secrets Manager event (Powertools EventBridgeSchema). */
export const SecretsManagerEventSchema = z.extend(EventBridgeEnvelopeSchema, {
  source: z.literal(SECRETS_MANAGER_SOURCE),
});

/** Schema of a Secrets Manager service event via CloudTrail (RotationFailed, RotationSucceeded...). */
export const SecretsManagerServiceEventSchema = z.extend(SecretsManagerEventSchema, {
  'detail-type': z.literal(SecretsManagerDetailType.ServiceEvent),
  detail: z.object({
    eventName: eventNameSchema,
    additionalEventData: z.nullish(
      z.object({ SecretId: z.optional(secretIdSchema) }, { error: 'must be an object' })
    ),
    serviceEventDetails: z.nullish(
      z.object({ secretId: z.optional(secretIdSchema) }, { error: 'must be an object' })
    ),
    errorMessage: z.nullish(text()),
    requestID: z.nullish(
      text().check(z.maxLength(4096, { error: 'must be at most 4096 characters' }))
    ),
  }),
});
