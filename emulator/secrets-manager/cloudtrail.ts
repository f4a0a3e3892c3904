/**
 * CloudTrail's event history, served beside Secrets Manager (./side-service.ts): `LookupEvents`
 * over CloudTrail's JSON protocol, as the failed-step look-up uses it. One lookup attribute, a time
 * range, newest first, `MaxResults` 1–50 (default 50) with `NextToken`, and each record as the
 * `CloudTrailEvent` JSON string. The store records a RotationFailed record whenever it seeds a
 * failed rotation (`SecretStore.seedFailedRotation`); tests add their own with {@link record}.
 */
import { randomUUID } from 'node:crypto';
import { EmulatorError } from './errors.js';
import { paginate } from './pagination.js';
import type { SideService } from './side-service.js';
import type { JsonRequest } from './wire.js';

/** The lookup attributes LookupEvents accepts for management events. */
const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

/** The rotation service events the history records. */
export type RotationEventName =
  | 'RotationFailed'
  | 'TestRotationStarted'
  | 'TestRotationSucceeded'
  | 'TestRotationFailed';

/** A RotationFailed (or TestRotation*) record to add to the history. */
export interface RotationFailedRecord {
  /** The event's name; default `RotationFailed`. */
  eventName?: RotationEventName;
  /** What `additionalEventData.SecretId` names: the secret's ARN (AWS), or its name. */
  secretId: string;
  /** The secret's ARN, for `requestID` (`Rotation-<ARN>-<versionId>`). */
  secretArn: string;
  /** The version `requestID` names; null: a plain request id instead. */
  versionId: string | null;
  /** When the rotation failed. */
  at: Date;
  /** `errorMessage`: default `... during <step> step`; null for a record without one. */
  errorMessage: string | null;
}

interface StoredRecord {
  eventId: string;
  eventName: string;
  eventTime: Date;
  record: Record<string, unknown>;
}

const invalid = (name: string, message: string): EmulatorError =>
  new EmulatorError(name, message, 400);

/** The message Secrets Manager writes when a rotation function fails at `step`. */
export const rotationFailedMessage = (step: string): string =>
  `Error when executing lambda arn:aws:lambda:us-east-1:123456789012:function:rotator during ${step} step`;

/** CloudTrail's event history of one account and region. */
export class CloudTrailService implements SideService {
  /** What the SDK sends (`CloudTrail_20131101.LookupEvents`). */
  readonly targetPrefix = 'CloudTrail_20131101.';
  /** What the API reference documents. */
  readonly alternativePrefixes = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'];
  readonly operations = ['LookupEvents'] as const;
  readonly #region: string;
  readonly #accountId: string;
  #records: StoredRecord[] = [];

  constructor(options: { region: string; accountId: string }) {
    this.#region = options.region;
    this.#accountId = options.accountId;
  }

  /** Forgets every record. */
  clear(): void {
    this.#records = [];
  }

  /** The names of the records about a secret (by its ARN), oldest first: for tests. */
  eventNamesOf(secretArn: string): string[] {
    return this.#records
      .filter((stored) => JSON.stringify(stored.record).includes(secretArn))
      .map((stored) => stored.eventName);
  }

  /** How many records the history holds. */
  get size(): number {
    return this.#records.length;
  }

  /** Adds a RotationFailed (or TestRotation*) record, shaped as Secrets Manager writes it. */
  record(failure: RotationFailedRecord): void {
    const eventId = randomUUID();
    const eventName = failure.eventName ?? 'RotationFailed';
    const record: Record<string, unknown> = {
      eventVersion: '1.11',
      userIdentity: { accountId: this.#accountId, invokedBy: 'secretsmanager.amazonaws.com' },
      eventTime: failure.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 'secretsmanager.amazonaws.com',
      eventName,
      awsRegion: this.#region,
      sourceIPAddress: 'secretsmanager.amazonaws.com',
      userAgent: 'secretsmanager.amazonaws.com',
      requestParameters: null,
      responseElements: null,
      additionalEventData: { SecretId: failure.secretId },
      requestID:
        failure.versionId === null
          ? randomUUID()
          : `Rotation-${failure.secretArn}-${failure.versionId}`,
      eventID: eventId,
      readOnly: false,
      resources: [],
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: this.#accountId,
      eventCategory: 'Management',
    };
    if (failure.errorMessage !== null) record.errorMessage = failure.errorMessage;
    this.#records.push({ eventId, eventName, eventTime: failure.at, record });
  }

  /** Applies LookupEvents (the only operation). */
  execute(_operation: string, request: JsonRequest): object {
    const filter = attributeFilter(request.LookupAttributes);
    const start = timeOf(request.StartTime, 'StartTime');
    const end = timeOf(request.EndTime, 'EndTime');
    if (start !== undefined && end !== undefined && start > end) {
      throw invalid('InvalidTimeRangeException', 'Start time must not be after end time.');
    }
    const maxResults = request.MaxResults ?? 50;
    if (
      typeof maxResults !== 'number' ||
      !Number.isInteger(maxResults) ||
      maxResults < 1 ||
      maxResults > 50
    ) {
      throw invalid('InvalidMaxResultsException', 'MaxResults must be 1 to 50.');
    }
    const matching = this.#records
      .filter((entry) => filter(entry))
      .filter((entry) => start === undefined || entry.eventTime.getTime() >= start)
      .filter((entry) => end === undefined || entry.eventTime.getTime() <= end)
      .sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime());
    const nextToken = typeof request.NextToken === 'string' ? request.NextToken : undefined;
    const page = paginate(matching, {
      scope: `lookup:${JSON.stringify(request.LookupAttributes ?? null)}:${start}:${end}`,
      maxResults,
      nextToken,
      emptyPagesEvery: undefined,
    });
    return {
      Events: page.items.map((entry) => ({
        EventId: entry.eventId,
        EventName: entry.eventName,
        ReadOnly: 'false',
        EventTime: entry.eventTime.getTime() / 1000,
        EventSource: 'secretsmanager.amazonaws.com',
        Resources: [],
        CloudTrailEvent: JSON.stringify(entry.record),
      })),
      ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
    };
  }
}

/** The filter of the one lookup attribute LookupEvents accepts (none: every record). */
const attributeFilter = (raw: unknown): ((entry: StoredRecord) => boolean) => {
  if (raw === undefined) return () => true;
  if (!Array.isArray(raw) || raw.length > 1) {
    throw invalid('InvalidLookupAttributesException', 'Specify at most one lookup attribute.');
  }
  const [attribute] = raw as { AttributeKey?: unknown; AttributeValue?: unknown }[];
  if (attribute === undefined) return () => true;
  const { AttributeKey: key, AttributeValue: value } = attribute;
  if (
    !ATTRIBUTE_KEYS.includes(key as (typeof ATTRIBUTE_KEYS)[number]) ||
    typeof value !== 'string'
  ) {
    throw invalid('InvalidLookupAttributesException', 'Invalid lookup attribute.');
  }
  if (key === 'EventName') return (entry) => entry.eventName === value;
  if (key === 'EventId') return (entry) => entry.eventId === value;
  if (key === 'EventSource') return () => value === 'secretsmanager.amazonaws.com';
  return () => false;
};

/** A time of the request (epoch seconds, as the SDK sends it), in ms. */
const timeOf = (raw: unknown, field: string): number | undefined => {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    throw invalid('InvalidTimeRangeException', `${field} must be a time.`);
  }
  return raw * 1000;
};
