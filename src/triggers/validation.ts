/**
 * Parsing with a schema, without loading one: {@link parseOrThrow} and {@link formatIssues} work
 * with any zod schema (classic or `zod/mini`) they are handed, and this module imports zod for
 * its types only, so detection and the adapters' module scope stay free of zod. Each adapter
 * loads its own schemas on first use with {@link once}.
 */
import type { $ZodError, $ZodIssue } from 'zod/v4/core';
import { ValidationError } from '../errors.js';

/** What {@link parseOrThrow} needs of a schema: zod's `safeParse` (classic and mini alike). */
export interface SafeParser<T> {
  safeParse(
    input: unknown,
    params: { reportInput: boolean }
  ): { success: true; data: T } | { success: false; error: $ZodError };
}

const shortKey = (key: PropertyKey): string => {
  const text = String(key);
  const escaped = JSON.stringify(text.slice(0, 24)).slice(1, -1);
  return `"${escaped}${text.length > 24 ? '…' : ''}"`;
};

const formatIssue = (issue: $ZodIssue, prefix: string): string => {
  const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
  const where = path === '' ? 'the command' : path;
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field(s) ${issue.keys.slice(0, 5).map(shortKey).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `${where}: is required`;
  }
  return `${where}: ${issue.message}`;
};

/**
 * Turns zod issues into one message that names each field and never echoes a value (unknown keys
 * are shown as a short escaped prefix).
 */
export const formatIssues = (error: Pick<$ZodError, 'issues'>, prefix = ''): string =>
  error.issues.map((issue) => formatIssue(issue, prefix)).join('; ');

/** Parses `input` with `schema`, or throws a {@link ValidationError} naming the fields. */
export const parseOrThrow = <T>(schema: SafeParser<T>, input: unknown, prefix = ''): T => {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw new ValidationError(`Invalid request: ${formatIssues(result.error, prefix)}.`);
  }
  return result.data;
};

/**
 * Runs `load` on the first call only and returns its value ever after: an adapter's schemas are
 * built once per execution environment, when the first event of that trigger arrives.
 */
export const once = <T>(load: () => T): (() => T) => {
  let loaded: { value: T } | undefined;
  return () => {
    loaded ??= { value: load() };
    return loaded.value;
  };
};

/** The command schema (./command-schema.ts), loaded on first use. */
export const commandSchemas = once((): typeof import('./command-schema.js') =>
  require('./command-schema.js')
);
