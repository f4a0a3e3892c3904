/**
 * The Lambda entry point. Thin on purpose: pick the trigger adapter, turn the event into one
 * request, remediate, and let the adapter map the result to its trigger's response.
 */
import type { Context } from 'aws-lambda';
import { createSecretsManagerClient } from './clients.js';
import type { RemediatorConfig } from './config.js';
import { loadConfig } from './config.js';
import { ValidationError } from './errors.js';
import type { RemediationDependencies } from './remediation/remediate.js';
import { remediate } from './remediation/remediate.js';
import { directTrigger } from './triggers/direct.js';
import type { TriggerAdapter } from './triggers/types.js';

/** Adapters in detection order. */
export const triggers: readonly TriggerAdapter[] = [directTrigger];

/** What the handler runs with; tests inject their own. */
export interface HandlerDependencies extends Omit<RemediationDependencies, 'requiredTag'> {
  config: RemediatorConfig;
}

/** Picks the adapter whose shape the event has, or rejects the event. */
export const selectTrigger = (event: unknown): TriggerAdapter => {
  const adapter = triggers.find((candidate) => candidate.matches(event));
  if (adapter === undefined) {
    throw new ValidationError(
      'Unsupported event: it matches no known trigger (direct command, HTTP, EventBridge alarm or Secrets Manager event, alarm action).'
    );
  }
  return adapter;
};

/** Builds a handler around the given dependencies. */
export const createHandler =
  (deps: HandlerDependencies) =>
  async (event: unknown, context?: Context): Promise<unknown> => {
    const adapter = selectTrigger(event);
    try {
      const result = adapter.toRequest(event, context, deps.config);
      if (result.kind === 'ignored') return adapter.toResponse(result.ignored);
      const report = await remediate(
        {
          secretsManager: deps.secretsManager,
          requiredTag: deps.config.requiredTag,
          ...(deps.observer === undefined ? {} : { observer: deps.observer }),
        },
        result.request
      );
      return adapter.toResponse(report);
    } catch (error) {
      return adapter.toErrorResponse(error);
    }
  };

/** The Lambda handler, with clients and configuration created once per execution environment. */
export const handler = createHandler({
  config: loadConfig(),
  secretsManager: createSecretsManagerClient(),
});
