/**
 * Executes planned actions, one AWS call each, and records what AWS answered.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerSdk } from '../aws/clients.js';
import { errorNameOf, requestIdOf } from '../aws/sdk-errors.js';
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
  const { CancelRotateSecretCommand, RotateSecretCommand, UpdateSecretVersionStageCommand } =
    secretsManagerSdk();
  try {
    let applied: AppliedAction;
    if (action.operation === 'CancelRotateSecret') {
      const response = await client.send(new CancelRotateSecretCommand({ SecretId: secretArn }));
      applied = {
        ...action,
        versionId: response.VersionId,
        requestId: requestIdOf(response),
      };
    } else if (action.operation === 'RotateSecret') {
      // No RotationLambdaARN, no RotationRules: Secrets Manager keeps the stored configuration.
      const response = await client.send(
        new RotateSecretCommand({
          SecretId: secretArn,
          RotateImmediately: action.rotateImmediately,
        })
      );
      applied = { ...action, versionId: response.VersionId, requestId: requestIdOf(response) };
    } else {
      const response = await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretArn,
          VersionStage: action.versionStage,
          ...('moveTo' in action ? { MoveToVersionId: action.moveTo } : {}),
          RemoveFromVersionId: action.removeFrom,
        })
      );
      applied = { ...action, requestId: requestIdOf(response) };
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
    onCall({
      operation: action.operation,
      action,
      outcome: 'error',
      requestId: requestIdOf(error),
      errorName: errorNameOf(error),
      durationMs: Date.now() - started,
    });
    throw error;
  }
};
