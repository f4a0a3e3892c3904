/**
 * The direct command: `sam local invoke`, `aws lambda invoke`, SSM Automation
 * (`aws:invokeLambdaFunction`), Step Functions tasks, and EventBridge rules with Input or
 * InputTransformer. The event is the command object itself. Its schema (./command-schema.ts)
 * loads on the first direct command.
 */
import { TriggerName } from '../remediation/types.js';
import type { TriggerAdapter } from './types.js';
import { isRecord, passThroughResponses } from './types.js';
import { commandSchemas, parseOrThrow } from './validation.js';

/** The top-level keys of the direct commands besides `secretId`. */
const DIRECT_KEYS = ['resume'] as const;

/**
 * Adapter for the direct commands: `{secretId, dryRun?, pendingAction?, ...}` (remediate) and
 * `{"resume": {secretId, ...}}`.
 */
export const directTrigger: TriggerAdapter = {
  name: TriggerName.Direct,
  matches: (event) =>
    isRecord(event) &&
    ('secretId' in event ||
      (DIRECT_KEYS.some((key) => key in event) &&
        !('source' in event) &&
        !('requestContext' in event) &&
        !('sweep' in event))),
  toCommand: (event, context, config) => {
    const { commandSchema, commandToRequest, resumeCommandSchema, resumeToRequest } =
      commandSchemas();
    if (isRecord(event) && 'resume' in event && !('secretId' in event)) {
      return {
        kind: 'resume',
        request: resumeToRequest(parseOrThrow(resumeCommandSchema, event), {
          trigger: TriggerName.Direct,
          correlationId: context?.awsRequestId,
        }),
      };
    }
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
