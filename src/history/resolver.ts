/**
 * The failed-step resolver the core uses when a request carries no step (src/remediation/
 * remediate.ts): the pending version's creation from ListSecretVersionIds (unless the caller knows
 * it), then CloudTrail's history. The CloudTrail client and ./cloudtrail-lookup.ts load on the
 * first look-up only, with a lazy `require` that esbuild bundles as a module initialised then.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { installPacing } from '../aws/pacing.js';
import { errorNameOf, isDeadlineReached } from '../aws/sdk-errors.js';
import { listVersions } from '../aws/versions.js';
import { undatedLookup } from '../remediation/evidence.js';
import type { FailedStepResolver, StepLookupTarget } from '../remediation/types.js';

/**
 * When the pending version was created: given, or read with ListSecretVersionIds; the name of what
 * went wrong when it cannot be known.
 */
const createdAtOf = async (
  secretsManager: SecretsManagerClient,
  target: StepLookupTarget
): Promise<Date | string> => {
  if (target.pendingVersionCreatedAt !== undefined) {
    const given = new Date(target.pendingVersionCreatedAt);
    return Number.isNaN(given.getTime()) ? 'InvalidCreatedDate' : given;
  }
  try {
    const versions = await listVersions(secretsManager, target.secretArn);
    const pending = versions.find((version) => version.VersionId === target.pendingVersionId);
    return pending?.CreatedDate ?? 'PendingVersionNotListed';
  } catch (error) {
    if (isDeadlineReached(error)) throw error;
    return errorNameOf(error);
  }
};

/** The look-up module, required on first use (esbuild initialises it then). */
const lookupModule = (): typeof import('./cloudtrail-lookup.js') =>
  require('./cloudtrail-lookup.js');

/**
 * A resolver reading the secret's versions with `secretsManager` and the history with a CloudTrail
 * client of its own (created on first use; `cloudTrail` replaces it in tests). Its `batch()` gives a
 * sweep one window on the history for all of its pending versions.
 */
export const createFailedStepResolver = (
  secretsManager: SecretsManagerClient,
  cloudTrail?: CloudTrailClient
): FailedStepResolver => {
  let client = cloudTrail;
  const clientOf = (lookup: ReturnType<typeof lookupModule>): CloudTrailClient => {
    client ??= installPacing(lookup.createCloudTrailClient());
    return client;
  };
  const createdAt = (target: StepLookupTarget) => createdAtOf(secretsManager, target);
  return {
    resolve: async (target) => {
      const created = await createdAt(target);
      if (typeof created === 'string') return undatedLookup(created);
      const lookup = lookupModule();
      return lookup.lookUpFailedStep(clientOf(lookup), target, created);
    },
    batch: () => {
      let window: FailedStepResolver | undefined;
      return {
        resolve: (target) => {
          if (window === undefined) {
            const lookup = lookupModule();
            window = new lookup.HistoryWindow(clientOf(lookup), createdAt);
          }
          return window.resolve(target);
        },
      };
    },
  };
};
