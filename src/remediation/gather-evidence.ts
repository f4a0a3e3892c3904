/**
 * Gathers the evidence of one remediation: the secret's versions (ListSecretVersionIds, deprecated
 * ones included: which ids are this secret's, and when the pending version was created), unless the
 * trigger's event names the pending version in its requestID; then the history look-up unless the
 * trigger's event already ties a failure to the pending version. Never throws: what could not be
 * read is named in the evidence, and the planner holds on it.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { errorNameOf, isDeadlineReached } from '../aws/sdk-errors.js';
import { listVersions } from '../aws/versions.js';
import type { VersionFacts } from './evidence.js';
import { assessEvidence, dateOf, undatedLookup } from './evidence.js';
import { idOfRequestId } from './failed-step.js';
import type { AssessedEvidence } from './plan-context.js';
import type {
  EventTie,
  FailedStepResolver,
  RemediationRequest,
  SecretState,
  StepLookup,
} from './types.js';
import { LookupState } from './types.js';

/** What gathering needs: the client, the resolver (absent: look-up off) and the instant of the decision. */
export interface EvidenceSources {
  secretsManager: SecretsManagerClient;
  failedSteps?: FailedStepResolver | undefined;
  now: Date;
}

/** The secret's version ids and the pending version's creation, or the error name of the read. */
const readVersionFacts = async (
  client: SecretsManagerClient,
  secretArn: string,
  pendingVersionId: string
): Promise<VersionFacts | string> => {
  try {
    const versions = await listVersions(client, secretArn, { includeDeprecated: true });
    return {
      ids: new Set(versions.flatMap((version) => version.VersionId ?? [])),
      pendingCreatedAt: versions.find((version) => version.VersionId === pendingVersionId)
        ?.CreatedDate,
    };
  } catch (error) {
    // a read the deadline refused is no evidence either way: the run stops instead of holding
    if (isDeadlineReached(error)) throw error;
    return errorNameOf(error);
  }
};

/**
 * True when the step must come from the history: the request has no event (a tied event names
 * the step, a stale or untied one writes nothing or holds) and is no pinned human discard.
 */
const needsLookup = (request: RemediationRequest, tie: EventTie | null): boolean =>
  tie === null && !(request.humanDecision === true && request.pendingAction === 'discard');

/** Gathers and assesses the evidence of `request` against the pending version of `state`. */
export const gatherEvidence = async (
  sources: EvidenceSources,
  state: SecretState,
  request: RemediationRequest,
  pendingVersionId: string
): Promise<AssessedEvidence & { lookup?: StepLookup }> => {
  const given = dateOf(request.pendingVersionCreatedAt);
  // an event whose requestID names the pending version is tied by it alone, and is its record
  const namesPending =
    idOfRequestId(request.failureEvent?.requestId, state.arn) === pendingVersionId;
  const versions =
    !namesPending && (request.failureEvent !== undefined || given === undefined)
      ? await readVersionFacts(sources.secretsManager, state.arn, pendingVersionId)
      : undefined;
  const base = {
    secretArn: state.arn,
    pendingVersionId,
    event:
      request.failureEvent === undefined
        ? undefined
        : { failure: request.failureEvent, step: request.failedStep },
    versions,
    pendingCreatedAt: given,
    now: sources.now,
  };
  const first = assessEvidence({ ...base, lookup: LookupState.NotNeeded });
  const tie = first.evidence.eventTie;
  if (!needsLookup(request, tie)) return first;
  if (sources.failedSteps === undefined)
    return assessEvidence({ ...base, lookup: LookupState.Off });
  const createdAt = first.evidence.pendingVersionCreatedAt;
  const lookup =
    createdAt === null
      ? undatedLookup(typeof versions === 'string' ? versions : 'PendingVersionNotListed')
      : await sources.failedSteps.resolve({
          secretArn: state.arn,
          secretName: state.name,
          pendingVersionId,
          pendingVersionCreatedAt: createdAt,
        });
  return { ...assessEvidence({ ...base, lookup }), lookup };
};
