/**
 * The Lambda handler, built around its dependencies: pick the trigger adapter, turn the event into
 * a command, run it with the {@link RemediationService}, and let the adapter map the outcome to its
 * trigger's response. `src/handler.ts` wires the real clients and settings around this factory;
 * tests call it with their own.
 */
import type { Context } from 'aws-lambda';
import { selectTrigger } from '../triggers/index.js';
import type { TriggerAdapter, TriggerCommand } from '../triggers/types.js';
import type { ServiceDependencies } from './remediation-service.js';
import { RemediationService } from './remediation-service.js';

/** What the handler runs with: the service's dependencies (settings, clients, logger, ...). */
export type HandlerDependencies = ServiceDependencies;

/** The handler a factory builds. */
export type Handler = (event: unknown, context?: Context) => Promise<unknown>;

/** Runs a command with the service; resolves with the adapter's response. */
const runCommand = async (
  service: RemediationService,
  adapter: TriggerAdapter,
  command: TriggerCommand,
  context: Context | undefined
): Promise<unknown> => {
  const remainingTimeMs =
    context === undefined ? undefined : () => context.getRemainingTimeInMillis();
  switch (command.kind) {
    case 'ignore':
      service.ignored(command.ignored.reason, {
        trigger: adapter.name,
        correlationId: command.correlationId,
      });
      return adapter.toResponse(command.ignored);
    case 'sweep':
      return adapter.toResponse(
        await service.sweep(command.sweep, {
          correlationId: command.correlationId,
          remainingTimeMs,
        })
      );
    case 'report':
      return adapter.toResponse(
        await service.report(command.report, {
          correlationId: command.correlationId,
          remainingTimeMs,
        })
      );
    case 'remediate':
    case 'resume':
      // a resume is the same chain: the request's intent picks its planner
      return adapter.toResponse(await service.remediate(command.request, { remainingTimeMs }));
  }
};

/** Builds a handler around the given dependencies. */
export const createHandler = (deps: HandlerDependencies): Handler => {
  const service = new RemediationService(deps);
  return async (event, context) => {
    if (context !== undefined) deps.logger.addContext(context);
    const origin = (trigger: TriggerAdapter['name'] | 'unknown') => ({
      trigger,
      correlationId: context?.awsRequestId,
    });
    let adapter: TriggerAdapter;
    try {
      adapter = selectTrigger(event);
    } catch (error) {
      service.rejected(error, origin('unknown'));
      throw error;
    }
    let command: TriggerCommand;
    try {
      command = adapter.toCommand(event, context, deps.settings.remediator);
    } catch (error) {
      service.rejected(error, origin(adapter.name));
      return adapter.toErrorResponse(error);
    }
    try {
      return await runCommand(service, adapter, command, context);
    } catch (error) {
      // the service has audited and counted it
      return adapter.toErrorResponse(error);
    }
  };
};
