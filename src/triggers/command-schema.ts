/**
 * The schema of the remediation command, shared by the direct trigger, the HTTP body and the CLI:
 * `{secretId, dryRun?, pendingAction?, expectedPendingVersionId?, reason?}`, strictly checked.
 * Written with `zod/mini` (./schemas/mini.ts); the adapters require this module on first use.
 */

import * as z from 'zod/mini';
import { SECRET_ARN_PATTERN, SECRET_NAME_PATTERN } from '../identifiers.js';
import type { RemediationRequest } from '../remediation/types.js';
import { Intent, PendingAction } from '../remediation/types.js';
import { text } from './schemas/mini.js';

/** A secret id: 1–2048 characters, either a secret name or a Secrets Manager ARN. */
export const secretIdSchema = text().check(
  z.minLength(1, { error: 'must not be empty' }),
  z.maxLength(2048, { error: 'must be at most 2048 characters' }),
  z.refine((value) => SECRET_NAME_PATTERN.test(value) || SECRET_ARN_PATTERN.test(value), {
    error: 'must be a secret name of [A-Za-z0-9/_+=.@!-] or a Secrets Manager ARN',
  })
);

/** A version id: 32–64 characters of letters, digits and `-`. */
export const versionIdSchema = text().check(
  z.regex(/^[A-Za-z0-9-]{32,64}$/, { error: 'must be a version id of 32-64 letters, digits or -' })
);

const reasonSchema = text().check(z.maxLength(1024, { error: 'must be at most 1024 characters' }));

/** The command object; unknown keys are rejected, so a typo never runs a live remediation. */
export const commandSchema = z.strictObject(
  {
    secretId: secretIdSchema,
    dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
    pendingAction: z.optional(
      z.enum(Object.values(PendingAction) as [PendingAction, ...PendingAction[]], {
        error: 'must be one of auto, discard, promote',
      })
    ),
    expectedPendingVersionId: z.optional(versionIdSchema),
    reason: z.optional(reasonSchema),
  },
  { error: 'must be a JSON object' }
);

/** A parsed command. */
export type Command = z.infer<typeof commandSchema>;

/** Builds the core's request from a parsed command and the trigger's context. */
export const commandToRequest = (
  command: Command,
  context: Pick<
    RemediationRequest,
    'trigger' | 'correlationId' | 'requestedBy' | 'requestedBySource'
  > & {
    defaultPendingAction: PendingAction;
  }
): RemediationRequest => ({
  secretId: command.secretId,
  dryRun: command.dryRun ?? false,
  pendingAction: command.pendingAction ?? context.defaultPendingAction,
  expectedPendingVersionId: command.expectedPendingVersionId,
  // a person stated the action and the version it is for: a pinned decision
  humanDecision:
    command.expectedPendingVersionId !== undefined &&
    (command.pendingAction === 'promote' || command.pendingAction === 'discard')
      ? true
      : undefined,
  reason: command.reason,
  trigger: context.trigger,
  correlationId: context.correlationId,
  requestedBy: context.requestedBy,
  requestedBySource: context.requestedBySource,
});

/**
 * The resume command `{"resume": {secretId, reason?, dryRun?, rotateImmediately?}}`: turn rotation
 * back on after a remediation. Strictly checked at both levels.
 */
export const resumeCommandSchema = z.strictObject(
  {
    resume: z.strictObject(
      {
        secretId: secretIdSchema,
        dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
        rotateImmediately: z.optional(z.boolean({ error: 'must be true or false' })),
        reason: z.optional(reasonSchema),
      },
      { error: 'must be a JSON object' }
    ),
  },
  { error: 'must be a JSON object' }
);

/** A parsed resume command. */
export type ResumeCommand = z.infer<typeof resumeCommandSchema>;

/** Builds the core's request of a resume. */
export const resumeToRequest = (
  { resume }: ResumeCommand,
  context: Pick<
    RemediationRequest,
    'trigger' | 'correlationId' | 'requestedBy' | 'requestedBySource'
  >
): RemediationRequest => ({
  intent: Intent.Resume,
  secretId: resume.secretId,
  dryRun: resume.dryRun ?? false,
  rotateImmediately: resume.rotateImmediately ?? false,
  // not used by a resume; the request type needs one
  pendingAction: PendingAction.Auto,
  reason: resume.reason,
  trigger: context.trigger,
  correlationId: context.correlationId,
  requestedBy: context.requestedBy,
  requestedBySource: context.requestedBySource,
});
