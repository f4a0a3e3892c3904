/**
 * The `source`, `detail-type` and alarm-state values the event triggers match on. A file of its own
 * so that an adapter (./alarm.ts, ./rotation-event.ts) and its lazily loaded schema (./schemas/)
 * both import them without importing each other.
 */

/** The states a CloudWatch alarm reports. */
export const AlarmStateValue = {
  Alarm: 'ALARM',
  Ok: 'OK',
  InsufficientData: 'INSUFFICIENT_DATA',
} as const;
/** One of {@link AlarmStateValue}. */
export type AlarmStateValue = (typeof AlarmStateValue)[keyof typeof AlarmStateValue];

/** `source` of both alarm shapes. */
export const CLOUDWATCH_SOURCE = 'aws.cloudwatch';

/** `detail-type` of the EventBridge alarm state change event. */
export const ALARM_STATE_CHANGE_DETAIL_TYPE = 'CloudWatch Alarm State Change';

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
