/**
 * CloudWatch alarms on failed rotations, in the two shapes an alarm can reach the function:
 * the EventBridge "CloudWatch Alarm State Change" event, and the alarm's own Lambda action payload.
 *
 * The secret is read from the alarm's metric dimensions (`SecretId`, `SecretArn`, `SecretName`) or,
 * when no metric names one (composite alarms), from the alarm's `SecretId` tag. It is never guessed
 * from the alarm name, and an alarm that names two different secrets is rejected. The schemas
 * (./schemas/alarm.ts) load on the first alarm.
 */
import { ValidationError } from '../errors.js';
import { TriggerName } from '../remediation/types.js';
import type { RemediatorConfig } from '../settings.js';
import { assertTrustedAccount } from './account.js';
import {
  ALARM_STATE_CHANGE_DETAIL_TYPE,
  AlarmStateValue,
  CLOUDWATCH_SOURCE,
} from './event-constants.js';
import type * as AlarmSchemas from './schemas/alarm.js';
import type { AlarmCore } from './schemas/alarm.js';
import type { TriggerAdapter, TriggerCommand } from './types.js';
import { isRecord, passThroughResponses } from './types.js';
import { commandSchemas, once, parseOrThrow } from './validation.js';

/** Metric dimensions that name the secret, in the order they are reported. */
export const SECRET_DIMENSION_NAMES = ['SecretId', 'SecretArn', 'SecretName'] as const;

/** The alarm tag that names the secret (EventBridge events with alarm tag propagation). */
export const SECRET_TAG_KEY = 'SecretId';

/** The longest alarm name copied into a request's reason. */
export const MAX_ALARM_NAME_IN_REASON = 256;

/** The schemas of both alarm shapes, loaded on first use. */
export const alarmSchemas = once((): typeof AlarmSchemas => require('./schemas/alarm.js'));

/** The parts of an alarm a secret id is read from. */
export interface AlarmSecretSource {
  configuration: {
    metrics?:
      | readonly { metricStat?: { metric: { dimensions?: Record<string, unknown> } } }[]
      | undefined;
  };
  alarmTags?: Record<string, unknown> | undefined;
}

const own = (record: Record<string, unknown>, key: string): boolean => Object.hasOwn(record, key);

/**
 * Finds the one secret an alarm is about: the `SecretId`, `SecretArn` or `SecretName` dimension of
 * any metric (metric-math expression entries are skipped), and the alarm's `SecretId` tag. Throws a
 * {@link ValidationError} naming the field when none is found, when one is not a valid secret id,
 * or when they name different secrets. `field` prefixes the field names in messages.
 */
export const findAlarmSecretId = (alarm: AlarmSecretSource, field: string): string => {
  const found: { field: string; value: unknown }[] = [];
  (alarm.configuration.metrics ?? []).forEach((metric, index) => {
    const dimensions = metric.metricStat?.metric.dimensions;
    if (dimensions === undefined) return;
    for (const name of SECRET_DIMENSION_NAMES) {
      if (own(dimensions, name)) {
        found.push({
          field: `${field}.configuration.metrics.${index}.metricStat.metric.dimensions.${name}`,
          value: dimensions[name],
        });
      }
    }
  });
  if (alarm.alarmTags !== undefined && own(alarm.alarmTags, SECRET_TAG_KEY)) {
    found.push({
      field: `${field}.alarmTags.${SECRET_TAG_KEY}`,
      value: alarm.alarmTags[SECRET_TAG_KEY],
    });
  }
  const { secretIdSchema } = commandSchemas();
  const [first, ...rest] = found.map((entry) =>
    parseOrThrow(secretIdSchema, entry.value, entry.field)
  );
  if (first === undefined) {
    throw new ValidationError(
      `Invalid request: ${field}: the alarm names no secret: no metric dimension ${SECRET_DIMENSION_NAMES.join(', ')} and no ${SECRET_TAG_KEY} tag (the alarm name is never used).`
    );
  }
  if (rest.some((secretId) => secretId !== first)) {
    throw new ValidationError(
      `Invalid request: the alarm names different secrets in ${found.map((entry) => entry.field).join(', ')}; refusing to guess which one to remediate.`
    );
  }
  return first;
};

/**
 * Makes user text safe for a reason: control and format characters become spaces, and text longer
 * than `max` characters is cut to `max` (the last one an ellipsis).
 */
const capText = (text: string, max: number): string => {
  const clean = Array.from(text.replace(/[\p{Cc}\p{Cf}]/gu, ' '));
  return clean.length > max ? `${clean.slice(0, max - 1).join('')}…` : clean.join('');
};

/** Turns a parsed alarm into a request, or ignores it when it is not in ALARM. */
const alarmToResult = (
  alarm: AlarmCore & Pick<AlarmSecretSource, 'alarmTags'>,
  context: {
    field: string;
    trigger: TriggerName;
    correlationId: string;
    requestedBy: string | undefined;
    config: RemediatorConfig;
  }
): TriggerCommand => {
  if (alarm.state.value !== AlarmStateValue.Alarm) {
    return {
      kind: 'ignore',
      ignored: {
        status: 'ignored',
        reason: `CloudWatch alarm state is ${alarm.state.value}: only ALARM starts a remediation.`,
      },
      correlationId: context.correlationId,
    };
  }
  const secretId = findAlarmSecretId(alarm, context.field);
  return {
    kind: 'remediate',
    request: {
      secretId,
      dryRun: false,
      pendingAction: context.config.defaultPendingAction,
      reason: `CloudWatch alarm ${capText(alarm.alarmName, MAX_ALARM_NAME_IN_REASON)} in ALARM`,
      trigger: context.trigger,
      correlationId: context.correlationId,
      requestedBy: context.requestedBy,
    },
  };
};

/** Adapter for EventBridge "CloudWatch Alarm State Change" events. */
export const alarmEventBridgeTrigger: TriggerAdapter = {
  name: TriggerName.AlarmEventBridge,
  matches: (event) =>
    isRecord(event) &&
    !('secretId' in event) &&
    event.source === CLOUDWATCH_SOURCE &&
    event['detail-type'] === ALARM_STATE_CHANGE_DETAIL_TYPE,
  toCommand: (event, context, config) => {
    const parsed = parseOrThrow(alarmSchemas().AlarmStateChangeEventSchema, event);
    assertTrustedAccount(parsed.account, 'account', context, config);
    return alarmToResult(parsed.detail, {
      field: 'detail',
      trigger: TriggerName.AlarmEventBridge,
      correlationId: parsed.id,
      requestedBy: parsed.resources[0],
      config,
    });
  },
  ...passThroughResponses,
};

/** Adapter for the payload of an alarm's own Lambda action. */
export const alarmActionTrigger: TriggerAdapter = {
  name: TriggerName.AlarmAction,
  matches: (event) =>
    isRecord(event) &&
    !('secretId' in event) &&
    !('detail-type' in event) &&
    event.source === CLOUDWATCH_SOURCE &&
    'alarmData' in event,
  toCommand: (event, context, config) => {
    const parsed = parseOrThrow(alarmSchemas().AlarmActionEventSchema, event);
    assertTrustedAccount(parsed.accountId, 'accountId', context, config);
    return alarmToResult(parsed.alarmData, {
      field: 'alarmData',
      trigger: TriggerName.AlarmAction,
      correlationId: `${parsed.alarmArn}/${parsed.time}`,
      requestedBy: parsed.alarmArn,
      config,
    });
  },
  ...passThroughResponses,
};
