/**
 * The failed-step resolver the core uses when a request carries no step (src/remediation/
 * gather-evidence.ts, which gives the pending version's creation): CloudTrail's history from then. The CloudTrail client and ./cloudtrail-lookup.ts load on the
 * first look-up only, with a lazy `require` that esbuild bundles as a module initialised then.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { installPacing } from '../aws/pacing.js';
import { undatedLookup } from '../remediation/evidence.js';
import type { FailedStepResolver, StepLookupTarget } from '../remediation/types.js';

/**
 * When the pending version was created, as the core gives it (src/remediation/gather-evidence.ts
 * reads the versions once for the whole evidence); the name of what is wrong when it cannot be used.
 */
const createdAtOf = async (target: StepLookupTarget): Promise<Date | string> => {
  if (target.pendingVersionCreatedAt === undefined) return 'PendingVersionCreationUnknown';
  const given = new Date(target.pendingVersionCreatedAt);
  return Number.isNaN(given.getTime()) ? 'InvalidCreatedDate' : given;
};

/** The look-up module, required on first use (esbuild initialises it then). */
const lookupModule = (): typeof import('./cloudtrail-lookup.js') =>
  require('./cloudtrail-lookup.js');

/**
 * A resolver reading the history with a CloudTrail client of its own (created on first use;
 * `cloudTrail` replaces it in tests). Its `batch()` gives a sweep one window on the history for all
 * of its pending versions.
 */
export const createFailedStepResolver = (cloudTrail?: CloudTrailClient): FailedStepResolver => {
  let client = cloudTrail;
  const clientOf = (lookup: ReturnType<typeof lookupModule>): CloudTrailClient => {
    client ??= installPacing(lookup.createCloudTrailClient());
    return client;
  };
  return {
    resolve: async (target) => {
      const created = await createdAtOf(target);
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
            window = new lookup.HistoryWindow(clientOf(lookup), createdAtOf);
          }
          return window.resolve(target);
        },
      };
    },
  };
};
