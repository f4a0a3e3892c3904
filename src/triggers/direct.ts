/**
 * The direct command: `sam local invoke`, `aws lambda invoke`, SSM Automation
 * (`aws:invokeLambdaFunction`), Step Functions tasks, and EventBridge rules with Input or
 * InputTransformer. The event is the command object itself. Its schema (./command-schema.ts)
 * loads on the first direct command.
 */
import { TriggerName } from '../remediation/types.js';
import type { TriggerAdapter } from './types.js';
import { isRecord, passThroughResponses } from './types.js';
import { commandSchemas } from './validation.js';

/** Adapter for the direct command `{secretId, dryRun?, pendingAction?, ...}`. */
export const directTrigger: TriggerAdapter = {
  name: TriggerName.Direct,
  matches: (event) => isRecord(event) && 'secretId' in event,
  toCommand: (event, context, config) => {
    const { commandSchema, commandToRequest, parseOrThrow } = commandSchemas();
    return {
      kind: 'remediate',
      request: commandToRequest(parseOrThrow(commandSchema, event), {
        trigger: TriggerName.Direct,
        defaultPendingAction: config.defaultPendingAction,
        correlationId: context?.awsRequestId,
      }),
    };
  },
  ...passThroughResponses,
};
