/**
 * JSON 1.1 wire shapes of the Secrets Manager operations the emulator implements.
 * Dates are epoch seconds (fractional allowed); binary values are base64 strings.
 */

/** The operations the emulator implements (the part after `secretsmanager.` in `X-Amz-Target`). */
export const Operation = {
  CancelRotateSecret: 'CancelRotateSecret',
  CreateSecret: 'CreateSecret',
  DeleteSecret: 'DeleteSecret',
  DescribeSecret: 'DescribeSecret',
  GetSecretValue: 'GetSecretValue',
  ListSecrets: 'ListSecrets',
  ListSecretVersionIds: 'ListSecretVersionIds',
  PutSecretValue: 'PutSecretValue',
  RestoreSecret: 'RestoreSecret',
  RotateSecret: 'RotateSecret',
  TagResource: 'TagResource',
  UntagResource: 'UntagResource',
  UpdateSecret: 'UpdateSecret',
  UpdateSecretVersionStage: 'UpdateSecretVersionStage',
} as const;

/** One of the operation names in {@link Operation}. */
export type Operation = (typeof Operation)[keyof typeof Operation];

/** Whether `name` is an operation the emulator implements. */
export function isOperation(name: string): name is Operation {
  return Object.hasOwn(Operation, name);
}

/** A JSON value as parsed from a request body. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A request body: any JSON object; each operation validates the members it reads. */
export type JsonRequest = Readonly<Record<string, unknown>>;

/** A tag on the wire. */
export interface WireTag {
  Key: string;
  Value: string;
}

/** Rotation rules on the wire. */
export interface WireRotationRules {
  AutomaticallyAfterDays?: number;
  Duration?: string;
  ScheduleExpression?: string;
}

/** `ListSecrets` filter on the wire. */
export interface WireFilter {
  Key: string;
  Values?: string[];
}

/** `CreateSecret` response. */
export interface CreateSecretResponse {
  ARN: string;
  Name: string;
  VersionId?: string;
}

/** `PutSecretValue` response. */
export interface PutSecretValueResponse {
  ARN: string;
  Name: string;
  VersionId: string;
  VersionStages: string[];
}

/** `UpdateSecret` response. */
export interface UpdateSecretResponse {
  ARN: string;
  Name: string;
  VersionId?: string;
}

/** `GetSecretValue` response. */
export interface GetSecretValueResponse {
  ARN: string;
  Name: string;
  VersionId: string;
  SecretString?: string;
  SecretBinary?: string;
  VersionStages: string[];
  CreatedDate: number;
}

/** `DescribeSecret` response. */
export interface DescribeSecretResponse {
  ARN: string;
  Name: string;
  Description?: string;
  RotationEnabled?: boolean;
  RotationLambdaARN?: string;
  RotationRules?: WireRotationRules;
  LastRotatedDate?: number;
  LastChangedDate?: number;
  LastAccessedDate?: number;
  DeletedDate?: number;
  NextRotationDate?: number;
  Tags?: WireTag[];
  VersionIdsToStages?: Record<string, string[]>;
  OwningService?: string;
  CreatedDate: number;
  PrimaryRegion?: string;
}

/** One `ListSecrets` entry. */
export interface SecretListEntry {
  ARN: string;
  Name: string;
  Description?: string;
  RotationEnabled?: boolean;
  RotationLambdaARN?: string;
  RotationRules?: WireRotationRules;
  LastRotatedDate?: number;
  LastChangedDate?: number;
  LastAccessedDate?: number;
  DeletedDate?: number;
  NextRotationDate?: number;
  Tags?: WireTag[];
  SecretVersionsToStages?: Record<string, string[]>;
  OwningService?: string;
  CreatedDate: number;
  PrimaryRegion?: string;
}

/** `ListSecrets` response. */
export interface ListSecretsResponse {
  SecretList: SecretListEntry[];
  NextToken?: string;
}

/** One `ListSecretVersionIds` entry. */
export interface SecretVersionsListEntry {
  VersionId: string;
  VersionStages?: string[];
  LastAccessedDate?: number;
  CreatedDate: number;
}

/** `ListSecretVersionIds` response. */
export interface ListSecretVersionIdsResponse {
  Versions: SecretVersionsListEntry[];
  NextToken?: string;
  ARN: string;
  Name: string;
}

/** `RotateSecret` response. */
export interface RotateSecretResponse {
  ARN: string;
  Name: string;
  VersionId?: string;
}

/** `CancelRotateSecret` response. */
export interface CancelRotateSecretResponse {
  ARN: string;
  Name: string;
  VersionId?: string;
}

/** `UpdateSecretVersionStage` response. */
export interface UpdateSecretVersionStageResponse {
  ARN: string;
  Name: string;
}

/** `DeleteSecret` response. */
export interface DeleteSecretResponse {
  ARN: string;
  Name: string;
  DeletionDate: number;
}

/** `RestoreSecret` response. */
export interface RestoreSecretResponse {
  ARN: string;
  Name: string;
}

/** `TagResource` / `UntagResource` response (empty). */
export type EmptyResponse = Record<string, never>;
