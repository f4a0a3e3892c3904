import { invalidParameter } from './errors.js';
import type { JsonRequest, WireRotationRules, WireTag } from './wire.js';

/** Length bounds for a string parameter. */
export interface LengthBounds {
  min?: number;
  max?: number;
}

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;
const MANAGED_NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]+$/;

/** Throws InvalidParameterException unless `name` is a valid secret name (`!` only when managed). */
export function assertSecretName(name: string, allowBang = false): void {
  const pattern = allowBang ? MANAGED_NAME_PATTERN : NAME_PATTERN;
  if (name.length < 1 || name.length > 512 || !pattern.test(name)) {
    throw invalidParameter(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!'
    );
  }
}

function checkLength(field: string, value: string, bounds: LengthBounds): string {
  const { min = 0, max = Number.POSITIVE_INFINITY } = bounds;
  if (value.length < min || value.length > max) {
    throw invalidParameter(
      `Invalid ${field}: length must be between ${min} and ${Number.isFinite(max) ? max : 'any'}.`
    );
  }
  return value;
}

/** An optional string member, length-checked. */
export function optionalString(
  request: JsonRequest,
  field: string,
  bounds: LengthBounds = {}
): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`Invalid ${field}: must be a string.`);
  return checkLength(field, value, bounds);
}

/** A required string member, length-checked (missing gives InvalidParameterException). */
export function requiredString(
  request: JsonRequest,
  field: string,
  bounds: LengthBounds = {}
): string {
  const value = optionalString(request, field, bounds);
  if (value === undefined) throw invalidParameter(`You must provide a value for ${field}.`);
  return value;
}

/** The required `SecretId` (1–2048 chars). */
export function secretIdParam(request: JsonRequest): string {
  return requiredString(request, 'SecretId', { min: 1, max: 2048 });
}

/** An optional version id member (32–64 chars). */
export function versionIdParam(request: JsonRequest, field: string): string | undefined {
  return optionalString(request, field, { min: 32, max: 64 });
}

/** An optional integer member within `[min, max]`. */
export function optionalInteger(
  request: JsonRequest,
  field: string,
  min: number,
  max: number
): number | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`Invalid ${field}: must be an integer between ${min} and ${max}.`);
  }
  return value;
}

/** An optional boolean member. */
export function optionalBoolean(request: JsonRequest, field: string): boolean | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParameter(`Invalid ${field}: must be a boolean.`);
  return value;
}

/** An optional list of strings, each length-checked, at most `maxItems`. */
export function optionalStringList(
  request: JsonRequest,
  field: string,
  bounds: LengthBounds,
  maxItems: number
): string[] | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > maxItems) {
    throw invalidParameter(`Invalid ${field}: must be a list of at most ${maxItems} strings.`);
  }
  return value.map((item: unknown) => {
    if (typeof item !== 'string') throw invalidParameter(`Invalid ${field}: must hold strings.`);
    return checkLength(field, item, bounds);
  });
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional tag list: keys 1–128 chars, values 0–256, no duplicate keys, at most 50. */
export function optionalTags(request: JsonRequest, field = 'Tags'): WireTag[] | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 50) {
    throw invalidParameter(`Invalid ${field}: must be a list of at most 50 tags.`);
  }
  const keys = new Set<string>();
  return value.map((item: unknown) => {
    if (!isRecord(item)) throw invalidParameter(`Invalid ${field}: each tag must be an object.`);
    const key = requiredString(item, 'Key', { min: 1, max: 128 });
    const tagValue = optionalString(item, 'Value', { max: 256 }) ?? '';
    if (keys.has(key)) throw invalidParameter(`Invalid ${field}: duplicate tag key ${key}.`);
    keys.add(key);
    return { Key: key, Value: tagValue };
  });
}

/** The secret value of a write: at most one of SecretString / SecretBinary (base64). */
export interface SecretValueParam {
  secretString?: string;
  secretBinary?: string;
}

/** Reads SecretString / SecretBinary; both given is InvalidParameterException; none gives undefined. */
export function secretValueParam(request: JsonRequest): SecretValueParam | undefined {
  const secretString = optionalString(request, 'SecretString', { max: 65_536 });
  const secretBinary = optionalString(request, 'SecretBinary', { max: 87_384 });
  if (secretString !== undefined && secretBinary !== undefined) {
    throw invalidParameter('You can\'t specify both "SecretBinary" and "SecretString".');
  }
  if (secretString !== undefined) return { secretString };
  if (secretBinary !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(secretBinary)) {
      throw invalidParameter('Invalid SecretBinary: must be base64.');
    }
    return { secretBinary };
  }
  return undefined;
}

/** Optional `RotationRules`: AutomaticallyAfterDays 1–1000 xor ScheduleExpression, Duration like `3h`. */
export function rotationRulesParam(request: JsonRequest): WireRotationRules | undefined {
  const value = request.RotationRules;
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalidParameter('Invalid RotationRules: must be an object.');
  const days = optionalInteger(value, 'AutomaticallyAfterDays', 1, 1000);
  const schedule = optionalString(value, 'ScheduleExpression', { min: 1, max: 256 });
  const duration = optionalString(value, 'Duration', { min: 2, max: 3 });
  if (days !== undefined && schedule !== undefined) {
    throw invalidParameter(
      'You can specify either AutomaticallyAfterDays or ScheduleExpression, but not both.'
    );
  }
  if (duration !== undefined && !/^[0-9]{1,2}h$/.test(duration)) {
    throw invalidParameter('Invalid RotationRules.Duration: must look like 3h.');
  }
  const rules: WireRotationRules = {};
  if (days !== undefined) rules.AutomaticallyAfterDays = days;
  if (duration !== undefined) rules.Duration = duration;
  if (schedule !== undefined) rules.ScheduleExpression = schedule;
  return rules;
}

/** The filter keys `ListSecrets` accepts. */
export const FilterKey = {
  Name: 'name',
  TagKey: 'tag-key',
  TagValue: 'tag-value',
  Description: 'description',
  OwningService: 'owning-service',
  PrimaryRegion: 'primary-region',
  All: 'all',
} as const;

/** One of the keys in {@link FilterKey}. */
export type FilterKey = (typeof FilterKey)[keyof typeof FilterKey];

/** A validated `ListSecrets` filter. */
export interface ParsedFilter {
  key: FilterKey;
  values: string[];
}

const FILTER_KEYS: readonly string[] = Object.values(FilterKey);

function isFilterKey(key: string): key is FilterKey {
  return FILTER_KEYS.includes(key);
}

/** Optional `Filters`: at most 10, known keys, 1–10 values of 1–512 chars each. */
export function filtersParam(request: JsonRequest): ParsedFilter[] {
  const value = request.Filters;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 10) {
    throw invalidParameter('Invalid Filters: must be a list of at most 10 filters.');
  }
  return value.map((item: unknown): ParsedFilter => {
    if (!isRecord(item)) throw invalidParameter('Invalid Filters: each filter must be an object.');
    const key = requiredString(item, 'Key');
    if (!isFilterKey(key)) throw invalidParameter(`Invalid filter key: ${key}.`);
    const values = optionalStringList(item, 'Values', { min: 1, max: 512 }, 10) ?? [];
    if (values.length === 0) throw invalidParameter('Invalid Filters: Values must not be empty.');
    return { key, values };
  });
}
