/**
 * Label maps as the tests compare them. Implementations differ in how they list a version that
 * carries no label any more: AWS and our emulator leave it out of `VersionIdsToStages`, moto lists
 * it with `[]`. The remediator filters such versions, so the tests compare with them dropped (and
 * each version's labels sorted: they are a set). Nothing about the labels themselves is relaxed.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';

/** A version id → labels map. */
export type LabelMap = Record<string, string[]>;

/** The map without unlabelled versions, each version's labels sorted. */
export const comparableLabels = (labels: LabelMap | undefined): LabelMap =>
  Object.fromEntries(
    Object.entries(labels ?? {})
      .filter(([, stages]) => stages.length > 0)
      .map(([versionId, stages]) => [versionId, [...stages].sort()])
  );

/** Reads a secret's label map with one DescribeSecret, in comparable form. */
export const readLabels = async (
  client: SecretsManagerClient,
  secretId: string
): Promise<LabelMap> =>
  comparableLabels(
    (await client.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages
  );
