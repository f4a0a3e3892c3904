/**
 * The one settings loader: every setting of the function and the CLI, read from an environment
 * record once at start-up and validated then. A bad value stops the start-up with a
 * {@link ConfigurationError} instead of silently acting on a default. Nothing else reads
 * `process.env`: entry points hand it (or the CLI's environment) to {@link loadSettings}.
 */
import { ConfigurationError } from './errors.js';
import type { RequiredTag } from './remediation/plan-context.js';
import { DEFAULT_POLICY } from './remediation/plan-context.js';
import type { EvidencePolicy } from './remediation/types.js';
import { PendingAction, UnknownStepAction } from './remediation/types.js';

/** Settings of the remediator. */
export interface RemediatorConfig {
  /** From `REQUIRED_TAG=key=value`; undefined means every secret is in scope. */
  requiredTag: RequiredTag | undefined;
  /**
   * From `DEFAULT_PENDING_ACTION` (auto | discard), default auto. `promote` is refused: a promote is
   * a person's decision, pinned to the version it promotes.
   */
  defaultPendingAction: Exclude<PendingAction, 'promote'>;
  /** From `ACT_ON_EVENTS` (comma-separated Secrets Manager event names), default `RotationFailed`. */
  actOnEvents: readonly string[];
  /**
   * From `FAILED_STEP_LOOKUP` (`on` | `off`, default on): look the failed step up in CloudTrail's
   * event history when a request carries none and the decision depends on it.
   */
  failedStepLookup: boolean;
  /**
   * From `ROTATION_GRACE_SECONDS` (default 3600, 0 to 30 days) and `UNKNOWN_STEP_ACTION` (hold |
   * discard, default hold): what the planner does with young pending versions and unknown steps.
   */
  policy: EvidencePolicy;
  /**
   * From `TRUSTED_EVENT_ACCOUNTS` (comma-separated 12-digit account ids, default none): accounts
   * besides the function's own whose events may act here (a central bus).
   */
  trustedEventAccounts: readonly string[];
  /**
   * From `HTTP_API_ID` (the stack's HTTP API): an HTTP API event of another API is refused, and the
   * identity of one of this API is `iam-authorizer`. Unset (local runs, tests): every HTTP
   * identity is `asserted`.
   */
  httpApiId?: string | undefined;
}

/** Reads `FAILED_STEP_LOOKUP`: `on` (the default) or `off`. */
const parseFailedStepLookup = (raw: string | undefined): boolean => {
  const value = raw?.trim().toLowerCase() || 'on';
  if (value !== 'on' && value !== 'off') {
    throw new ConfigurationError('FAILED_STEP_LOOKUP must be on or off.');
  }
  return value === 'on';
};

const pendingActions: readonly string[] = Object.values(PendingAction);

/** Parses `REQUIRED_TAG` (`key=value`); empty or unset means no scope restriction. */
export const parseRequiredTag = (raw: string | undefined): RequiredTag | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const at = raw.indexOf('=');
  const key = at < 0 ? '' : raw.slice(0, at).trim();
  const value = at < 0 ? '' : raw.slice(at + 1).trim();
  if (key === '' || value === '') {
    throw new ConfigurationError(
      'REQUIRED_TAG must be "key=value" with a non-empty key and value.'
    );
  }
  return { key, value };
};

/** An environment: variable names to values. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Longest grace period accepted: 30 days. */
const MAX_GRACE_SECONDS = 30 * 24 * 3600;

const numberFrom = (raw: string | undefined, fallback: number): number =>
  raw === undefined || raw.trim() === '' ? fallback : Number(raw.trim());

/** Reads `ROTATION_GRACE_SECONDS` and `UNKNOWN_STEP_ACTION`; the old `SWEEP_GRACE_SECONDS` is refused by name. */
const parsePolicy = (env: Env): EvidencePolicy => {
  if (env.SWEEP_GRACE_SECONDS !== undefined && env.SWEEP_GRACE_SECONDS.trim() !== '') {
    throw new ConfigurationError(
      'SWEEP_GRACE_SECONDS is now ROTATION_GRACE_SECONDS: one grace period for every trigger. Rename the setting.'
    );
  }
  const graceSeconds = numberFrom(env.ROTATION_GRACE_SECONDS, DEFAULT_POLICY.graceSeconds);
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
    throw new ConfigurationError(
      `ROTATION_GRACE_SECONDS must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}.`
    );
  }
  const action = env.UNKNOWN_STEP_ACTION?.trim().toLowerCase() || DEFAULT_POLICY.unknownStepAction;
  if (action !== UnknownStepAction.Hold && action !== UnknownStepAction.Discard) {
    throw new ConfigurationError('UNKNOWN_STEP_ACTION must be hold or discard.');
  }
  return { graceSeconds, unknownStepAction: action };
};

/** Reads `TRUSTED_EVENT_ACCOUNTS`: 12-digit account ids, comma-separated; empty means none. */
const parseTrustedAccounts = (raw: string | undefined): string[] => {
  const accounts = (raw ?? '')
    .split(',')
    .map((account) => account.trim())
    .filter((account) => account !== '');
  if (accounts.some((account) => !/^\d{12}$/.test(account))) {
    throw new ConfigurationError(
      'TRUSTED_EVENT_ACCOUNTS must be a comma-separated list of 12-digit AWS account ids.'
    );
  }
  return accounts;
};

/** Reads `DEFAULT_PENDING_ACTION`: auto or discard; promote is refused with the reason. */
const parseDefaultPendingAction = (raw: string | undefined): Exclude<PendingAction, 'promote'> => {
  const value = raw?.trim() || PendingAction.Auto;
  if (value === PendingAction.Promote) {
    throw new ConfigurationError(
      'DEFAULT_PENDING_ACTION=promote is refused: a promote is a decision a person makes for one pending version (pendingAction "promote" with expectedPendingVersionId), never a default for every secret. Use auto or discard.'
    );
  }
  if (!pendingActions.includes(value)) {
    throw new ConfigurationError('DEFAULT_PENDING_ACTION must be auto or discard.');
  }
  return value as Exclude<PendingAction, 'promote'>;
};

/** Reads the remediator's settings from `env`. */
export const loadConfig = (env: Env): RemediatorConfig => {
  const actOnEvents = (env.ACT_ON_EVENTS ?? 'RotationFailed')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (actOnEvents.length === 0 || actOnEvents.some((name) => !/^[A-Za-z]{1,64}$/.test(name))) {
    throw new ConfigurationError(
      'ACT_ON_EVENTS must be a comma-separated list of Secrets Manager event names, e.g. RotationFailed.'
    );
  }
  return {
    requiredTag: parseRequiredTag(env.REQUIRED_TAG),
    defaultPendingAction: parseDefaultPendingAction(env.DEFAULT_PENDING_ACTION),
    actOnEvents,
    failedStepLookup: parseFailedStepLookup(env.FAILED_STEP_LOOKUP),
    policy: parsePolicy(env),
    trustedEventAccounts: parseTrustedAccounts(env.TRUSTED_EVENT_ACCOUNTS),
  };
};

/** Reads `HTTP_API_ID`: an API Gateway id (10 lowercase letters and digits), or unset. */
export const loadHttpApiId = (env: Env): string | undefined => {
  const raw = env.HTTP_API_ID?.trim() ?? '';
  if (raw === '') return undefined;
  if (!/^[a-z0-9]{10}$/.test(raw)) {
    throw new ConfigurationError(
      'HTTP_API_ID must be an API Gateway API id (10 letters and digits).'
    );
  }
  return raw;
};

/** Settings of the sweep (`{"sweep": {...}}`), read apart from {@link RemediatorConfig}. */
export interface SweepConfig {
  /** From `SWEEP_QUOTA_SHARE` (default 0.5, 0 < share ≤ 1): the share of each quota the sweep uses. */
  quotaShare: number;
  /** From `SWEEP_CONCURRENCY` (default 8, 1–32): secrets examined and remediated at once. */
  concurrency: number;
}

/** Defaults of {@link SweepConfig}. */
export const SWEEP_DEFAULTS = {
  quotaShare: 0.5,
  concurrency: 8,
} as const satisfies SweepConfig;

/** Most secrets a sweep works on at once. */
const MAX_SWEEP_CONCURRENCY = 32;

/** Reads the sweep settings from `env`. */
export const loadSweepConfig = (env: Env): SweepConfig => {
  const quotaShare = numberFrom(env.SWEEP_QUOTA_SHARE, SWEEP_DEFAULTS.quotaShare);
  if (!Number.isFinite(quotaShare) || quotaShare <= 0 || quotaShare > 1) {
    throw new ConfigurationError(
      'SWEEP_QUOTA_SHARE must be a number greater than 0 and at most 1 (e.g. 0.5).'
    );
  }
  const concurrency = numberFrom(env.SWEEP_CONCURRENCY, SWEEP_DEFAULTS.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_SWEEP_CONCURRENCY) {
    throw new ConfigurationError(
      `SWEEP_CONCURRENCY must be a whole number from 1 to ${MAX_SWEEP_CONCURRENCY}.`
    );
  }
  return { quotaShare, concurrency };
};

/** Default lifetime of an idempotency record: one hour. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 3600;

/** Where and how long completed remediations are remembered. */
export interface IdempotencySettings {
  tableName: string;
  expiresAfterSeconds: number;
}

/** The values Powertools' extended boolean parsing reads as true. */
const TRUTHY = new Set(['1', 'y', 'yes', 't', 'true', 'on']);

/**
 * Reads `IDEMPOTENCY_TABLE_NAME` (required) and `IDEMPOTENCY_TTL_SECONDS` (default 3600). Returns
 * `undefined` when Powertools' own `POWERTOOLS_IDEMPOTENCY_DISABLED` is true (parsed as
 * Powertools does); otherwise a missing table is a {@link ConfigurationError}.
 */
export const loadIdempotencySettings = (env: Env): IdempotencySettings | undefined => {
  if (TRUTHY.has(env.POWERTOOLS_IDEMPOTENCY_DISABLED?.trim().toLowerCase() ?? '')) return undefined;
  const tableName = env.IDEMPOTENCY_TABLE_NAME?.trim();
  if (tableName === undefined || tableName === '') {
    throw new ConfigurationError(
      'IDEMPOTENCY_TABLE_NAME is required: it names the DynamoDB table that makes each remediation run once. Set POWERTOOLS_IDEMPOTENCY_DISABLED=true only for local experiments.'
    );
  }
  const expiresAfterSeconds = numberFrom(
    env.IDEMPOTENCY_TTL_SECONDS,
    DEFAULT_IDEMPOTENCY_TTL_SECONDS
  );
  if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < 60) {
    throw new ConfigurationError(
      'IDEMPOTENCY_TTL_SECONDS must be a whole number of seconds, at least 60.'
    );
  }
  return { tableName, expiresAfterSeconds };
};

/** The service's name in logs and metrics, and the metrics namespace. */
export interface ObservabilitySettings {
  /** From `POWERTOOLS_SERVICE_NAME`, default `rotation-remediator`. */
  serviceName: string;
  /** From `POWERTOOLS_METRICS_NAMESPACE`, default `RotationRemediator`. */
  metricsNamespace: string;
}

/** Defaults of {@link ObservabilitySettings}. */
export const OBSERVABILITY_DEFAULTS = {
  serviceName: 'rotation-remediator',
  metricsNamespace: 'RotationRemediator',
} as const satisfies ObservabilitySettings;

/** Reads the observability settings from `env`. */
export const loadObservabilitySettings = (env: Env): ObservabilitySettings => ({
  serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || OBSERVABILITY_DEFAULTS.serviceName,
  metricsNamespace:
    env.POWERTOOLS_METRICS_NAMESPACE?.trim() || OBSERVABILITY_DEFAULTS.metricsNamespace,
});

/** Where the outcome events go (issue #14): an EventBridge bus, or nowhere. */
export interface NotificationSettings {
  /**
   * From `EVENT_BUS_NAME` (default `default`): a bus name or an event-bus ARN (a central bus in
   * another account included); `none` turns the events off (undefined here).
   */
  eventBusName: string | undefined;
  /**
   * From `DECISION_REMINDER_SECONDS` (default 86400): a held decision (needs-decision) is announced
   * once, then again only after this long (src/notifications/reminders.ts).
   */
  decisionReminderSeconds: number;
}

/** Default of `DECISION_REMINDER_SECONDS`: a day. */
export const DEFAULT_DECISION_REMINDER_SECONDS = 86_400;

/** Reads `DECISION_REMINDER_SECONDS`: whole seconds from 60 to 30 days, default a day. */
const loadDecisionReminderSeconds = (env: Env): number => {
  const seconds = numberFrom(env.DECISION_REMINDER_SECONDS, DEFAULT_DECISION_REMINDER_SECONDS);
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 30 * 86_400) {
    throw new ConfigurationError(
      'DECISION_REMINDER_SECONDS must be a whole number of seconds from 60 to 2592000 (30 days).'
    );
  }
  return seconds;
};

/** The value of `EVENT_BUS_NAME` that turns the events off. */
export const EVENT_BUS_NONE = 'none';

/** A bus name (`default`, `ops`, `aws.partner/...`) or an event-bus ARN, as PutEvents accepts them. */
const EVENT_BUS_PATTERN =
  /^(?:[A-Za-z0-9._/-]{1,256}|arn:aws[a-z-]*:events:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:event-bus\/[A-Za-z0-9._/-]{1,256})$/;

/** Reads `EVENT_BUS_NAME`: default `default`, `none` for no events. */
export const loadNotificationSettings = (env: Env): NotificationSettings => {
  const raw = env.EVENT_BUS_NAME?.trim() || 'default';
  const decisionReminderSeconds = loadDecisionReminderSeconds(env);
  if (raw === EVENT_BUS_NONE) return { eventBusName: undefined, decisionReminderSeconds };
  if (!EVENT_BUS_PATTERN.test(raw)) {
    throw new ConfigurationError(
      'EVENT_BUS_NAME must be an EventBridge bus name, an event-bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>) or none.'
    );
  }
  return { eventBusName: raw, decisionReminderSeconds };
};

/** How the execution environment starts (read from what Lambda sets). */
export interface StartupSettings {
  /**
   * From `AWS_LAMBDA_INITIALIZATION_TYPE`, set by Lambda: true for `provisioned-concurrency` and
   * `snap-start`, whose initialisation runs before any request, so the clients are made then; false
   * otherwise (on demand, or outside Lambda), so an event that never calls AWS never loads the SDK.
   */
  loadClientsAtInit: boolean;
}

/** The initialisation types whose init phase runs ahead of any request. */
const PREPARED_INITIALIZATION_TYPES: readonly string[] = ['provisioned-concurrency', 'snap-start'];

/** Reads the start-up settings from `env` (an unknown initialisation type counts as on demand). */
export const loadStartupSettings = (env: Env): StartupSettings => ({
  loadClientsAtInit: PREPARED_INITIALIZATION_TYPES.includes(
    env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() ?? ''
  ),
});

/** What a resume may run (issue 21): read apart from {@link RemediatorConfig}. */
export interface ResumeSettings {
  /**
   * From `ROTATION_FUNCTION_ARNS` (comma-separated Lambda function ARNs, the template's
   * `RotationFunctionArns`): the only rotation functions a resume may turn back on. Empty (the
   * default): resume is off and refused before any AWS call.
   */
  rotationFunctionArns: readonly string[];
}

/** A Lambda function ARN, optionally qualified, as the template's `RotationFunctionArns` allows. */
const FUNCTION_ARN_PATTERN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/;

/** Reads `ROTATION_FUNCTION_ARNS`: empty or unset means no resume. */
export const loadResumeSettings = (env: Env): ResumeSettings => {
  const rotationFunctionArns = (env.ROTATION_FUNCTION_ARNS ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn !== '');
  if (rotationFunctionArns.some((arn) => !FUNCTION_ARN_PATTERN.test(arn))) {
    throw new ConfigurationError(
      'ROTATION_FUNCTION_ARNS must be empty or a comma-separated list of Lambda function ARNs.'
    );
  }
  return { rotationFunctionArns };
};

/** Every setting, by concern. */
export interface Settings {
  remediator: RemediatorConfig;
  sweep: SweepConfig;
  /** Undefined when idempotency is disabled. */
  idempotency: IdempotencySettings | undefined;
  observability: ObservabilitySettings;
  notifications: NotificationSettings;
  startup: StartupSettings;
  resume: ResumeSettings;
}

/** Reads and validates every setting from `env`; throws a {@link ConfigurationError} on the first bad one. */
export const loadSettings = (env: Env): Settings => ({
  remediator: { ...loadConfig(env), httpApiId: loadHttpApiId(env) },
  sweep: loadSweepConfig(env),
  idempotency: loadIdempotencySettings(env),
  observability: loadObservabilitySettings(env),
  notifications: loadNotificationSettings(env),
  startup: loadStartupSettings(env),
  resume: loadResumeSettings(env),
});
