/**
 * The values of the `outcome` dimension the service records (src/application/remediation-service.ts
 * `#record` and `#metric`): a report's status, a sweep result's, and the service's own words; an
 * error's name besides (`FAILURE_ERROR_NAMES` are the ones a dashboard plots).
 */
import { RemediationStatus } from '../../src/remediation/types.js';
import { SweepResultStatus } from '../../src/sweep/types.js';

/** The outcomes other than error names. */
export const EMITTED_OUTCOMES: readonly string[] = [
  ...new Set([
    ...Object.values(RemediationStatus),
    ...Object.values(SweepResultStatus),
    'replayed',
    'swept',
    'reported',
    'ignored',
    'rejected',
  ]),
];
