/**
 * Secrets Manager events delivered by EventBridge (`source: aws.secretsmanager`). Service events via
 * CloudTrail whose `eventName` is in `ACT_ON_EVENTS` (default `RotationFailed`) become a request;
 * other service events and API calls are ignored; any other detail-type is rejected. The schemas
 * (./schemas/rotation-event.ts) load on the first Secrets Manager event.
 */
import { maskCredentials } from '../audit/redact.js';
import { ValidationError } from '../errors.js';
import { parseFailedStep } from '../remediation/failed-step.js';
import { TriggerName } from '../remediation/types.js';
import type { RemediatorConfig } from '../settings.js';
import { assertTrustedAccount } from './account.js';
import { SECRETS_MANAGER_SOURCE, SecretsManagerDetailType } from './event-constants.js';
import type * as RotationEventSchemas from './schemas/rotation-event.js';
import type { TriggerAdapter, TriggerCommand } from './types.js';
import { isRecord, passThroughResponses } from './types.js';
import { once, parseOrThrow } from './validation.js';

/** The schemas of Secrets Manager events, loaded on first use. */
export const rotationEventSchemas = once((): typeof RotationEventSchemas =>
  require('./schemas/rotation-event.js')
);

/**
 * The command of a Secrets Manager service event: a remediation for an event named in
 * `ACT_ON_EVENTS`, ignored otherwise. The request carries what ties the event to its failure.
 */
const serviceEventCommand = (event: unknown, config: RemediatorConfig): TriggerCommand => {
  const { SecretsManagerServiceEventSchema } = rotationEventSchemas();
  const { id, time, detail } = parseOrThrow(SecretsManagerServiceEventSchema, event);
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
  const testRotationFailed = detail.eventName === 'TestRotationFailed';
  const failedStep = parseFailedStep(detail.errorMessage ?? undefined);
  return {
    kind: 'remediate',
    request: {
      secretId,
      dryRun: false,
      pendingAction: testRotationFailed ? 'discard' : config.defaultPendingAction,
      failedStep,
      testRotationFailed: testRotationFailed ? true : undefined,
      // what ties the event to the failure it reports (src/remediation/evidence.ts); the ids
      // travel into responses and events, so a credential planted in them is masked here
      failureEvent: {
        eventName: detail.eventName,
        time,
        id: maskCredentials(id),
        requestId:
          detail.requestID === undefined || detail.requestID === null
            ? undefined
            : maskCredentials(detail.requestID),
      },
      reason: `Secrets Manager ${detail.eventName} event${failedStep === undefined ? '' : ` (failed at ${failedStep})`}`,
      trigger: TriggerName.RotationFailed,
      correlationId: id,
      requestedBy: `events.amazonaws.com/${detail.eventName}`,
    },
  };
};

/** Adapter for Secrets Manager events from EventBridge (RotationFailed and friends). */
export const rotationEventTrigger: TriggerAdapter = {
  name: TriggerName.RotationFailed,
  matches: (event) =>
    isRecord(event) && !('secretId' in event) && event.source === SECRETS_MANAGER_SOURCE,
  toCommand: (event, context, config) => {
    const { SecretsManagerEventSchema } = rotationEventSchemas();
    const envelope = parseOrThrow(SecretsManagerEventSchema, event);
    assertTrustedAccount(envelope.account, 'account', context, config);
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
    return serviceEventCommand(event, config);
  },
  ...passThroughResponses,
};
