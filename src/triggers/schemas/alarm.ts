/**
 * The schemas of CloudWatch alarms (../alarm.ts), loaded on the first alarm: the EventBridge
 * "CloudWatch Alarm State Change" event and the payload of an alarm's own Lambda action.
 */

import * as z from 'zod/mini';
import {
  ALARM_STATE_CHANGE_DETAIL_TYPE,
  AlarmStateValue,
  CLOUDWATCH_SOURCE,
} from '../event-constants.js';
import { EventBridgeEnvelopeSchema } from './eventbridge.js';
import { text } from './mini.js';

const ALARM_ARN_PATTERN = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/;

const nonEmpty = () => z.minLength(1, { error: 'must not be empty' });
const anyRecord = () => z.record(z.string(), z.unknown(), { error: 'must be an object' });

const alarmStateSchema = z.object({
  value: z.enum(Object.values(AlarmStateValue) as [AlarmStateValue, ...AlarmStateValue[]], {
    error: 'must be one of ALARM, OK, INSUFFICIENT_DATA',
  }),
  reason: z.optional(text()),
  reasonData: z.optional(text()),
  timestamp: z.optional(text()),
});

/**
 * One entry of `configuration.metrics`: a metric (`metricStat`) or a metric-math expression.
 * Dimension values are checked only for the dimensions that name a secret.
 */
const alarmMetricSchema = z.object({
  id: z.optional(text()),
  expression: z.optional(text()),
  metricStat: z.optional(
    z.object({
      metric: z.object({
        namespace: z.optional(text()),
        name: z.optional(text()),
        dimensions: z.optional(anyRecord()),
      }),
    })
  ),
});

const alarmConfigurationSchema = z.object({
  description: z.nullish(text()),
  metrics: z.optional(z.array(alarmMetricSchema, { error: 'must be an array' })),
  alarmRule: z.optional(text()),
});

/** What both alarm shapes carry about the alarm (extra fields are allowed and dropped). */
const alarmCoreSchema = z.object({
  alarmName: text().check(nonEmpty()),
  state: alarmStateSchema,
  previousState: z.optional(alarmStateSchema),
  configuration: alarmConfigurationSchema,
});
/** What both alarm shapes carry about the alarm, parsed. */
export type AlarmCore = z.infer<typeof alarmCoreSchema>;

/** Schema of the EventBridge "CloudWatch Alarm State Change" event (Powertools EventBridgeSchema). */
export const AlarmStateChangeEventSchema = z.extend(EventBridgeEnvelopeSchema, {
  source: z.literal(CLOUDWATCH_SOURCE),
  'detail-type': z.literal(ALARM_STATE_CHANGE_DETAIL_TYPE),
  detail: z.extend(alarmCoreSchema, { alarmTags: z.optional(anyRecord()) }),
});

/** Schema of the payload an alarm's Lambda action sends. */
export const AlarmActionEventSchema = z.object({
  source: z.literal(CLOUDWATCH_SOURCE),
  alarmArn: text().check(z.regex(ALARM_ARN_PATTERN, { error: 'must be a CloudWatch alarm ARN' })),
  accountId: text(),
  // part of the correlation id, so never free text: a timestamp Date can read
  time: text().check(
    nonEmpty(),
    z.refine((value) => !Number.isNaN(Date.parse(value)), { error: 'must be a timestamp' })
  ),
  region: text(),
  alarmData: alarmCoreSchema,
});
