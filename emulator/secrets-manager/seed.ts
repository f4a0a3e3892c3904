import { randomUUID } from 'node:crypto';
import { invalidParameter } from './errors.js';
import type { SecretRecord, VersionRecord } from './model.js';
import { Stage } from './model.js';
import { assertSecretName } from './validation.js';
import type { WireTag } from './wire.js';

/** The rotation step a seeded rotation failed at. */
export const FailedRotationStep = {
  CreateSecret: 'createSecret',
  SetSecret: 'setSecret',
  TestSecret: 'testSecret',
  FinishSecret: 'finishSecret',
} as const;

/** One of the steps in {@link FailedRotationStep}. */
export type FailedRotationStep = (typeof FailedRotationStep)[keyof typeof FailedRotationStep];

/** What kind of secret to seed. */
export const SeedKind = {
  Standard: 'standard',
  /** Managed by another service (name like `rds!...`, `OwningService` from the prefix). */
  Managed: 'managed',
  /** A read-only replica (`PrimaryRegion` set). */
  Replica: 'replica',
} as const;

/** One of the kinds in {@link SeedKind}. */
export type SeedKind = (typeof SeedKind)[keyof typeof SeedKind];

/** Options of `SecretStore.seedFailedRotation`. */
export interface SeedFailedRotationOptions {
  name: string;
  step: FailedRotationStep;
  kind?: SeedKind;
  /** Default true; false seeds the state after a cancel (rotation dates absent). */
  rotationEnabled?: boolean;
  /** Default `arn:aws:lambda:<region>:<account>:function:rotator`. */
  rotationLambdaArn?: string;
  tags?: Record<string, string>;
  /** Default one hour ago. */
  pendingCreatedAt?: Date;
  /** Managed only: whether CancelRotateSecret is allowed (default false). */
  managedAllowsCancel?: boolean;
  /** Replica only: default `us-west-2`. */
  primaryRegion?: string;
  description?: string;
  /**
   * The RotationFailed record the failure leaves in CloudTrail's history: by default one, a second
   * after the pending version was created (never later than now), naming the step, its requestID
   * naming the pending version. `false`: no record (CloudTrail never got one).
   */
  failureRecord?: false | FailureRecordOptions;
}

/** How the seeded RotationFailed record differs from the default. */
export interface FailureRecordOptions {
  /** When the rotation failed. */
  at?: Date;
  /** `errorMessage`; null: a record without one (a rotation that timed out, say). */
  errorMessage?: string | null;
  /** false: a plain request id instead of `Rotation-<ARN>-<pending version>`. */
  requestIdNamesVersion?: boolean;
  /** true: `additionalEventData.SecretId` is the name instead of the ARN. */
  secretIdIsName?: boolean;
}

/** Options of `SecretStore.seedCleanSecret`. */
export interface SeedCleanSecretOptions {
  name: string;
  /** undefined: rotation never configured (field absent); true: rotating fine; false: cancelled. */
  rotationEnabled?: boolean;
  /** Leave AWSPENDING on the AWSCURRENT version (the legal resting state after a rotation). */
  pendingOnCurrent?: boolean;
  tags?: Record<string, string>;
  rotationLambdaArn?: string;
  description?: string;
  /** Rotation enabled only: `LastRotatedDate` (null: never rotated); default the current version's creation. */
  lastRotatedDate?: Date | null;
  /** Rotation enabled only: `NextRotationDate` (null: none); default 30 days after the current version's creation. */
  nextRotationDate?: Date | null;
}

/** Ids of what a seed created. */
export interface SeededSecret {
  arn: string;
  name: string;
  currentVersionId: string;
  previousVersionId: string;
  /** The version carrying AWSPENDING, if any. */
  pendingVersionId: string | undefined;
}

/** What the store gives the seed builders. */
export interface SeedContext {
  region: string;
  accountId: string;
  now: number;
  arnFor(name: string): string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function tagList(tags: Record<string, string> | undefined): WireTag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

function credential(label: string): string {
  return JSON.stringify({ username: 'app', password: `${label}-${randomUUID()}` });
}

function version(labels: string[], createdAt: number, withValue: boolean): VersionRecord {
  const record: VersionRecord = { versionId: randomUUID(), createdAt, labels };
  if (withValue) record.secretString = credential(labels[0]?.toLowerCase() ?? 'value');
  return record;
}

function defaultLambdaArn(context: SeedContext): string {
  return `arn:aws:lambda:${context.region}:${context.accountId}:function:rotator`;
}

/** Builds the record a failed rotation leaves behind at `options.step`. */
export function buildFailedRotation(
  context: SeedContext,
  options: SeedFailedRotationOptions
): { record: SecretRecord; seeded: SeededSecret } {
  const kind = options.kind ?? SeedKind.Standard;
  const { now } = context;
  assertSecretName(options.name, kind === SeedKind.Managed);
  if (!Object.values(FailedRotationStep).includes(options.step)) {
    throw invalidParameter(`Unknown rotation step: ${String(options.step)}.`);
  }
  const previous = version([Stage.Previous], now - 61 * DAY_MS, true);
  const current = version([Stage.Current], now - 31 * DAY_MS, true);
  const pendingCreatedAt = options.pendingCreatedAt?.getTime() ?? now - HOUR_MS;
  const pending = version(
    [Stage.Pending],
    pendingCreatedAt,
    options.step !== FailedRotationStep.CreateSecret
  );
  const rotationEnabled = options.rotationEnabled ?? true;
  const record: SecretRecord = {
    arn: context.arnFor(options.name),
    name: options.name,
    createdAt: now - 90 * DAY_MS,
    lastChangedAt: pendingCreatedAt,
    rotationEnabled,
    rotationLambdaArn: options.rotationLambdaArn ?? defaultLambdaArn(context),
    rotationRules: { AutomaticallyAfterDays: 30 },
    managedAllowsCancel: options.managedAllowsCancel ?? false,
    tags: tagList(options.tags),
    versions: [previous, current, pending],
  };
  if (rotationEnabled) {
    record.lastRotatedAt = current.createdAt;
    record.nextRotationAt = now - DAY_MS;
  }
  if (options.description !== undefined) record.description = options.description;
  if (kind === SeedKind.Managed) {
    const service = /^([a-z0-9-]+)!/.exec(options.name)?.[1];
    if (service === undefined) {
      throw invalidParameter('A managed secret name must start with "<service>!", e.g. rds!db-1.');
    }
    record.owningService = service;
  }
  if (kind === SeedKind.Replica) record.primaryRegion = options.primaryRegion ?? 'us-west-2';
  return {
    record,
    seeded: {
      arn: record.arn,
      name: record.name,
      currentVersionId: current.versionId,
      previousVersionId: previous.versionId,
      pendingVersionId: pending.versionId,
    },
  };
}

/** Builds a healthy secret (AWSPREVIOUS + AWSCURRENT, optionally AWSPENDING on the current version). */
export function buildCleanSecret(
  context: SeedContext,
  options: SeedCleanSecretOptions
): { record: SecretRecord; seeded: SeededSecret } {
  const { now } = context;
  assertSecretName(options.name);
  const previous = version([Stage.Previous], now - 31 * DAY_MS, true);
  const current = version([Stage.Current], now - DAY_MS, true);
  if (options.pendingOnCurrent === true) current.labels.push(Stage.Pending);
  const record: SecretRecord = {
    arn: context.arnFor(options.name),
    name: options.name,
    createdAt: now - 90 * DAY_MS,
    lastChangedAt: current.createdAt,
    managedAllowsCancel: false,
    tags: tagList(options.tags),
    versions: [previous, current],
  };
  if (options.description !== undefined) record.description = options.description;
  if (options.rotationEnabled !== undefined) {
    record.rotationEnabled = options.rotationEnabled;
    record.rotationLambdaArn = options.rotationLambdaArn ?? defaultLambdaArn(context);
    record.rotationRules = { AutomaticallyAfterDays: 30 };
    if (options.rotationEnabled) {
      const last = options.lastRotatedDate;
      if (last !== null) record.lastRotatedAt = last?.getTime() ?? current.createdAt;
      const next = options.nextRotationDate;
      if (next !== null) record.nextRotationAt = next?.getTime() ?? current.createdAt + 30 * DAY_MS;
    }
  }
  return {
    record,
    seeded: {
      arn: record.arn,
      name: record.name,
      currentVersionId: current.versionId,
      previousVersionId: previous.versionId,
      pendingVersionId: options.pendingOnCurrent === true ? current.versionId : undefined,
    },
  };
}
