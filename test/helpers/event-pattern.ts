/**
 * A small EventBridge event-pattern matcher for the pattern features the template uses: exact
 * values in arrays (strings, numbers, booleans, null), `prefix`, and nested objects. Any other
 * operator (`anything-but`, `exists`, `numeric`, `wildcard`, `$or`, ...) is rejected, so a
 * pattern that starts using one fails the tests until the matcher learns it.
 *
 * Semantics (as EventBridge): every field of the pattern must match; a leaf array matches when the
 * event value (or any element, when the event value is an array) equals one of its entries; a nested
 * object matches an object, or any element of an array of objects.
 */

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The content filters the matcher implements. */
export const SUPPORTED_FILTERS = ['prefix'] as const;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throws unless `pattern` is an event pattern made only of supported features. */
export const assertSupportedPattern = (pattern: unknown, path = 'pattern'): void => {
  if (!isPlainObject(pattern)) throw new Error(`${path}: must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const where = `${path}.${key}`;
    if (key.startsWith('$')) throw new Error(`${where}: operator ${key} is not supported`);
    if (Array.isArray(value)) {
      if (value.length === 0) throw new Error(`${where}: a leaf array must not be empty`);
      for (const entry of value) {
        if (!isPlainObject(entry)) {
          if (typeof entry === 'object' && entry !== null) {
            throw new Error(`${where}: nested arrays are not allowed`);
          }
          continue;
        }
        const [filter, ...others] = Object.keys(entry);
        if (others.length > 0 || filter === undefined) {
          throw new Error(`${where}: a content filter has exactly one key`);
        }
        if (!(SUPPORTED_FILTERS as readonly string[]).includes(filter)) {
          throw new Error(`${where}: content filter "${filter}" is not supported`);
        }
        if (typeof entry[filter] !== 'string') {
          throw new Error(`${where}: ${filter} needs a string`);
        }
      }
    } else if (isPlainObject(value)) {
      assertSupportedPattern(value, where);
    } else {
      throw new Error(`${where}: values must be arrays or objects, not ${JSON.stringify(value)}`);
    }
  }
};

const leafMatches = (matcher: unknown, value: unknown): boolean => {
  if (isPlainObject(matcher)) {
    return typeof value === 'string' && value.startsWith(String(matcher.prefix));
  }
  return matcher === value;
};

function fieldMatches(patternValue: unknown, eventValue: unknown): boolean {
  if (eventValue === undefined) return false;
  if (Array.isArray(patternValue)) {
    const candidates = Array.isArray(eventValue) ? eventValue : [eventValue];
    return candidates.some((candidate) =>
      patternValue.some((matcher) => leafMatches(matcher, candidate))
    );
  }
  if (Array.isArray(eventValue)) {
    return eventValue.some((element) => fieldMatches(patternValue, element));
  }
  return isPlainObject(eventValue) && objectMatches(patternValue, eventValue);
}

function objectMatches(pattern: unknown, event: Record<string, unknown>): boolean {
  return (
    isPlainObject(pattern) &&
    Object.entries(pattern).every(([key, value]) => fieldMatches(value, event[key]))
  );
}

/** True when `event` matches the EventBridge `pattern` (see the module comment for the subset). */
export const matchesEventPattern = (pattern: unknown, event: unknown): boolean => {
  assertSupportedPattern(pattern);
  return isPlainObject(event) && objectMatches(pattern, event);
};
