/**
 * The schema of the remediation command, shared by the direct trigger, the HTTP body and the CLI:
 * `{secretId, dryRun?, pendingAction?, expectedPendingVersionId?, reason?}`, strictly checked.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { SECRET_ARN_PATTERN, SECRET_NAME_PATTERN } from '../identifiers.js';
import type { PendingAction, RemediationRequest } from '../remediation/types.js';
import { PendingAction as PendingActions } from '../remediation/types.js';

/** A secret id: 1–2048 characters, either a secret name or a Secrets Manager ARN. */
export const secretIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(2048, { error: 'must be at most 2048 characters' })
  .refine((value) => SECRET_NAME_PATTERN.test(value) || SECRET_ARN_PATTERN.test(value), {
    error: 'must be a secret name of [A-Za-z0-9/_+=.@!-] or a Secrets Manager ARN',
  });

/** A version id: 32–64 characters of letters, digits and `-`. */
export const versionIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9-]{32,64}$/, { error: 'must be a version id of 32-64 letters, digits or -' });

/** The command object; unknown keys are rejected, so a typo never runs a live remediation. */
export const commandSchema = z.strictObject(
  {
    secretId: secretIdSchema,
    dryRun: z.boolean({ error: 'must be true or false' }).optional(),
    pendingAction: z
      .enum(Object.values(PendingActions) as [PendingAction, ...PendingAction[]], {
        error: 'must be one of auto, discard, promote',
      })
      .optional(),
    expectedPendingVersionId: versionIdSchema.optional(),
    reason: z
      .string({ error: 'must be a string' })
      .max(1024, { error: 'must be at most 1024 characters' })
      .optional(),
  },
  { error: 'must be a JSON object' }
);

/** A parsed command. */
export type Command = z.infer<typeof commandSchema>;

const shortKey = (key: PropertyKey): string => {
  const text = String(key);
  const escaped = JSON.stringify(text.slice(0, 24)).slice(1, -1);
  return `"${escaped}${text.length > 24 ? '…' : ''}"`;
};

/**
 * Turns zod issues into one message that names each field and never echoes a value (unknown keys
 * are shown as a short escaped prefix).
 */
export const formatIssues = (error: z.ZodError, prefix = ''): string =>
  error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
      const where = path === '' ? 'the command' : path;
      if (issue.code === 'unrecognized_keys') {
        return `${where}: unknown field(s) ${issue.keys.slice(0, 5).map(shortKey).join(', ')}`;
      }
      if (issue.code === 'invalid_type' && issue.input === undefined) {
        return `${where}: is required`;
      }
      return `${where}: ${issue.message}`;
    })
    .join('; ');

/** Parses `input` with `schema`, or throws a {@link ValidationError} naming the fields. */
export const parseOrThrow = <T>(schema: z.ZodType<T>, input: unknown, prefix = ''): T => {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw new ValidationError(`Invalid request: ${formatIssues(result.error, prefix)}.`);
  }
  return result.data;
};

/** Builds the core's request from a parsed command and the trigger's context. */
export const commandToRequest = (
  command: Command,
  context: Pick<RemediationRequest, 'trigger' | 'correlationId' | 'requestedBy'> & {
    defaultPendingAction: PendingAction;
  }
): RemediationRequest => ({
  secretId: command.secretId,
  dryRun: command.dryRun ?? false,
  pendingAction: command.pendingAction ?? context.defaultPendingAction,
  expectedPendingVersionId: command.expectedPendingVersionId,
  reason: command.reason,
  trigger: context.trigger,
  correlationId: context.correlationId,
  requestedBy: context.requestedBy,
});
