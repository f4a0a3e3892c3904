/**
 * The Lambda entry point. Thin on purpose: pick the trigger adapter, turn the event into one
 * request, remediate, and let the adapter map the result to its trigger's response. The audit
 * trail and metrics observe each step.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { logger as serviceLogger } from './audit/logger.js';
import { createMetrics, recordOutcome } from './audit/metrics.js';
import { AuditTrail } from './audit/trail.js';
import { createSecretsManagerClient } from './clients.js';
import type { RemediatorConfig, SweepConfig } from './config.js';
import { loadConfig, loadSweepConfig } from './config.js';
import { ValidationError } from './errors.js';
import type { ApplyOnceFactory } from './idempotency/apply-once.js';
import { loadIdempotencySettings } from './idempotency/settings.js';
import type { ApplyOnce, RemediationDependencies } from './remediation/remediate.js';
import { remediate } from './remediation/remediate.js';
import type { runSweep } from './sweep/sweep.js';
import { selectTrigger } from './triggers/index.js';
import type { TriggerAdapter } from './triggers/types.js';

/** What the handler runs with; tests inject their own. */
export interface HandlerDependencies {
  config: RemediatorConfig;
  secretsManager: RemediationDependencies['secretsManager'];
  logger: Logger;
  metrics: Metrics;
  /** Loads the idempotency wrapper on first use; undefined when idempotency is disabled. */
  loadApplyOnce: (() => Promise<ApplyOnceFactory>) | undefined;
  /** Sweep settings (`SWEEP_*`); default: their defaults. */
  sweepConfig?: SweepConfig;
  /** Loads the sweep on the first sweep event; default: a lazy import of `src/sweep`. */
  loadSweep?: () => Promise<typeof runSweep>;
}

const importSweep = async (): Promise<typeof runSweep> =>
  (await import('./sweep/sweep.js')).runSweep;

const outcomeOf = (error: unknown): string =>
  error instanceof ValidationError ? 'rejected' : ((error as Error | undefined)?.name ?? 'Error');

/** Builds a handler around the given dependencies. */
export const createHandler = (deps: HandlerDependencies) => {
  return async (event: unknown, context?: Context): Promise<unknown> => {
    if (context !== undefined) deps.logger.addContext(context);
    const trail = new AuditTrail(deps.logger, {
      trigger: 'unknown',
      correlationId: context?.awsRequestId,
    });
    let adapter: TriggerAdapter;
    try {
      adapter = selectTrigger(event);
    } catch (error) {
      trail.rejected(error as Error);
      recordOutcome(deps.metrics, outcomeOf(error), trail.durationMs());
      throw error;
    }
    trail.origin = { trigger: adapter.name, correlationId: context?.awsRequestId };
    try {
      const result = adapter.toRequest(event, context, deps.config);
      if (result.kind === 'ignored') {
        trail.origin = { trigger: adapter.name, correlationId: result.correlationId };
        trail.ignored(result.ignored.reason);
        recordOutcome(deps.metrics, 'ignored', trail.durationMs());
        return adapter.toResponse(result.ignored);
      }
      const { loadApplyOnce } = deps;
      const applyOnce: ApplyOnce | undefined =
        loadApplyOnce === undefined
          ? undefined
          : async (decision, run) => (await loadApplyOnce())(context)(decision, run);
      if (result.kind === 'sweep') {
        const sweep = await (deps.loadSweep ?? importSweep)();
        const response = await sweep(
          {
            secretsManager: deps.secretsManager,
            config: deps.config,
            sweepConfig: deps.sweepConfig ?? loadSweepConfig({}),
            logger: deps.logger,
            onResult: (swept, durationMs) => recordOutcome(deps.metrics, swept.status, durationMs),
            ...(applyOnce === undefined || loadApplyOnce === undefined
              ? {}
              : { applyOnce, warmUp: loadApplyOnce }),
          },
          {
            request: result.sweep,
            ...(result.correlationId === undefined ? {} : { correlationId: result.correlationId }),
            ...(context === undefined
              ? {}
              : { remainingTimeMs: () => context.getRemainingTimeInMillis() }),
          }
        );
        recordOutcome(deps.metrics, 'swept', trail.durationMs());
        return response;
      }
      trail.requested(result.request);
      const report = await remediate(
        {
          secretsManager: deps.secretsManager,
          requiredTag: deps.config.requiredTag,
          observer: trail,
          ...(applyOnce === undefined ? {} : { applyOnce }),
        },
        result.request
      );
      trail.completed(report);
      recordOutcome(deps.metrics, report.replayed ? 'replayed' : report.status, trail.durationMs());
      return adapter.toResponse(report);
    } catch (error) {
      if (error instanceof ValidationError) trail.rejected(error);
      else trail.failed(error as Error);
      recordOutcome(deps.metrics, outcomeOf(error), trail.durationMs());
      return adapter.toErrorResponse(error);
    }
  };
};

const idempotencySettings = loadIdempotencySettings();
let applyOnceFactory: Promise<ApplyOnceFactory> | undefined;

/** The Lambda handler, with clients and configuration created once per execution environment. */
export const handler = createHandler({
  config: loadConfig(),
  sweepConfig: loadSweepConfig(),
  secretsManager: createSecretsManagerClient(),
  logger: serviceLogger,
  metrics: createMetrics(),
  loadApplyOnce:
    idempotencySettings === undefined
      ? undefined
      : () => {
          applyOnceFactory ??= import('./idempotency/index.js').then((module) =>
            module.createDefaultApplyOnce(idempotencySettings)
          );
          return applyOnceFactory;
        },
});
