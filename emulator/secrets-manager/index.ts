/**
 * A local AWS Secrets Manager emulator speaking the JSON 1.1 wire protocol, for tests: point the real
 * `SecretsManagerClient` at `emulator.endpoint`.
 */
export type { MutableCall, RecordedCall } from './calls.js';
export { CallLog } from './calls.js';
export type { RotationFailedRecord } from './cloudtrail.js';
export { CloudTrailService, rotationFailedMessage } from './cloudtrail.js';
export { defaultStatusFor, EmulatorError, ErrorMessage, ErrorName } from './errors.js';
export type { EntryFailureHandle, EntryFailureSpec, RecordedEvent } from './eventbridge.js';
export {
  EventBridgeService,
  entrySize,
  MAX_PUT_EVENTS_BYTES,
  MAX_PUT_EVENTS_ENTRIES,
} from './eventbridge.js';
export type { FaultAction, FaultHandle, FaultSpec } from './faults.js';
export { FaultInjector, FaultKind } from './faults.js';
export type { HookContext, HookFn, HookOptions } from './hooks.js';
export { HookRegistry } from './hooks.js';
export { Stage } from './model.js';
export { LastPageToken } from './pagination.js';
export type { QuotaSetting } from './quotas.js';
export {
  AWS_QUOTA_RATES,
  bucketForOperation,
  OPERATION_BUCKETS,
  QuotaBucket,
  QuotaLimiter,
} from './quotas.js';
export type {
  FailureRecordOptions,
  SeedCleanSecretOptions,
  SeededSecret,
  SeedFailedRotationOptions,
} from './seed.js';
export { FailedRotationStep, SeedKind } from './seed.js';
export type { EmulatorOptions } from './server.js';
export { SecretsManagerEmulator, startSecretsManagerEmulator } from './server.js';
export type { SideService } from './side-service.js';
export type { SecretStoreOptions, VersionInfo } from './store.js';
export { SecretStore } from './store.js';
export type {
  CancelRotateSecretResponse,
  CreateSecretResponse,
  DeleteSecretResponse,
  DescribeSecretResponse,
  EmptyResponse,
  GetSecretValueResponse,
  JsonRequest,
  JsonValue,
  ListSecretsResponse,
  ListSecretVersionIdsResponse,
  PutSecretValueResponse,
  RestoreSecretResponse,
  RotateSecretResponse,
  SecretListEntry,
  SecretVersionsListEntry,
  UpdateSecretResponse,
  UpdateSecretVersionStageResponse,
  WireFilter,
  WireRotationRules,
  WireTag,
} from './wire.js';
export { isOperation, Operation } from './wire.js';
