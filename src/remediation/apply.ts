/**
 * Executes planned actions, one AWS call each, and records what AWS answered.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CancelRotateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { AppliedAction, PlannedAction } from './types.js';

/** Outcome of one mutating call, as the audit trail records it. */
export interface CallRecord {
  operation: PlannedAction['operation'];
  action: PlannedAction;
  outcome: 'success' | 'error';
  requestId: string | undefined;
  errorName?: string;
  durationMs: number;
}

/** Error names that mean "the secret is not in the state the plan was made for": re-read, re-plan. */
export const StateConflictErrors = [
  'InvalidParameterException',
  'InvalidRequestException',
] as const;

/** True when a failed call says the state changed under us (see {@link StateConflictErrors}). */
export const isStateConflict = (error: unknown): boolean =>
  (StateConflictErrors as readonly string[]).includes((error as Error | undefined)?.name ?? '');

/**
 * Makes the AWS call for one action. Resolves with the applied action (request id, version), or
 * rejects with the SDK's error; `onCall` sees every outcome.
 */
export const applyAction = async (
  client: SecretsManagerClient,
  secretArn: string,
  action: PlannedAction,
  onCall: (record: CallRecord) => void = () => {}
): Promise<AppliedAction> => {
  const started = Date.now();
  try {
    let applied: AppliedAction;
    if (action.operation === 'CancelRotateSecret') {
      const response = await client.send(new CancelRotateSecretCommand({ SecretId: secretArn }));
      applied = {
        ...action,
        ...(response.VersionId === undefined ? {} : { versionId: response.VersionId }),
        requestId: response.$metadata.requestId,
      };
    } else {
      const response = await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretArn,
          VersionStage: action.versionStage,
          ...('moveTo' in action ? { MoveToVersionId: action.moveTo } : {}),
          ...(action.removeFrom === undefined ? {} : { RemoveFromVersionId: action.removeFrom }),
        })
      );
      applied = { ...action, requestId: response.$metadata.requestId };
    }
    onCall({
      operation: action.operation,
      action,
      outcome: 'success',
      requestId: applied.requestId,
      durationMs: Date.now() - started,
    });
    return applied;
  } catch (error) {
    const sdkError = error as { name?: string; $metadata?: { requestId?: string } };
    onCall({
      operation: action.operation,
      action,
      outcome: 'error',
      requestId: sdkError.$metadata?.requestId,
      errorName: sdkError.name ?? 'Error',
      durationMs: Date.now() - started,
    });
    throw error;
  }
};
