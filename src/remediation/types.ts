/**
 * The values the remediation core works with: the request every trigger is turned into, the secret
 * state read from Secrets Manager, the plan, and the report. All of them are plain JSON.
 */

/** Staging labels the remediator reasons about. Custom labels are never touched. */
export const Label = {
  Current: 'AWSCURRENT',
  Pending: 'AWSPENDING',
  Previous: 'AWSPREVIOUS',
} as const;
/** One of {@link Label}. */
export type Label = (typeof Label)[keyof typeof Label];

/** What the caller asks to do with a stuck AWSPENDING version. */
export const PendingAction = {
  Auto: 'auto',
  Discard: 'discard',
  Promote: 'promote',
} as const;
/** One of {@link PendingAction}. */
export type PendingAction = (typeof PendingAction)[keyof typeof PendingAction];

/** What the planner resolved the pending action to. */
export const ResolvedAction = {
  Discard: 'discard',
  Promote: 'promote',
  /** Cancel only, keep AWSPENDING, ask a human. */
  Hold: 'hold',
  /** Leave the labels alone (nothing stuck, legal state, managed secret, or refusal). */
  None: 'none',
  /** Turn rotation back on (RotateSecret with the stored configuration): a resume. */
  Resume: 'resume',
} as const;
/** One of {@link ResolvedAction}. */
export type ResolvedAction = (typeof ResolvedAction)[keyof typeof ResolvedAction];

/** The four steps of a rotation Lambda, as named in RotationFailed error messages. */
export const RotationStep = {
  CreateSecret: 'createSecret',
  SetSecret: 'setSecret',
  TestSecret: 'testSecret',
  FinishSecret: 'finishSecret',
} as const;
/** One of {@link RotationStep}. */
export type RotationStep = (typeof RotationStep)[keyof typeof RotationStep];

/** Outcome of a remediation. */
export const RemediationStatus = {
  Remediated: 'remediated',
  AlreadyClean: 'already-clean',
  Planned: 'planned',
  NeedsDecision: 'needs-decision',
  Refused: 'refused',
  /** A resume turned rotation back on and verified it. */
  Resumed: 'resumed',
  /** A resume found rotation already on: nothing was written. */
  AlreadyRotating: 'already-rotating',
  /**
   * The pending version is younger than the grace period and no failure record names it: its
   * rotation may still be running. Nothing was written; look again after `retryAfterSeconds`.
   */
  Deferred: 'deferred',
  /** The trigger's event reports an earlier failure than the pending version's: nothing was written. */
  Stale: 'stale',
} as const;
/** One of {@link RemediationStatus}. */
export type RemediationStatus = (typeof RemediationStatus)[keyof typeof RemediationStatus];

/** The triggers a request can come from (for the audit trail). */
export const TriggerName = {
  Direct: 'direct',
  Http: 'http',
  AlarmEventBridge: 'alarm-eventbridge',
  AlarmAction: 'alarm-action',
  RotationFailed: 'rotation-failed',
  Cli: 'cli',
  Sweep: 'sweep',
  /** The fleet report (`{"report": {...}}`, or the CLI's `report`). */
  Report: 'report',
} as const;
/** One of {@link TriggerName}. */
export type TriggerName = (typeof TriggerName)[keyof typeof TriggerName];

/** What a request asks for: repair a failed rotation (the default), or turn rotation back on. */
export const Intent = {
  Remediate: 'remediate',
  Resume: 'resume',
} as const;
/** One of {@link Intent}. */
export type Intent = (typeof Intent)[keyof typeof Intent];

/** The one request every trigger adapter produces for the core. */
export interface RemediationRequest {
  /** What is asked; absent: `remediate`. */
  intent?: Intent | undefined;
  /** A resume only: rotate at once instead of testing (`RotateImmediately`); default false. */
  rotateImmediately?: boolean | undefined;
  /** Secret name or ARN. */
  secretId: string;
  /** Plan only: read calls, no change. */
  dryRun: boolean;
  /** Requested pending action (already defaulted from `DEFAULT_PENDING_ACTION`). */
  pendingAction: PendingAction;
  /** Refuse unless AWSPENDING sits on exactly this version. */
  expectedPendingVersionId?: string;
  /**
   * The rotation step the trigger's event names. It counts only when the event is tied to the
   * pending version (src/remediation/evidence.ts); the history look-up finds it otherwise.
   */
  failedStep?: RotationStep | undefined;
  /**
   * Set for a TestRotationFailed event: the test a resume started (RotateSecret with
   * RotateImmediately=false runs only testSecret) failed. A test never changes the database, so
   * its AWSPENDING is discarded and rotation is cancelled again.
   */
  testRotationFailed?: boolean | undefined;
  /** The failure the trigger's event reports (RotationFailed, TestRotationFailed): what ties it. */
  failureEvent?: FailureEvent | undefined;
  /**
   * True when a person stated both `pendingAction` (promote or discard) and
   * `expectedPendingVersionId`: a pinned human decision, which is neither deferred nor overruled
   * by missing evidence. Never set by an automatic trigger.
   */
  humanDecision?: boolean | undefined;
  /**
   * When the pending version was created (ISO 8601), when the caller already knows it (the sweep
   * read it from ListSecretVersionIds): the evidence need not read it again.
   */
  pendingVersionCreatedAt?: string | undefined;
  /** Free text from the operator (redacted before it is logged). */
  reason?: string;
  /** Which trigger sent the request. */
  trigger: TriggerName;
  /** Correlation id from the trigger (event id, request id, execution). */
  correlationId?: string;
  /** Who asked (IAM identity of an HTTP caller, Step Functions execution, ...). */
  requestedBy?: string;
  /** Where `requestedBy` comes from; absent: `asserted`. */
  requestedBySource?: RequestedBySource | undefined;
}

/** Where a request's `requestedBy` comes from. */
export const RequestedBySource = {
  /** The IAM authorizer of the stack's own HTTP API (its `requestContext.apiId` is `HTTP_API_ID`). */
  IamAuthorizer: 'iam-authorizer',
  /** Anything else: a value the event carries, only as trustworthy as the right to invoke. */
  Asserted: 'asserted',
} as const;
/** One of {@link RequestedBySource}. */
export type RequestedBySource = (typeof RequestedBySource)[keyof typeof RequestedBySource];

/** The source of a request's `requestedBy` as the audit trail and events show it; null without one. */
export const requestedBySourceOf = (request: RemediationRequest): RequestedBySource | null =>
  request.requestedBy === undefined
    ? null
    : (request.requestedBySource ?? RequestedBySource.Asserted);

/** Version id → staging labels, for labelled versions only. */
export type LabelMap = Record<string, string[]>;

/** The failure a trigger's event reports, as the event says it. */
export interface FailureEvent {
  /** `RotationFailed` or `TestRotationFailed`. */
  eventName: string;
  /** The event's `time` (ISO 8601): when the failure happened. */
  time: string;
  /** The event's id (EventBridge `id`). */
  id: string | undefined;
  /** The record's `requestID` (`Rotation-<secret ARN>-<id>`), when the event carries one. */
  requestId: string | undefined;
}

/** Where the failed step of a decision came from. */
export const StepSource = {
  /** The trigger's event, tied to the pending version. */
  Event: 'event',
  /** A RotationFailed record in CloudTrail's history whose requestID names the pending version. */
  HistoryExact: 'history-exact',
  /** A RotationFailed record of the same secret, not older than the pending version. */
  HistoryByTime: 'history-by-time',
  /** No failure record names a step for this pending version. */
  None: 'none',
} as const;
/** One of {@link StepSource}. */
export type StepSource = (typeof StepSource)[keyof typeof StepSource];

/** Whether the history look-up was complete, or why not. */
export const LookupState = {
  /** Every record since the pending version's creation was read. */
  Complete: 'complete',
  /** No look-up was needed (the event named the step, or a pinned human decided). */
  NotNeeded: 'not-needed',
  /** CloudTrail refused (AccessDenied): the role lacks cloudtrail:LookupEvents. */
  Denied: 'denied',
  /** Throttled past the SDK's retries. */
  Throttled: 'throttled',
  /** Any other failure: no answer in time, an error, or the pending version's age unknown. */
  Failed: 'failed',
  /** The read stopped before it reached the pending version's creation (a page cap or a failed page). */
  WindowIncomplete: 'window-incomplete',
  /** The look-up is turned off (`FAILED_STEP_LOOKUP=off`). */
  Off: 'off',
} as const;
/** One of {@link LookupState}. */
export type LookupState = (typeof LookupState)[keyof typeof LookupState];

/** How the trigger's event relates to the pending version. */
export const EventTie = {
  /** Its requestID names the pending version. */
  Exact: 'exact',
  /** Its requestID names no version of this secret; the pending version is not newer than the event. */
  ByTime: 'by-time',
  /** The event is older than the pending version: it reports an earlier failure. */
  StaleOlder: 'stale-older',
  /** Its requestID names another version of this secret, one that no longer holds AWSPENDING. */
  StaleSuperseded: 'stale-superseded',
  /** It cannot be told (the secret's versions could not be read). */
  Unknown: 'unknown',
} as const;
/** One of {@link EventTie}. */
export type EventTie = (typeof EventTie)[keyof typeof EventTie];

/** The failure record a decision rests on: the trigger's event, or a record of the history. */
export interface FailureRecord {
  source: 'event' | 'history';
  /** When the failure was recorded (ISO 8601). */
  time: string | null;
  /** The event's or the CloudTrail record's id. */
  id: string | null;
  /** The record's requestID, when it has one. */
  requestId: string | null;
}

/** What a decision rests on, named: every outcome carries it. */
export interface Evidence {
  /** Where the failed step came from. */
  stepSource: StepSource;
  /** The history look-up: complete, or why not. */
  lookup: LookupState;
  /** The error name of a look-up or read that failed. */
  lookupError: string | null;
  /** The failure record used; null when none was found or needed. */
  record: FailureRecord | null;
  /** How the trigger's event relates to the pending version; null when the request has no event. */
  eventTie: EventTie | null;
  /** Seconds since the trigger's event happened; null when the request has no event. */
  eventAgeSeconds: number | null;
  pendingVersionId: string | null;
  /** When the pending version was created (ISO 8601); null when unknown. */
  pendingVersionCreatedAt: string | null;
  /** Its age when the decision was made; null when unknown. */
  pendingVersionAgeSeconds: number | null;
}

/** What to do when the failed step stays unknown (`UNKNOWN_STEP_ACTION`). */
export const UnknownStepAction = {
  /** Cancel rotation, keep AWSPENDING, ask a human (the default). */
  Hold: 'hold',
  /** Discard AWSPENDING (the behaviour before evidence was required). */
  Discard: 'discard',
} as const;
/** One of {@link UnknownStepAction}. */
export type UnknownStepAction = (typeof UnknownStepAction)[keyof typeof UnknownStepAction];

/** The settings the planner applies to evidence. */
export interface EvidencePolicy {
  /** `ROTATION_GRACE_SECONDS`: younger pending versions with no failure record are deferred. */
  graceSeconds: number;
  /** `UNKNOWN_STEP_ACTION`. */
  unknownStepAction: UnknownStepAction;
}

/** What a look-up of the failed step in CloudTrail's event history ended with. */
export const StepLookupOutcome = {
  /** The RotationFailed record of this pending version, naming a step. */
  Found: 'found',
  /** No RotationFailed record of this secret since the pending version was created. */
  NotFound: 'not-found',
  /** A record was found but its message names no step (a rotation that timed out). */
  NoStep: 'no-step',
  /** CloudTrail refused the call (AccessDenied): the role lacks cloudtrail:LookupEvents. */
  Denied: 'denied',
  /** Throttled past the SDK's retries. */
  Throttled: 'throttled',
  /** No answer in time. */
  TimedOut: 'timed-out',
  /** Any other failure, or the pending version's creation could not be read. */
  Failed: 'failed',
  /** The read stopped before it reached the pending version's creation (a page cap, a failed page). */
  Incomplete: 'incomplete',
} as const;
/** One of {@link StepLookupOutcome}. */
export type StepLookupOutcome = (typeof StepLookupOutcome)[keyof typeof StepLookupOutcome];

/** The pending version whose failure is looked up. */
export interface StepLookupTarget {
  secretArn: string;
  secretName: string;
  pendingVersionId: string;
  /** When the pending version was created, if the caller knows (ISO 8601). */
  pendingVersionCreatedAt?: string | undefined;
}

/** What a look-up of the failed step found, and how. */
export interface StepLookup {
  outcome: StepLookupOutcome;
  /** The step the record names; undefined unless `found`. */
  step: RotationStep | undefined;
  /** When the record used was written (ISO 8601); null when none was. */
  eventTime: string | null;
  /** True when the record's requestID named the pending version itself. */
  exact: boolean;
  /** The record's CloudTrail EventId and requestID, when one was used. */
  eventId?: string | undefined;
  requestId?: string | undefined;
  /** LookupEvents pages read. */
  pages: number;
  /** The error's name, for denied, throttled, timed-out and failed. */
  errorName?: string | undefined;
}

/** Finds the failed step of a pending version in CloudTrail's history; never throws. */
export interface FailedStepResolver {
  resolve(target: StepLookupTarget): Promise<StepLookup>;
  /**
   * A resolver for many pending versions at once (a sweep): it reads the history once for all of
   * them, where one look-up per version would cost more calls.
   */
  batch?(): FailedStepResolver;
}

/** What the remediator knows of a secret: metadata and labels only, never a value. */
export interface SecretState {
  arn: string;
  name: string;
  /** Absent (undefined) until rotation was ever configured; false after a cancel. */
  rotationEnabled: boolean | undefined;
  rotationLambdaArn: string | undefined;
  lastRotatedDate: string | undefined;
  nextRotationDate: string | undefined;
  deletedDate: string | undefined;
  owningService: string | undefined;
  primaryRegion: string | undefined;
  tags: Record<string, string>;
  versionIdsToStages: LabelMap;
}

/** A snapshot of the parts of the state a report shows, `null` where AWS gives nothing. */
export interface StateSnapshot {
  rotationEnabled: boolean | null;
  versionIdsToStages: LabelMap;
  lastRotatedDate: string | null;
  nextRotationDate: string | null;
  rotationLambdaArn: string | null;
}

/** A mutating call the plan makes. */
export type PlannedAction =
  | { operation: 'CancelRotateSecret' }
  /** RotateSecret with the stored configuration (no function ARN, no rules): a resume. */
  | { operation: 'RotateSecret'; rotateImmediately: boolean }
  | {
      operation: 'UpdateSecretVersionStage';
      versionStage: typeof Label.Current;
      moveTo: string;
      /** The version holding AWSCURRENT now; absent only when no version holds it. */
      removeFrom?: string;
    }
  | {
      operation: 'UpdateSecretVersionStage';
      versionStage: typeof Label.Pending;
      removeFrom: string;
    };

/** A call that was made, with what AWS answered. */
export type AppliedAction = PlannedAction & {
  /** The version the call named (CancelRotateSecret: the pending version AWS reported). */
  versionId?: string;
  requestId?: string;
};

/** Stable ids of the rules the planner applies, in the order it tries them. */
export const Rule = {
  MarkedForDeletion: 'refuse.marked-for-deletion',
  Replica: 'refuse.replica',
  OutOfScope: 'refuse.out-of-scope',
  NoPending: 'clean.no-pending',
  PendingOnCurrent: 'clean.pending-on-current',
  PendingVersionMismatch: 'refuse.pending-version-mismatch',
  PendingChanged: 'refuse.pending-changed-during-remediation',
  CurrentChanged: 'refuse.current-changed-during-remediation',
  ManagedCancelOnly: 'managed.cancel-only',
  /** Secrets Manager refused CancelRotateSecret although the state had not changed. */
  CancelRefused: 'refuse.cancel-refused',
  PromoteUnsafeAfterCreate: 'refuse.promote-after-createSecret',
  /** A promote without `expectedPendingVersionId`: refused on every channel. */
  PromoteUnpinned: 'refuse.promote-unpinned',
  /** The trigger's event is older than the pending version. */
  StaleOlder: 'stale.event-older-than-pending',
  /** The trigger's event names a version that no longer holds AWSPENDING. */
  StaleSuperseded: 'stale.superseded-version',
  /** A TestRotationFailed event past the grace period, with no AWSPENDING left to tie it to. */
  StalePastGrace: 'stale.event-past-grace',
  /** A young pending version with no failure record: its rotation may still be running. */
  DeferredInFlight: 'defer.in-flight',
  /** The evidence is incomplete (a look-up denied, throttled, failed or cut short; an untied event). */
  HoldEvidenceIncomplete: 'hold.evidence-incomplete',
  /** A discard not pinned by a person, after a failure at testSecret or finishSecret. */
  HoldDiscardUnsafe: 'hold.discard-after-step',
  /** The step is unknown on complete evidence and UNKNOWN_STEP_ACTION is hold. */
  AutoUnknownHold: 'auto.unknown-step.hold',
  /** The step is unknown on complete evidence and UNKNOWN_STEP_ACTION is discard. */
  AutoUnknownDiscard: 'auto.unknown-step.discard',
  DiscardRequested: 'requested.discard',
  PromoteRequested: 'requested.promote',
  AutoFinishPromote: 'auto.finishSecret.promote',
  AutoTestHold: 'auto.testSecret.hold',
  AutoDiscard: 'auto.discard',
  /** A test rotation failed: its AWSPENDING is discarded and rotation cancelled again. */
  TestRotationFailedDiscard: 'test-rotation-failed.discard',
  /** A test rotation failed and left no AWSPENDING: rotation is cancelled again. */
  TestRotationFailedCancel: 'test-rotation-failed.cancel',
  /** Resume refused: AWSPENDING sits on a version other than AWSCURRENT (remediate first). */
  ResumeWhileStuck: 'refuse.resume-while-stuck',
  /** Resume refused: the secret is managed by another service, which rotates it its own way. */
  ResumeManaged: 'refuse.resume-managed',
  /** Resume refused: no rotation function was ever configured. */
  ResumeNoFunction: 'refuse.resume-no-rotation-function',
  /** Resume refused: the secret's rotation function is not one of `ROTATION_FUNCTION_ARNS`. */
  ResumeFunctionNotAllowed: 'refuse.resume-function-not-allowed',
  /** Resume: rotation is already on; nothing is written. */
  AlreadyRotating: 'resume.already-rotating',
  /** Resume: RotateSecret with the stored configuration. */
  Resume: 'resume.rotate-secret',
} as const;
/** One of {@link Rule}. */
export type Rule = (typeof Rule)[keyof typeof Rule];

/** Why the plan is what it is. */
export interface Decision {
  /** The pending action asked for, or `resume` for a resume. */
  requested: PendingAction | typeof Intent.Resume;
  resolved: ResolvedAction;
  /** Stable id of the rule that chose the plan. */
  rule: Rule;
  /** The failed step the evidence ties to the pending version; null when none does. */
  failedStep: RotationStep | null;
  /** What the decision rests on. */
  evidence: Evidence;
}

/** The plan: a value that a dry run returns, apply executes, and the audit trail logs. */
export interface Plan {
  /** Status the remediation ends in once the actions are applied. */
  outcome: Exclude<RemediationStatus, 'planned'>;
  decision: Decision;
  /** Human-readable explanation of the decision. */
  reason: string;
  actions: PlannedAction[];
  /** The state the actions lead to; verify compares the real end state with it. */
  expected: { rotationEnabled: boolean | undefined; versionIdsToStages: LabelMap };
  /** The pending and current versions the plan was made for. */
  pendingVersionId: string | undefined;
  currentVersionId: string | undefined;
  /**
   * True when the decision depends on evidence the planner was not given (the pending version's
   * age, the event's tie, the failed step): the core gathers it and plans again.
   */
  needsEvidence: boolean;
  /** A deferred plan: seconds until the grace period ends. */
  retryAfterSeconds?: number | undefined;
}

/** The report every remediation returns: plain JSON. */
export interface RemediationReport {
  status: RemediationStatus;
  dryRun: boolean;
  secret: { arn: string; name: string };
  decision: Decision;
  reason: string;
  /** Planned actions for a dry run; the calls made otherwise. */
  actions: AppliedAction[];
  before: StateSnapshot;
  /** The verified end state; for a dry run, the predicted one. */
  after: StateSnapshot;
  /** Set when the report comes from the idempotency store instead of a new run. */
  replayed?: boolean;
  /** The look-up of the failed step in CloudTrail's history, when one was made. */
  failedStepLookup?: StepLookup;
  /** A deferred remediation: seconds until the grace period ends and a trigger may act. */
  retryAfterSeconds?: number;
  /** A dry run: the status the real run would end in (its own status is `planned` when it would act). */
  wouldBe?: Exclude<RemediationStatus, 'planned'>;
}
