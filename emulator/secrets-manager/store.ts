import { randomBytes, randomUUID } from 'node:crypto';
import { CloudTrailService, rotationFailedMessage } from './cloudtrail.js';
import {
  EmulatorError,
  ErrorMessage,
  ErrorName,
  invalidParameter,
  invalidRequest,
  resourceNotFound,
} from './errors.js';
import type { SecretRecord, VersionRecord } from './model.js';
import {
  attachLabel,
  attachLabelAsService,
  cloneSecret,
  detachLabel,
  findVersion,
  hasValue,
  holderOf,
  labelMap,
  partitionFor,
  purgeDeprecated,
  Stage,
  toEpochSeconds,
} from './model.js';
import { LastPageToken, paginate } from './pagination.js';
import type { SeedCleanSecretOptions, SeededSecret, SeedFailedRotationOptions } from './seed.js';
import { buildCleanSecret, buildFailedRotation } from './seed.js';
import type { ParsedFilter, SecretValueParam } from './validation.js';
import {
  assertSecretName,
  FilterKey,
  filtersParam,
  optionalBoolean,
  optionalInteger,
  optionalString,
  optionalStringList,
  optionalTags,
  requiredString,
  rotationRulesParam,
  secretIdParam,
  secretValueParam,
  versionIdParam,
} from './validation.js';
import type {
  CancelRotateSecretResponse,
  CreateSecretResponse,
  DeleteSecretResponse,
  DescribeSecretResponse,
  EmptyResponse,
  GetSecretValueResponse,
  JsonRequest,
  ListSecretsResponse,
  ListSecretVersionIdsResponse,
  PutSecretValueResponse,
  RestoreSecretResponse,
  RotateSecretResponse,
  SecretListEntry,
  SecretVersionsListEntry,
  UpdateSecretResponse,
  UpdateSecretVersionStageResponse,
  WireRotationRules,
} from './wire.js';
import { Operation } from './wire.js';

/** Options of a {@link SecretStore}. */
export interface SecretStoreOptions {
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** Clock in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/** A version as {@link SecretStore.versions} reports it. */
export interface VersionInfo {
  versionId: string;
  labels: string[];
  hasValue: boolean;
  secretString?: string;
  createdDate: Date;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LABEL_BOUNDS = { min: 1, max: 256 } as const;
const ARN_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function sameValue(version: VersionRecord, value: SecretValueParam): boolean {
  return version.secretString === value.secretString && version.secretBinary === value.secretBinary;
}

/**
 * The next rotation date of a schedule, from `from`. A schedule in days (`AutomaticallyAfterDays`,
 * `rate(n days)`) ends at the last second of the UTC day n days on, the end of its rotation window
 * (what DescribeSecret shows as `...T23:59:59Z`); `rate(n hours)` is n hours on; a cron expression
 * is approximated by the end of the next UTC day.
 */
function nextRotationFrom(from: number, rules: WireRotationRules | undefined): number | undefined {
  const endOfDayAfter = (days: number): number => startOfUtcDay(from) + (days + 1) * DAY_MS - 1000;
  if (rules?.AutomaticallyAfterDays !== undefined) {
    return endOfDayAfter(rules.AutomaticallyAfterDays);
  }
  const schedule = rules?.ScheduleExpression;
  if (schedule === undefined) return undefined;
  const rate = /^rate\((\d+) (hour|hours|day|days)\)$/.exec(schedule);
  if (rate?.[1] !== undefined && rate[2] !== undefined) {
    return rate[2].startsWith('hour')
      ? from + Number(rate[1]) * HOUR_MS
      : endOfDayAfter(Number(rate[1]));
  }
  return endOfDayAfter(1);
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s/_+=.@!-]+/)
    .filter((w) => w.length > 0);
}

function matchesPrefix(candidates: readonly string[], value: string): boolean {
  const negate = value.startsWith('!');
  const prefix = negate ? value.slice(1) : value;
  const hit = candidates.some((c) => c.startsWith(prefix));
  return negate ? !hit : hit;
}

function matchesFilter(secret: SecretRecord, filter: ParsedFilter): boolean {
  return filter.values.some((value) => {
    switch (filter.key) {
      case FilterKey.Name:
        return matchesPrefix([secret.name], value);
      case FilterKey.Description:
        return matchesPrefix(secret.description === undefined ? [] : [secret.description], value);
      case FilterKey.TagKey:
        return matchesPrefix(
          secret.tags.map((t) => t.Key),
          value
        );
      case FilterKey.TagValue:
        return matchesPrefix(
          secret.tags.map((t) => t.Value),
          value
        );
      case FilterKey.OwningService:
        return matchesPrefix(
          secret.owningService === undefined ? [] : [secret.owningService],
          value
        );
      case FilterKey.PrimaryRegion:
        return matchesPrefix(
          secret.primaryRegion === undefined ? [] : [secret.primaryRegion],
          value
        );
      case FilterKey.All: {
        const words = [
          secret.name,
          ...wordsOf(secret.name),
          ...wordsOf(secret.description ?? ''),
          ...secret.tags.flatMap((t) => [...wordsOf(t.Key), ...wordsOf(t.Value)]),
        ].map((w) => w.toLowerCase());
        return wordsOf(value).every((word) => matchesPrefix(words, word));
      }
    }
    return false;
  });
}

/**
 * The emulator's state and the operations on it, with no HTTP, quotas or faults involved.
 * Each operation method takes the JSON request object and returns the JSON response object, or
 * throws an {@link EmulatorError}. Each call is atomic: it works on a copy and commits only on success.
 */
export class SecretStore {
  /** The region in ARNs. */
  readonly region: string;
  /** The account in ARNs. */
  readonly accountId: string;
  /**
   * When set to N ≥ 1, ListSecretVersionIds and ListSecrets answer their first page, and one page
   * after every N pages with content, with no entries yet a NextToken (as AWS may).
   */
  emptyPagesEvery: number | undefined = undefined;
  /** CloudTrail's event history of this account and region (served by the emulator too). */
  readonly cloudTrail: CloudTrailService;
  /**
   * How both list operations mark their last page: `absent` (AWS, the default), `empty` (`""`) or
   * `endless` (a new token on every page, for ever).
   */
  lastPageToken: LastPageToken = LastPageToken.Absent;
  /** When set, ListSecretVersionIds alone marks its last page this way (ListSecrets keeps the above). */
  versionsLastPageToken: LastPageToken | undefined = undefined;
  /** When true, both list operations answer a page asked for with a token with that same token. */
  repeatToken = false;
  /**
   * When true, the test that RotateSecret with `RotateImmediately=false` runs fails: its AWSPENDING
   * stays on the test version and the history gets TestRotationFailed instead of
   * TestRotationSucceeded. Rotation stays enabled (what AWS does then is unconfirmed).
   */
  failTestRotation = false;

  #secrets = new Map<string, SecretRecord>();
  #now: () => number;

  /** An empty store. */
  constructor(options: SecretStoreOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.#now = options.now ?? Date.now;
    this.cloudTrail = new CloudTrailService({ region: this.region, accountId: this.accountId });
  }

  /** Runs one operation by its wire name; unknown names give UnknownOperationException. */
  execute(operation: string, request: JsonRequest): object {
    switch (operation) {
      case Operation.CancelRotateSecret:
        return this.cancelRotateSecret(request);
      case Operation.CreateSecret:
        return this.createSecret(request);
      case Operation.DeleteSecret:
        return this.deleteSecret(request);
      case Operation.DescribeSecret:
        return this.describeSecret(request);
      case Operation.GetSecretValue:
        return this.getSecretValue(request);
      case Operation.ListSecrets:
        return this.listSecrets(request);
      case Operation.ListSecretVersionIds:
        return this.listSecretVersionIds(request);
      case Operation.PutSecretValue:
        return this.putSecretValue(request);
      case Operation.RestoreSecret:
        return this.restoreSecret(request);
      case Operation.RotateSecret:
        return this.rotateSecret(request);
      case Operation.TagResource:
        return this.tagResource(request);
      case Operation.UntagResource:
        return this.untagResource(request);
      case Operation.UpdateSecret:
        return this.updateSecret(request);
      case Operation.UpdateSecretVersionStage:
        return this.updateSecretVersionStage(request);
      default:
        throw new EmulatorError(
          ErrorName.UnknownOperation,
          `Operation ${operation} is not supported by the emulator.`
        );
    }
  }

  // ---------------------------------------------------------------- operations

  /** CreateSecret: AWSCURRENT version only when a value is given; ResourceExistsException on a taken name. */
  createSecret(request: JsonRequest): CreateSecretResponse {
    const name = requiredString(request, 'Name');
    assertSecretName(name);
    const token = versionIdParam(request, 'ClientRequestToken');
    const description = optionalString(request, 'Description', { max: 2048 });
    const kmsKeyId = optionalString(request, 'KmsKeyId', { max: 2048 });
    const value = secretValueParam(request);
    const tags = optionalTags(request) ?? [];
    const existing = this.#find(name);
    if (existing !== undefined) {
      if (existing.deletedAt !== undefined) {
        throw invalidRequest(
          "You can't create this secret because a secret with this name is already scheduled for deletion."
        );
      }
      const same = token === undefined ? undefined : findVersion(existing, token);
      if (same !== undefined && value !== undefined && sameValue(same, value)) {
        return { ARN: existing.arn, Name: existing.name, VersionId: same.versionId };
      }
      throw new EmulatorError(
        ErrorName.ResourceExists,
        `The operation failed because the secret ${name} already exists.`
      );
    }
    const now = this.#now();
    const secret: SecretRecord = {
      arn: this.#arnFor(name),
      name,
      createdAt: now,
      lastChangedAt: now,
      managedAllowsCancel: false,
      tags,
      versions: [],
    };
    if (description !== undefined) secret.description = description;
    if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;
    const response: CreateSecretResponse = { ARN: secret.arn, Name: name };
    if (value !== undefined) {
      const version: VersionRecord = {
        versionId: token ?? randomUUID(),
        createdAt: now,
        labels: [Stage.Current],
        ...value,
      };
      secret.versions.push(version);
      response.VersionId = version.versionId;
    }
    this.#secrets.set(name, secret);
    return response;
  }

  /**
   * PutSecretValue: stores a value (a new version, or the valueless one RotateSecret made) and attaches
   * VersionStages (default AWSCURRENT; attaching AWSCURRENT moves AWSPREVIOUS to the old current).
   * Same token + same value is a no-op; same token + different value is ResourceExistsException.
   */
  putSecretValue(request: JsonRequest): PutSecretValueResponse {
    const secretId = secretIdParam(request);
    const token = versionIdParam(request, 'ClientRequestToken');
    const value = secretValueParam(request);
    const stages = optionalStringList(request, 'VersionStages', LABEL_BOUNDS, 20) ?? [
      Stage.Current,
    ];
    if (value === undefined) {
      throw invalidParameter('You must provide either SecretString or SecretBinary.');
    }
    return this.#mutate(secretId, { managed: true }, (secret, now) => {
      const versionId = token ?? randomUUID();
      let version = findVersion(secret, versionId);
      if (version !== undefined && hasValue(version)) {
        if (!sameValue(version, value)) {
          throw new EmulatorError(
            ErrorName.ResourceExists,
            "You can't modify an existing version, you can only create a new version."
          );
        }
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          VersionStages: [...version.labels],
        };
      }
      if (version === undefined) {
        version = { versionId, createdAt: now, labels: [] };
        secret.versions.push(version);
      }
      Object.assign(version, value);
      for (const stage of stages) attachLabelAsService(secret, stage, version);
      secret.lastChangedAt = now;
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        VersionStages: [...version.labels],
      };
    });
  }

  /** UpdateSecret: Description / KmsKeyId, and with a value a new AWSCURRENT version. */
  updateSecret(request: JsonRequest): UpdateSecretResponse {
    const secretId = secretIdParam(request);
    const token = versionIdParam(request, 'ClientRequestToken');
    const description = optionalString(request, 'Description', { max: 2048 });
    const kmsKeyId = optionalString(request, 'KmsKeyId', { max: 2048 });
    const value = secretValueParam(request);
    return this.#mutate(secretId, { managed: true }, (secret, now) => {
      if (description !== undefined) secret.description = description;
      if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;
      secret.lastChangedAt = now;
      const response: UpdateSecretResponse = { ARN: secret.arn, Name: secret.name };
      if (value === undefined) return response;
      const versionId = token ?? randomUUID();
      const existing = findVersion(secret, versionId);
      if (existing !== undefined && hasValue(existing)) {
        if (!sameValue(existing, value)) {
          throw new EmulatorError(
            ErrorName.ResourceExists,
            "You can't modify an existing version, you can only create a new version."
          );
        }
        response.VersionId = versionId;
        return response;
      }
      const version = existing ?? { versionId, createdAt: now, labels: [] };
      if (existing === undefined) secret.versions.push(version);
      Object.assign(version, value);
      attachLabelAsService(secret, Stage.Current, version);
      response.VersionId = versionId;
      return response;
    });
  }

  /** GetSecretValue (for tests; the remediator never reads values). Default stage AWSCURRENT. */
  getSecretValue(request: JsonRequest): GetSecretValueResponse {
    const secretId = secretIdParam(request);
    const versionId = versionIdParam(request, 'VersionId');
    const versionStage = optionalString(request, 'VersionStage', LABEL_BOUNDS);
    const secret = this.#resolve(secretId);
    if (secret.deletedAt !== undefined) throw invalidRequest(ErrorMessage.markedForDeletion);
    let version: VersionRecord | undefined;
    if (versionId !== undefined) {
      version = findVersion(secret, versionId);
      if (version !== undefined && versionStage !== undefined) {
        if (!version.labels.includes(versionStage)) version = undefined;
      }
    } else {
      version = holderOf(secret, versionStage ?? Stage.Current);
    }
    if (version === undefined || !hasValue(version)) {
      throw resourceNotFound(
        `Secrets Manager can't find the specified secret value for ${
          versionId === undefined
            ? `staging label: ${versionStage ?? Stage.Current}`
            : `VersionId: ${versionId}`
        }`
      );
    }
    const now = startOfUtcDay(this.#now());
    version.lastAccessedAt = now;
    secret.lastAccessedAt = now;
    const response: GetSecretValueResponse = {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      VersionStages: [...version.labels],
      CreatedDate: toEpochSeconds(version.createdAt),
    };
    if (version.secretString !== undefined) response.SecretString = version.secretString;
    if (version.secretBinary !== undefined) response.SecretBinary = version.secretBinary;
    return response;
  }

  /** DescribeSecret: metadata and the whole label picture; works on secrets marked for deletion. */
  describeSecret(request: JsonRequest): DescribeSecretResponse {
    const secret = this.#resolve(secretIdParam(request));
    const { SecretVersionsToStages, ...rest } = this.#listEntry(secret);
    const response: DescribeSecretResponse = { ...rest };
    if (SecretVersionsToStages !== undefined) response.VersionIdsToStages = SecretVersionsToStages;
    return response;
  }

  /** ListSecretVersionIds: labelled versions (all with IncludeDeprecated), paginated. */
  listSecretVersionIds(request: JsonRequest): ListSecretVersionIdsResponse {
    const secretId = secretIdParam(request);
    const maxResults = optionalInteger(request, 'MaxResults', 1, 100);
    const nextToken = optionalString(request, 'NextToken', { min: 1, max: 4096 });
    const includeDeprecated = optionalBoolean(request, 'IncludeDeprecated') ?? false;
    const secret = this.#resolve(secretId);
    const versions = secret.versions.filter((v) => includeDeprecated || v.labels.length > 0);
    const page = paginate(versions, {
      scope: `versions:${secret.arn}:${includeDeprecated}`,
      maxResults,
      nextToken,
      emptyPagesEvery: this.emptyPagesEvery,
      lastPageToken: this.versionsLastPageToken ?? this.lastPageToken,
      repeatToken: this.repeatToken,
    });
    const response: ListSecretVersionIdsResponse = {
      Versions: page.items.map((v) => {
        const entry: SecretVersionsListEntry = {
          VersionId: v.versionId,
          CreatedDate: toEpochSeconds(v.createdAt),
        };
        if (v.labels.length > 0) entry.VersionStages = [...v.labels];
        if (v.lastAccessedAt !== undefined)
          entry.LastAccessedDate = toEpochSeconds(v.lastAccessedAt);
        return entry;
      }),
      ARN: secret.arn,
      Name: secret.name,
    };
    if (page.nextToken !== undefined) response.NextToken = page.nextToken;
    return response;
  }

  /** ListSecrets: filters (AND across filters, OR across values, `!` negates), sorting, pagination. */
  listSecrets(request: JsonRequest): ListSecretsResponse {
    const includePlannedDeletion = optionalBoolean(request, 'IncludePlannedDeletion') ?? false;
    const maxResults = optionalInteger(request, 'MaxResults', 1, 100);
    const nextToken = optionalString(request, 'NextToken', { min: 1, max: 4096 });
    const filters = filtersParam(request);
    const sortOrder = optionalString(request, 'SortOrder') ?? 'asc';
    if (sortOrder !== 'asc' && sortOrder !== 'desc') {
      throw invalidParameter('Invalid SortOrder: must be asc or desc.');
    }
    const sortBy = optionalString(request, 'SortBy') ?? 'created-date';
    const sortKeys: Record<string, (s: SecretRecord) => number | string> = {
      'created-date': (s) => s.createdAt,
      'last-accessed-date': (s) => s.lastAccessedAt ?? 0,
      'last-changed-date': (s) => s.lastChangedAt,
      name: (s) => s.name,
    };
    const sortKey = sortKeys[sortBy];
    if (sortKey === undefined) throw invalidParameter(`Invalid SortBy: ${sortBy}.`);
    this.#purgeExpired();
    const direction = sortOrder === 'asc' ? 1 : -1;
    const secrets = [...this.#secrets.values()]
      .filter((s) => includePlannedDeletion || s.deletedAt === undefined)
      .filter((s) => filters.every((f) => matchesFilter(s, f)))
      .sort((a, b) => {
        const ka = sortKey(a);
        const kb = sortKey(b);
        if (ka === kb) return a.name < b.name ? -direction : a.name > b.name ? direction : 0;
        return ka < kb ? -direction : direction;
      });
    const page = paginate(secrets, {
      scope: `secrets:${includePlannedDeletion}:${JSON.stringify(filters)}:${sortOrder}:${sortBy}`,
      maxResults,
      nextToken,
      emptyPagesEvery: this.emptyPagesEvery,
      lastPageToken: this.lastPageToken,
      repeatToken: this.repeatToken,
    });
    const response: ListSecretsResponse = {
      SecretList: page.items.map((s) => this.#listEntry(s)),
    };
    if (page.nextToken !== undefined) response.NextToken = page.nextToken;
    return response;
  }

  /**
   * RotateSecret: refused while AWSPENDING sits on a version other than AWSCURRENT; needs a rotation
   * Lambda ARN (given or stored). Invokes no Lambda: enables rotation, stores ARN/rules and, when
   * RotateImmediately (default), attaches AWSPENDING to a new version holding no value. With
   * `RotateImmediately=false` it runs the simulated test (AWSPENDING on a new version, then removed;
   * TestRotation* records in the history) and sets the next rotation date from the schedule.
   */
  rotateSecret(request: JsonRequest): RotateSecretResponse {
    const secretId = secretIdParam(request);
    const token = versionIdParam(request, 'ClientRequestToken');
    const lambdaArn = optionalString(request, 'RotationLambdaARN', { min: 1, max: 2048 });
    const rules = rotationRulesParam(request);
    const rotateImmediately = optionalBoolean(request, 'RotateImmediately') ?? true;
    return this.#mutate(secretId, { managed: false }, (secret, now) => {
      const pending = holderOf(secret, Stage.Pending);
      const current = holderOf(secret, Stage.Current);
      if (pending !== undefined && pending !== current) {
        if (rotateImmediately && token !== undefined && pending.versionId === token) {
          return { ARN: secret.arn, Name: secret.name, VersionId: token };
        }
        throw invalidRequest(ErrorMessage.previousRotationIncomplete);
      }
      const arn = lambdaArn ?? secret.rotationLambdaArn;
      if (arn === undefined && secret.owningService === undefined) {
        throw invalidRequest(
          'No Lambda rotation function ARN is associated with this secret. Specify RotationLambdaARN.'
        );
      }
      if (arn !== undefined) secret.rotationLambdaArn = arn;
      if (rules !== undefined) secret.rotationRules = rules;
      secret.rotationEnabled = true;
      secret.lastChangedAt = now;
      const response: RotateSecretResponse = { ARN: secret.arn, Name: secret.name };
      if (rotateImmediately) {
        const version = this.#newPendingVersion(secret, token, now);
        response.VersionId = version.versionId;
      } else if (secret.owningService === undefined) {
        this.#testRotation(secret, this.#newPendingVersion(secret, token, now), now);
      }
      const next = nextRotationFrom(
        rotateImmediately ? now : (secret.lastRotatedAt ?? now),
        secret.rotationRules
      );
      if (next === undefined) delete secret.nextRotationAt;
      else secret.nextRotationAt = next;
      return response;
    });
  }

  /** A new version holding no value, with AWSPENDING (RotateSecret's first move). */
  #newPendingVersion(secret: SecretRecord, token: string | undefined, now: number): VersionRecord {
    const versionId = token ?? randomUUID();
    if (findVersion(secret, versionId) !== undefined) {
      throw new EmulatorError(
        ErrorName.ResourceExists,
        `A version with ClientRequestToken ${versionId} already exists.`
      );
    }
    const version: VersionRecord = { versionId, createdAt: now, labels: [] };
    secret.versions.push(version);
    attachLabel(secret, Stage.Pending, version);
    return version;
  }

  /**
   * The test of RotateSecret with `RotateImmediately=false`: the function's testSecret step on the
   * AWSPENDING version, which is removed again, recorded as TestRotationStarted and then
   * TestRotationSucceeded; with {@link failTestRotation}, TestRotationFailed and AWSPENDING stays.
   */
  #testRotation(secret: SecretRecord, version: VersionRecord, now: number): void {
    const record = { secretId: secret.arn, secretArn: secret.arn, versionId: version.versionId };
    this.cloudTrail.record({
      ...record,
      eventName: 'TestRotationStarted',
      at: new Date(now),
      errorMessage: null,
    });
    if (this.failTestRotation) {
      this.cloudTrail.record({
        ...record,
        eventName: 'TestRotationFailed',
        at: new Date(now),
        errorMessage: rotationFailedMessage('testSecret'),
      });
      return;
    }
    version.labels = version.labels.filter((label) => label !== Stage.Pending);
    this.cloudTrail.record({
      ...record,
      eventName: 'TestRotationSucceeded',
      at: new Date(now),
      errorMessage: null,
    });
  }

  /**
   * CancelRotateSecret: RotationEnabled false, ARN and rules kept, LastRotatedDate/NextRotationDate
   * dropped, labels untouched. VersionId is the pending version when AWSPENDING is off AWSCURRENT.
   */
  cancelRotateSecret(request: JsonRequest): CancelRotateSecretResponse {
    const secretId = secretIdParam(request);
    return this.#mutate(secretId, { managed: false }, (secret, now) => {
      if (secret.owningService !== undefined && !secret.managedAllowsCancel) {
        throw invalidRequest(
          `You can't cancel rotation of this secret because it is managed by another service (${secret.owningService}).`
        );
      }
      if (secret.rotationLambdaArn === undefined) {
        throw invalidRequest(
          "You can't cancel rotation because no rotation function was ever configured for this secret."
        );
      }
      secret.rotationEnabled = false;
      delete secret.lastRotatedAt;
      delete secret.nextRotationAt;
      secret.lastChangedAt = now;
      const response: CancelRotateSecretResponse = { ARN: secret.arn, Name: secret.name };
      const pending = holderOf(secret, Stage.Pending);
      if (pending !== undefined && pending !== holderOf(secret, Stage.Current)) {
        response.VersionId = pending.versionId;
      }
      return response;
    });
  }

  /**
   * UpdateSecretVersionStage: move (MoveToVersionId, with RemoveFromVersionId naming the current holder
   * when the label is attached elsewhere) or remove (RemoveFromVersionId only). Moving AWSCURRENT moves
   * AWSPREVIOUS to the version AWSCURRENT left.
   */
  updateSecretVersionStage(request: JsonRequest): UpdateSecretVersionStageResponse {
    const secretId = secretIdParam(request);
    const stage = requiredString(request, 'VersionStage', LABEL_BOUNDS);
    const moveTo = versionIdParam(request, 'MoveToVersionId');
    const removeFrom = versionIdParam(request, 'RemoveFromVersionId');
    if (moveTo === undefined && removeFrom === undefined) {
      throw invalidParameter('You must specify MoveToVersionId, RemoveFromVersionId, or both.');
    }
    return this.#mutate(secretId, { managed: true }, (secret, now) => {
      const holder = holderOf(secret, stage);
      const response = { ARN: secret.arn, Name: secret.name };
      const notOn = (versionId: string): EmulatorError =>
        invalidParameter(
          holder === undefined
            ? `The staging label ${stage} is not attached to any version, so it can't be removed from version ${versionId}.`
            : `The staging label ${stage} is attached to version ${holder.versionId}, not to version ${versionId}.`
        );
      if (moveTo === undefined) {
        if (removeFrom === undefined || holder?.versionId !== removeFrom) {
          throw notOn(removeFrom ?? '');
        }
        if (stage === Stage.Current) {
          throw invalidParameter(
            'You can only move staging label AWSCURRENT to a different secret version. It can’t be completely removed.'
          );
        }
        detachLabel(secret, stage);
        secret.lastChangedAt = now;
        return response;
      }
      const target = findVersion(secret, moveTo);
      if (target === undefined) {
        throw invalidParameter(`The version ${moveTo} doesn't exist for secret ${secret.name}.`);
      }
      if (holder !== undefined && holder !== target) {
        if (removeFrom === undefined) {
          throw invalidParameter(
            `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`
          );
        }
        if (removeFrom !== holder.versionId) throw notOn(removeFrom);
      } else if (removeFrom !== undefined && removeFrom !== holder?.versionId) {
        throw notOn(removeFrom);
      }
      if (holder === target) return response;
      attachLabelAsService(secret, stage, target);
      secret.lastChangedAt = now;
      return response;
    });
  }

  /** DeleteSecret: schedules deletion (RecoveryWindowInDays 7–30, default 30) or removes at once when forced. */
  deleteSecret(request: JsonRequest): DeleteSecretResponse {
    const secretId = secretIdParam(request);
    const window = optionalInteger(request, 'RecoveryWindowInDays', 7, 30);
    const force = optionalBoolean(request, 'ForceDeleteWithoutRecovery') ?? false;
    if (force && window !== undefined) {
      throw invalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
      );
    }
    return this.#mutate(secretId, { managed: false }, (secret, now) => {
      if (force) {
        this.#secrets.delete(secret.name);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: toEpochSeconds(now) };
      }
      secret.deletedAt = now;
      secret.deletionAt = now + (window ?? 30) * DAY_MS;
      return {
        ARN: secret.arn,
        Name: secret.name,
        DeletionDate: toEpochSeconds(secret.deletionAt),
      };
    });
  }

  /** RestoreSecret: cancels a scheduled deletion (harmless on a secret not scheduled for deletion). */
  restoreSecret(request: JsonRequest): RestoreSecretResponse {
    const secretId = secretIdParam(request);
    return this.#mutate(
      secretId,
      { managed: false, allowDeleted: true },
      (secret, now): RestoreSecretResponse => {
        if (secret.deletedAt !== undefined) {
          delete secret.deletedAt;
          delete secret.deletionAt;
          secret.lastChangedAt = now;
        }
        return { ARN: secret.arn, Name: secret.name };
      }
    );
  }

  /** TagResource: adds tags, replacing the values of existing keys (at most 50 tags in all). */
  tagResource(request: JsonRequest): EmptyResponse {
    const secretId = secretIdParam(request);
    const tags = optionalTags(request);
    if (tags === undefined) throw invalidParameter('You must provide a value for Tags.');
    return this.#mutate(secretId, { managed: false }, (secret, now): EmptyResponse => {
      for (const tag of tags) {
        const existing = secret.tags.find((t) => t.Key === tag.Key);
        if (existing === undefined) secret.tags.push(tag);
        else existing.Value = tag.Value;
      }
      if (secret.tags.length > 50) {
        throw invalidParameter('A secret can have at most 50 tags.');
      }
      secret.lastChangedAt = now;
      return {};
    });
  }

  /** UntagResource: removes the tags with the given keys. */
  untagResource(request: JsonRequest): EmptyResponse {
    const secretId = secretIdParam(request);
    const keys = optionalStringList(request, 'TagKeys', { min: 1, max: 128 }, 50);
    if (keys === undefined) throw invalidParameter('You must provide a value for TagKeys.');
    return this.#mutate(secretId, { managed: false }, (secret, now): EmptyResponse => {
      secret.tags = secret.tags.filter((t) => !keys.includes(t.Key));
      secret.lastChangedAt = now;
      return {};
    });
  }

  // ---------------------------------------------------------------- seeding and inspection

  /**
   * Seeds the state a rotation failing at `step` leaves (no Lambda involved): AWSPREVIOUS and
   * AWSCURRENT with values, AWSPENDING on a third version (holding no value for createSecret),
   * rotation enabled with a Lambda ARN, 30-day rules, LastRotatedDate set and NextRotationDate past.
   */
  seedFailedRotation(options: SeedFailedRotationOptions): SeededSecret {
    const { record, seeded } = buildFailedRotation(this.#seedContext(), options);
    this.#insert(record);
    if (options.failureRecord !== false) this.#recordFailure(seeded, options);
    return seeded;
  }

  /** The RotationFailed record of a seeded failed rotation (see `failureRecord`). */
  #recordFailure(seeded: SeededSecret, options: SeedFailedRotationOptions): void {
    const record = options.failureRecord === false ? {} : (options.failureRecord ?? {});
    const pendingAt = options.pendingCreatedAt?.getTime() ?? this.#now() - 3_600_000;
    this.cloudTrail.record({
      secretId: record.secretIdIsName === true ? seeded.name : seeded.arn,
      secretArn: seeded.arn,
      versionId: record.requestIdNamesVersion === false ? null : (seeded.pendingVersionId ?? null),
      at: record.at ?? new Date(Math.min(pendingAt + 1_000, this.#now())),
      errorMessage:
        record.errorMessage === undefined
          ? rotationFailedMessage(options.step)
          : record.errorMessage,
    });
  }

  /** Seeds a healthy secret (AWSPREVIOUS + AWSCURRENT; AWSPENDING on AWSCURRENT when asked). */
  seedCleanSecret(options: SeedCleanSecretOptions): SeededSecret {
    const { record, seeded } = buildCleanSecret(this.#seedContext(), options);
    this.#insert(record);
    return seeded;
  }

  /** Labelled versions only: versionId → labels. */
  labels(secretId: string): Record<string, string[]> {
    return labelMap(this.#resolve(secretId));
  }

  /** The DescribeSecret response object for a secret. */
  describe(secretId: string): DescribeSecretResponse {
    return this.describeSecret({ SecretId: secretId });
  }

  /** Every version (labelled or not) in creation order, with its value. */
  versions(secretId: string): VersionInfo[] {
    return this.#resolve(secretId).versions.map((v) => {
      const info: VersionInfo = {
        versionId: v.versionId,
        labels: [...v.labels],
        hasValue: hasValue(v),
        createdDate: new Date(v.createdAt),
      };
      if (v.secretString !== undefined) info.secretString = v.secretString;
      return info;
    });
  }

  /** Whether a secret (by name or ARN) exists, scheduled for deletion or not. */
  has(secretId: string): boolean {
    return this.#lookup(secretId) !== undefined;
  }

  /** Sets a version's CreatedDate. */
  setPendingCreatedDate(secretId: string, versionId: string, date: Date): void {
    const version = findVersion(this.#resolve(secretId), versionId);
    if (version === undefined) throw invalidParameter(`No version ${versionId}.`);
    version.createdAt = date.getTime();
  }

  /** Schedules deletion directly (DeletedDate now, deletion after `recoveryWindowInDays`). */
  markForDeletion(secretId: string, recoveryWindowInDays = 30): void {
    const secret = this.#resolve(secretId);
    const now = this.#now();
    secret.deletedAt = now;
    secret.deletionAt = now + recoveryWindowInDays * DAY_MS;
  }

  /**
   * Puts `label` on `versionId` directly, taking it off any other version, with no AWSPREVIOUS
   * bookkeeping and no checks (creates a valueless version when the id is unknown). For race hooks.
   */
  attachLabel(secretId: string, label: string, versionId: string): void {
    const secret = this.#resolve(secretId);
    let version = findVersion(secret, versionId);
    if (version === undefined) {
      version = { versionId, createdAt: this.#now(), labels: [] };
      secret.versions.push(version);
    }
    attachLabel(secret, label, version);
    secret.lastChangedAt = this.#now();
  }

  /** Removes `label` from whichever version carries it, directly. */
  detachLabel(secretId: string, label: string): void {
    const secret = this.#resolve(secretId);
    detachLabel(secret, label);
    secret.lastChangedAt = this.#now();
  }

  /** Removes every secret. */
  clear(): void {
    this.#secrets.clear();
    this.cloudTrail.clear();
  }

  // ---------------------------------------------------------------- internals

  #seedContext() {
    return {
      region: this.region,
      accountId: this.accountId,
      now: this.#now(),
      arnFor: (name: string) => this.#arnFor(name),
    };
  }

  #insert(record: SecretRecord): void {
    if (this.#find(record.name) !== undefined) {
      throw new EmulatorError(
        ErrorName.ResourceExists,
        `The operation failed because the secret ${record.name} already exists.`
      );
    }
    this.#secrets.set(record.name, record);
  }

  #arnFor(name: string): string {
    const bytes = randomBytes(6);
    const suffix = [...bytes]
      .map((b) => ARN_SUFFIX_ALPHABET[b % ARN_SUFFIX_ALPHABET.length] ?? 'A')
      .join('');
    return `arn:${partitionFor(this.region)}:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${suffix}`;
  }

  #purgeExpired(): void {
    const now = this.#now();
    for (const [name, secret] of this.#secrets) {
      if (secret.deletionAt !== undefined && secret.deletionAt <= now) this.#secrets.delete(name);
    }
  }

  #find(name: string): SecretRecord | undefined {
    this.#purgeExpired();
    return this.#secrets.get(name);
  }

  #lookup(secretId: string): SecretRecord | undefined {
    const byName = this.#find(secretId);
    if (byName !== undefined) return byName;
    if (!secretId.startsWith('arn:')) return undefined;
    for (const secret of this.#secrets.values()) {
      if (secret.arn === secretId) return secret;
    }
    return undefined;
  }

  #resolve(secretId: string): SecretRecord {
    const secret = this.#lookup(secretId);
    if (secret === undefined) throw resourceNotFound();
    return secret;
  }

  /**
   * Runs a mutating operation on a copy of the secret and commits it only if `apply` returns.
   * Refuses secrets marked for deletion (unless `allowDeleted`), replicas, and, when `managed`,
   * secrets managed by another service.
   */
  #mutate<T>(
    secretId: string,
    guards: { managed: boolean; allowDeleted?: boolean },
    apply: (draft: SecretRecord, now: number) => T
  ): T {
    const secret = this.#resolve(secretId);
    if (secret.deletedAt !== undefined && guards.allowDeleted !== true) {
      throw invalidRequest(ErrorMessage.markedForDeletion);
    }
    if (secret.primaryRegion !== undefined) {
      throw invalidRequest(
        `Operation is not permitted on a replica secret. Call it in the primary region ${secret.primaryRegion}.`
      );
    }
    if (guards.managed && secret.owningService !== undefined) {
      throw invalidRequest(
        `You can't modify this secret because it is managed by another service (${secret.owningService}).`
      );
    }
    const draft = cloneSecret(secret);
    const now = this.#now();
    const result = apply(draft, now);
    if (this.#secrets.get(secret.name) === secret) {
      purgeDeprecated(draft, now);
      this.#secrets.set(secret.name, draft);
    }
    return result;
  }

  #listEntry(secret: SecretRecord): SecretListEntry {
    const entry: SecretListEntry = {
      ARN: secret.arn,
      Name: secret.name,
      CreatedDate: toEpochSeconds(secret.createdAt),
    };
    if (secret.description !== undefined) entry.Description = secret.description;
    if (secret.rotationEnabled !== undefined) entry.RotationEnabled = secret.rotationEnabled;
    if (secret.rotationLambdaArn !== undefined) entry.RotationLambdaARN = secret.rotationLambdaArn;
    if (secret.rotationRules !== undefined) entry.RotationRules = { ...secret.rotationRules };
    if (secret.lastRotatedAt !== undefined) {
      entry.LastRotatedDate = toEpochSeconds(secret.lastRotatedAt);
    }
    entry.LastChangedDate = toEpochSeconds(secret.lastChangedAt);
    if (secret.lastAccessedAt !== undefined) {
      entry.LastAccessedDate = toEpochSeconds(secret.lastAccessedAt);
    }
    if (secret.deletedAt !== undefined) entry.DeletedDate = toEpochSeconds(secret.deletedAt);
    if (secret.nextRotationAt !== undefined) {
      entry.NextRotationDate = toEpochSeconds(secret.nextRotationAt);
    }
    if (secret.tags.length > 0) entry.Tags = secret.tags.map((t) => ({ ...t }));
    const labels = labelMap(secret);
    if (Object.keys(labels).length > 0) entry.SecretVersionsToStages = labels;
    if (secret.owningService !== undefined) entry.OwningService = secret.owningService;
    if (secret.primaryRegion !== undefined) entry.PrimaryRegion = secret.primaryRegion;
    return entry;
  }
}
