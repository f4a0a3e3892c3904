/**
 * The cause taxonomy of a failed rotation: stable ids, the documented fix of each in one sentence,
 * and the AWS documentation page (by title) that documents it. docs/diagnosis.md explains each.
 */

/** Stable ids of the causes a diagnosis can name; `unknown` is an answer, never a failure. */
export const CauseId = {
  NetworkTimeout: 'network.timeout',
  NoSecretsManagerRoute: 'network.no-secretsmanager-route',
  RuntimeImportError: 'runtime.import-error',
  RuntimeEndOfSupport: 'runtime.end-of-support',
  KmsAccessDenied: 'kms.access-denied',
  SecretShape: 'secret.shape',
  DatabaseLogin: 'database.login',
  PasswordCharacters: 'password.characters',
  FunctionThrottled: 'function.throttled',
  FunctionMissing: 'function.missing',
  ReplicaNotInSync: 'replica.not-in-sync',
  Unknown: 'unknown',
} as const;
/** One of {@link CauseId}. */
export type CauseId = (typeof CauseId)[keyof typeof CauseId];

/** How strongly the evidence supports a cause. */
export const Confidence = {
  High: 'high',
  Medium: 'medium',
  Low: 'low',
} as const;
/** One of {@link Confidence}. */
export type Confidence = (typeof Confidence)[keyof typeof Confidence];

/** The documented fix of a cause, and the AWS documentation page that says so (by title). */
export interface CauseFix {
  /** The fix, in one sentence. */
  fix: string;
  /** The title of the AWS documentation page. */
  documentation: string;
}

const TROUBLESHOOT = 'AWS Secrets Manager User Guide: Troubleshoot rotation';

/** The fix and documentation page of every cause. */
export const CAUSE_FIXES = {
  [CauseId.NetworkTimeout]: {
    fix: 'Give the rotation function a route to Secrets Manager and the database (NAT or VPC endpoint, security groups), or raise its Timeout if the work is simply slow.',
    documentation: TROUBLESHOOT,
  },
  [CauseId.NoSecretsManagerRoute]: {
    fix: "Create a secretsmanager interface VPC endpoint (or a NAT gateway) in the rotation function's VPC, reachable from its subnets and security groups.",
    documentation: 'AWS Secrets Manager User Guide: Network access for rotation functions',
  },
  [CauseId.RuntimeImportError]: {
    fix: "Rebuild the rotation function's deployment package (or redeploy the template) for its current runtime, so every module it imports is present and compatible.",
    documentation: TROUBLESHOOT,
  },
  [CauseId.RuntimeEndOfSupport]: {
    fix: 'Upgrade the rotation function to a supported runtime (redeploy the rotation template at its current version) and rebuild its dependencies.',
    documentation: 'AWS Lambda Developer Guide: Lambda runtimes',
  },
  [CauseId.KmsAccessDenied]: {
    fix: "Allow the rotation function's execution role kms:Decrypt and kms:GenerateDataKey on the secret's KMS key, in the role policy and the key policy.",
    documentation: 'AWS Secrets Manager User Guide: Permissions for rotation Lambda functions',
  },
  [CauseId.SecretShape]: {
    fix: "Put every field the rotation function reads (engine, host, username, password, and masterarn for the alternating-users strategy) into the secret's JSON.",
    documentation:
      'AWS Secrets Manager User Guide: JSON structure of AWS Secrets Manager database credentials secrets',
  },
  [CauseId.DatabaseLogin]: {
    fix: 'Make one of the previous, current or pending credentials valid on the database again, and check the TLS requirement and the network path to the database.',
    documentation: TROUBLESHOOT,
  },
  [CauseId.PasswordCharacters]: {
    fix: "Set ExcludeCharacters in the rotation function's password generation (the template's EXCLUDE_CHARACTERS) to the characters the database rejects.",
    documentation: TROUBLESHOOT,
  },
  [CauseId.FunctionThrottled]: {
    fix: "Raise the rotation function's reserved concurrency (it must not be 0) or the account's unreserved concurrency.",
    documentation: 'AWS Lambda Developer Guide: Configuring reserved concurrency',
  },
  [CauseId.FunctionMissing]: {
    fix: 'Redeploy the rotation function, or point the secret at an existing one with RotateSecret.',
    documentation: 'AWS Secrets Manager User Guide: Rotation by Lambda function',
  },
  [CauseId.ReplicaNotInSync]: {
    fix: 'Wait until every replica of the secret is in sync (or remove the failed replica), then rotate again.',
    documentation: 'AWS Secrets Manager User Guide: Replicate secrets across Regions',
  },
  [CauseId.Unknown]: {
    fix: "Read the rotation function's logs around the failure: the evidence gathered names no known cause.",
    documentation: TROUBLESHOOT,
  },
} as const satisfies Record<CauseId, CauseFix>;
