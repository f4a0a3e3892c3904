/**
 * Secrets Manager events delivered by EventBridge (`source: aws.secretsmanager`). Service events via
 * CloudTrail whose `eventName` is in `ACT_ON_EVENTS` (default `RotationFailed`) become a request;
 * other service events and API calls are ignored; any other detail-type is rejected.
 */
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { RotationStep } from '../remediation/types.js';
import { RotationStep as RotationSteps, TriggerName } from '../remediation/types.js';
import { parseOrThrow, secretIdSchema } from './command-schema.js';
import type { TriggerAdapter } from './types.js';
import { isRecord, passThroughResponses } from './types.js';

/** `source` of Secrets Manager events. */
export const SECRETS_MANAGER_SOURCE = 'aws.secretsmanager';

/** The detail-types Secrets Manager events arrive with. */
export const SecretsManagerDetailType = {
  ServiceEvent: 'AWS Service Event via CloudTrail',
  ApiCall: 'AWS API Call via CloudTrail',
} as const;
/** One of {@link SecretsManagerDetailType}. */
export type SecretsManagerDetailType =
  (typeof SecretsManagerDetailType)[keyof typeof SecretsManagerDetailType];

const steps: readonly string[] = Object.values(RotationSteps);
const STEP_PATTERN = /\bduring ([A-Za-z]+) step\b/g;

/**
 * The rotation step a RotationFailed `errorMessage` names (`... during setSecret step`): one of the
 * four steps, case-sensitive. Anything else, or a message naming two different steps, gives
 * undefined (the step is then unknown: never guessed).
 */
export const parseFailedStep = (message: string | undefined): RotationStep | undefined => {
  if (typeof message !== 'string') return undefined;
  const named = new Set(
    Array.from(message.matchAll(STEP_PATTERN), (match) => match[1] ?? '').filter((step) =>
      steps.includes(step)
    )
  );
  const [step] = named;
  return named.size === 1 ? (step as RotationStep) : undefined;
};

const eventNameSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z]{1,64}$/, { error: 'must be an event name of 1-64 letters' });

/** The envelope of every Secrets Manager event (Powertools EventBridgeSchema). */
export const SecretsManagerEventSchema = EventBridgeSchema.extend({
  source: z.literal(SECRETS_MANAGER_SOURCE),
});

/** Schema of a Secrets Manager service event via CloudTrail (RotationFailed, RotationSucceeded...). */
export const SecretsManagerServiceEventSchema = SecretsManagerEventSchema.extend({
  'detail-type': z.literal(SecretsManagerDetailType.ServiceEvent),
  detail: z.object({
    eventName: eventNameSchema,
    additionalEventData: z
      .object({ SecretId: secretIdSchema.optional() }, { error: 'must be an object' })
      .nullish(),
    serviceEventDetails: z
      .object({ secretId: secretIdSchema.optional() }, { error: 'must be an object' })
      .nullish(),
    errorMessage: z.string({ error: 'must be a string' }).nullish(),
  }),
});
/** Adapter for Secrets Manager events from EventBridge (RotationFailed and friends). */
export const rotationEventTrigger: TriggerAdapter = {
  name: TriggerName.RotationFailed,
  matches: (event) =>
    isRecord(event) && !('secretId' in event) && event.source === SECRETS_MANAGER_SOURCE,
  toCommand: (event, _context, config) => {
    const envelope = parseOrThrow(SecretsManagerEventSchema, event);
    if (envelope['detail-type'] === SecretsManagerDetailType.ApiCall) {
      return {
        kind: 'ignore',
        ignored: {
          status: 'ignored',
          reason: 'Secrets Manager API call event: API calls are not rotation outcomes.',
        },
        correlationId: envelope.id,
      };
    }
    if (envelope['detail-type'] !== SecretsManagerDetailType.ServiceEvent) {
      throw new ValidationError(
        `Invalid request: detail-type: must be "${SecretsManagerDetailType.ServiceEvent}" or "${SecretsManagerDetailType.ApiCall}" for a Secrets Manager event.`
      );
    }
    const { id, detail } = parseOrThrow(SecretsManagerServiceEventSchema, event);
    if (!config.actOnEvents.includes(detail.eventName)) {
      return {
        kind: 'ignore',
        ignored: {
          status: 'ignored',
          reason: `Secrets Manager ${detail.eventName} event: only ${config.actOnEvents.join(', ')} start a remediation (ACT_ON_EVENTS).`,
        },
        correlationId: id,
      };
    }
    const secretId = detail.additionalEventData?.SecretId ?? detail.serviceEventDetails?.secretId;
    if (secretId === undefined) {
      throw new ValidationError(
        'Invalid request: detail.additionalEventData.SecretId: is required (and detail.serviceEventDetails.secretId is absent too).'
      );
    }
    const failedStep = parseFailedStep(detail.errorMessage ?? undefined);
    return {
      kind: 'remediate',
      request: {
        secretId,
        dryRun: false,
        pendingAction: config.defaultPendingAction,
        failedStep,
        reason: `Secrets Manager ${detail.eventName} event${failedStep === undefined ? '' : ` (failed at ${failedStep})`}`,
        trigger: TriggerName.RotationFailed,
        correlationId: id,
        requestedBy: `events.amazonaws.com/${detail.eventName}`,
      },
    };
  },
  ...passThroughResponses,
};
