/**
 * The placeholder secret of the sample events in `events/`, and how to point a sample at another
 * secret. Shared by the demo, `npm run local`, the benchmark and the tests.
 */
import { Buffer } from 'node:buffer';

/** The placeholder secret name every sample uses. */
export const SAMPLE_SECRET_NAME = 'rr-demo/app-db';
/** The placeholder secret ARN the samples use where AWS reports an ARN. */
export const SAMPLE_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:rr-demo/app-db-AbCdEf';

/** A deep copy of a JSON value with every string passed through `map`. */
export const mapStrings = (value: unknown, map: (text: string) => string): unknown => {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)])
    );
  }
  return value;
};

/** The `requestID` of a RotationFailed record that names the pending version, as AWS may write it. */
export const rotationRequestId = (secretArn: string, pendingVersionId: string): string =>
  `Rotation-${secretArn}-${pendingVersionId}`;

/**
 * Replaces the placeholder secret (the ARN first, then the name) in every string of a sample,
 * including a base64-encoded HTTP body, and dates the event (its top-level `time`) at `at`,
 * default now: a sample played against a live secret reports that secret's current failure, not
 * one from the day the sample was written (an older event is stale, and writes nothing). Given the
 * secret's pending version, a Secrets Manager event's `detail.requestID` names it.
 */
export const substituteSecret = <T>(
  event: T,
  secret: { name: string; arn: string; pendingVersionId?: string | undefined },
  at: Date = new Date()
): T => {
  const replace = (text: string): string =>
    text.split(SAMPLE_SECRET_ARN).join(secret.arn).split(SAMPLE_SECRET_NAME).join(secret.name);
  const replaced = mapStrings(event, replace) as T;
  if (typeof replaced === 'object' && replaced !== null && 'time' in replaced) {
    (replaced as { time: unknown }).time = at.toISOString();
  }
  const detail =
    typeof replaced === 'object' && replaced !== null
      ? (replaced as { detail?: unknown }).detail
      : undefined;
  if (
    secret.pendingVersionId !== undefined &&
    typeof detail === 'object' &&
    detail !== null &&
    'requestID' in detail
  ) {
    (detail as { requestID: string }).requestID = rotationRequestId(
      secret.arn,
      secret.pendingVersionId
    );
  }
  if (
    typeof replaced === 'object' &&
    replaced !== null &&
    'isBase64Encoded' in replaced &&
    replaced.isBase64Encoded === true &&
    'body' in replaced &&
    typeof replaced.body === 'string'
  ) {
    const decoded = Buffer.from(replaced.body, 'base64').toString('utf8');
    (replaced as { body: string }).body = Buffer.from(replace(decoded), 'utf8').toString('base64');
  }
  return replaced;
};
