/**
 * Reads a secret's state with one DescribeSecret: rotation settings, labels, deletion, ownership,
 * replica region and tags. Never a secret value.
 */
import type { DescribeSecretResponse, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerSdk } from '../aws/clients.js';
import { errorNameOf, isNotFound, SdkErrorName } from '../aws/sdk-errors.js';
import {
  AwsCallFailed,
  SECRET_NOT_FOUND_MESSAGE,
  SecretNotFound,
  ValidationError,
} from '../errors.js';
import type { SecretState, StateSnapshot } from './types.js';

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

/** Converts a DescribeSecret response into the core's {@link SecretState}. */
export const toSecretState = (response: DescribeSecretResponse): SecretState => ({
  arn: response.ARN ?? '',
  name: response.Name ?? '',
  rotationEnabled: response.RotationEnabled,
  rotationLambdaArn: response.RotationLambdaARN,
  lastRotatedDate: iso(response.LastRotatedDate),
  nextRotationDate: iso(response.NextRotationDate),
  deletedDate: iso(response.DeletedDate),
  owningService: response.OwningService,
  primaryRegion: response.PrimaryRegion,
  tags: Object.fromEntries(
    (response.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''] as const)
  ),
  versionIdsToStages: Object.fromEntries(
    Object.entries(response.VersionIdsToStages ?? {})
      .filter(([, stages]) => stages.length > 0)
      .map(([id, stages]) => [id, [...stages].sort()] as const)
  ),
});

/** The report's view of a state. */
export const toSnapshot = (state: SecretState): StateSnapshot => ({
  rotationEnabled: state.rotationEnabled ?? null,
  versionIdsToStages: state.versionIdsToStages,
  lastRotatedDate: state.lastRotatedDate ?? null,
  nextRotationDate: state.nextRotationDate ?? null,
  rotationLambdaArn: state.rotationLambdaArn ?? null,
});

/**
 * Reads the state of one secret (name or ARN). A missing secret is a {@link SecretNotFound};
 * any other failure, once the SDK's retries are spent, an {@link AwsCallFailed}.
 */
export const readSecretState = async (
  client: SecretsManagerClient,
  secretId: string
): Promise<SecretState> => {
  try {
    const response = await client.send(
      new (secretsManagerSdk().DescribeSecretCommand)({ SecretId: secretId })
    );
    if (response.ARN === undefined || response.Name === undefined) {
      throw new AwsCallFailed('DescribeSecret returned no ARN or Name.');
    }
    return toSecretState(response);
  } catch (error) {
    if (error instanceof AwsCallFailed) throw error;
    if (isNotFound(error)) {
      throw new SecretNotFound(SECRET_NOT_FOUND_MESSAGE, { cause: error });
    }
    if (errorNameOf(error) === SdkErrorName.InvalidParameter) {
      throw new ValidationError('Secrets Manager rejected the secretId as invalid.', {
        cause: error,
      });
    }
    throw new AwsCallFailed(`DescribeSecret failed: ${errorNameOf(error)}.`, { cause: error });
  }
};
