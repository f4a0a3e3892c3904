/**
 * Plain-text rendering of plans, reports, sweep reports and secret states for people: the operator
 * CLI and `npm run demo` print with these. Pure functions from values to lines; no colours, no I/O.
 */

import type { Decide } from '../notifications/detail.js';
import type { CallRecord } from '../remediation/apply.js';
import { pendingVersionOf, versionWithLabel } from '../remediation/labels.js';
import type {
  AppliedAction,
  Evidence,
  LabelMap,
  Plan,
  PlannedAction,
  RemediationReport,
  SecretState,
  StateSnapshot,
  StepLookup,
} from '../remediation/types.js';
import { Label } from '../remediation/types.js';
import type { SweepConfig } from '../settings.js';
import type { SweepReport } from '../sweep/types.js';

/** Shown where a version carries no label, or a value is absent. */
export const NONE = '-';

/** Options of the label table. */
export interface LabelTableOptions {
  /** Show version ids cut to this many characters (the demo uses 8); default: full ids. */
  idLength?: number;
  /** Indentation of every line. */
  indent?: string;
}

const shortId = (id: string, length: number | undefined): string =>
  length === undefined || id.length <= length ? id : id.slice(0, length);

const labelsText = (labels: readonly string[] | undefined): string =>
  labels === undefined || labels.length === 0 ? NONE : labels.join(',');

const rotationText = (enabled: boolean | null | undefined): string => {
  if (enabled === true) return 'enabled';
  if (enabled === false) return 'disabled';
  return 'never configured';
};

/** Lays out rows as columns separated by two spaces (the last column is not padded). */
export const columns = (rows: readonly (readonly string[])[], indent = ''): string[] => {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd()
  );
};

/** Row order: AWSPREVIOUS, AWSCURRENT, AWSPENDING, then versions with custom labels only. */
const LABEL_ORDER: readonly string[] = [Label.Previous, Label.Current, Label.Pending];

const rankOf = (labels: readonly string[] | undefined): number => {
  const ranks = (labels ?? []).map((label) =>
    LABEL_ORDER.includes(label) ? LABEL_ORDER.indexOf(label) : LABEL_ORDER.length
  );
  return ranks.length === 0 ? LABEL_ORDER.length + 1 : Math.min(...ranks);
};

/** Version ids of both maps, in the order of their labels before (then after), oldest first. */
const versionsOf = (before: LabelMap, after: LabelMap): string[] => {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const key = (id: string): number =>
    id in before ? rankOf(before[id]) : LABEL_ORDER.length + 2 + rankOf(after[id]);
  return ids.sort((a, b) => key(a) - key(b));
};

/**
 * The label map before → after as a table: one row per version (labels per version, `-` where a
 * version has none left), and a last row with the rotation state.
 */
export const formatLabelTable = (
  before: Pick<StateSnapshot, 'versionIdsToStages' | 'rotationEnabled'>,
  after: Pick<StateSnapshot, 'versionIdsToStages' | 'rotationEnabled'>,
  options: LabelTableOptions = {}
): string[] => {
  const rows: string[][] = [['version', 'before', '', 'after']];
  for (const id of versionsOf(before.versionIdsToStages, after.versionIdsToStages)) {
    const was = labelsText(before.versionIdsToStages[id]);
    const now = labelsText(after.versionIdsToStages[id]);
    rows.push([shortId(id, options.idLength), was, was === now ? ' ' : '→', now]);
  }
  const wasRotation = rotationText(before.rotationEnabled);
  const nowRotation = rotationText(after.rotationEnabled);
  rows.push(['rotation', wasRotation, wasRotation === nowRotation ? ' ' : '→', nowRotation]);
  return columns(rows, options.indent ?? '');
};

/** One planned or applied action in words. */
export const describeAction = (
  action: PlannedAction | AppliedAction,
  idLength?: number
): string => {
  if (action.operation === 'CancelRotateSecret') return 'CancelRotateSecret (rotation off)';
  if (action.operation === 'RotateSecret') {
    return `RotateSecret (rotation on, RotateImmediately=${action.rotateImmediately})`;
  }
  if ('moveTo' in action) {
    const from =
      action.removeFrom === undefined ? '' : ` from ${shortId(action.removeFrom, idLength)}`;
    return `UpdateSecretVersionStage move ${action.versionStage} to ${shortId(action.moveTo, idLength)}${from}`;
  }
  return `UpdateSecretVersionStage remove ${action.versionStage} from ${shortId(action.removeFrom, idLength)}`;
};

/** The failed step a look-up found, with where it came from and when; or why it is unknown. */
export const failedStepText = (lookup: StepLookup): string =>
  lookup.step === undefined
    ? `unknown (CloudTrail history: ${lookup.outcome}${lookup.eventTime === null ? '' : `, record of ${lookup.eventTime}`})`
    : `${lookup.step} (from CloudTrail history, record of ${lookup.eventTime ?? 'an unknown time'})`;

/** The decision in one line: status or outcome, rule, requested → resolved action, failed step. */
export const formatDecision = (
  status: string,
  decision: Plan['decision'],
  extra: readonly string[] = []
): string =>
  [
    status,
    `rule ${decision.rule}`,
    `action ${decision.requested} → ${decision.resolved}`,
    ...(decision.failedStep === null
      ? []
      : [`failed step ${decision.failedStep} (${decision.evidence.stepSource})`]),
    ...extra,
  ].join(' · ');

/** The evidence of a decision in one line: step source, look-up, record, the pending version's age. */
export const formatEvidence = (evidence: Evidence): string =>
  [
    `step from ${evidence.stepSource}`,
    `look-up ${evidence.lookup}${evidence.lookupError === null ? '' : ` (${evidence.lookupError})`}`,
    ...(evidence.eventTie === null ? [] : [`event ${evidence.eventTie}`]),
    evidence.record === null
      ? 'no failure record'
      : `record ${evidence.record.source} ${evidence.record.time ?? 'at an unknown time'}${evidence.record.id === null ? '' : ` (${evidence.record.id})`}`,
    evidence.pendingVersionAgeSeconds === null
      ? 'pending version age unknown'
      : `pending version ${evidence.pendingVersionAgeSeconds} s old`,
  ].join(' · ');

/** The plan, as the CLI prints it before anything is applied. */
export const formatPlan = (plan: Plan, attempt: number): string[] => {
  const lines = [
    `${attempt === 0 ? 'Plan' : `Re-plan ${attempt} (after a refused call)`}: ${formatDecision(plan.outcome, plan.decision)}`,
    `  ${plan.reason}`,
    `  Evidence: ${formatEvidence(plan.decision.evidence)}`,
  ];
  if (plan.actions.length === 0) lines.push('  no call to make');
  plan.actions.forEach((action, index) => {
    lines.push(`  ${index + 1}. ${describeAction(action)}`);
  });
  return lines;
};

/** One mutating call as it is made. */
export const formatCall = (record: CallRecord): string =>
  `  ${record.outcome === 'success' ? 'done' : 'FAILED'}  ${describeAction(record.action)}${
    record.requestId === undefined ? '' : `  (request ${record.requestId})`
  }${record.errorName === undefined ? '' : `: ${record.errorName}`}`;

/** Options of {@link formatReport}. */
export interface ReportOptions extends LabelTableOptions {
  /** The reason already printed with the plan: not repeated unless the report's differs. */
  planReason?: string;
  /** The calls were already printed as they were made: not listed again. */
  callsShown?: boolean;
}

/** A whole report: secret, decision, reason, actions, and the label table before → after. */
export const formatReport = (report: RemediationReport, options: ReportOptions = {}): string[] => {
  const extra = [
    ...(report.dryRun ? ['dry run: nothing changed'] : []),
    ...(report.replayed === true ? ['replayed from the idempotency store'] : []),
  ];
  const lines = [
    `Secret:   ${report.secret.name}  (${report.secret.arn})`,
    `Result:   ${formatDecision(report.status, report.decision, extra)}`,
  ];
  if (report.reason !== options.planReason) lines.push(`Reason:   ${report.reason}`);
  lines.push(`Evidence: ${formatEvidence(report.decision.evidence)}`);
  if (report.retryAfterSeconds !== undefined) {
    lines.push(`Retry:    after ${report.retryAfterSeconds} s (the grace period)`);
  }
  if (options.callsShown !== true || report.replayed === true) {
    const heading = report.dryRun ? 'Would do: ' : 'Calls:    ';
    if (report.actions.length === 0) lines.push(`${heading}none`);
    report.actions.forEach((action, index) => {
      lines.push(
        `${index === 0 ? heading : ' '.repeat(heading.length)}${describeAction(action, options.idLength)}`
      );
    });
  }
  lines.push(report.dryRun ? 'Labels (before → predicted after):' : 'Labels (before → after):');
  lines.push(...formatLabelTable(report.before, report.after, { ...options, indent: '  ' }));
  return lines;
};

/**
 * The next command of a needs-decision answer: both pinned `decide` lines and the HTTP body of
 * each, with where to read how to choose.
 */
export const formatDecide = (decide: Decide): string[] => [
  `Decide (pinned to pending version ${decide.pendingVersionId}; how to choose: docs/runbook.md):`,
  '  promote (the pending version becomes AWSCURRENT):',
  `    ${decide.promote.cli}`,
  `    HTTP body: ${JSON.stringify(decide.promote.body)}`,
  '  discard (AWSPENDING removed; AWSCURRENT stays):',
  `    ${decide.discard.cli}`,
  `    HTTP body: ${JSON.stringify(decide.discard.body)}`,
];

/** Where AWSPENDING sits, and whether that is a stuck rotation. */
const pendingText = (labels: LabelMap): string => {
  const pending = pendingVersionOf(labels);
  if (pending === undefined) return 'on no version (nothing stuck)';
  if (pending === versionWithLabel(labels, Label.Current))
    return `on the AWSCURRENT version ${pending} (legal)`;
  return `on ${pending}, not AWSCURRENT: a rotation is stuck`;
};

/** The state of a secret, for `status`: rotation settings and the label map. */
export const formatState = (state: SecretState, lookup?: StepLookup, plan?: Plan): string[] => {
  const rows: string[][] = [
    ['secret', state.name],
    ['arn', state.arn],
    ['rotation', rotationText(state.rotationEnabled)],
    ['rotation lambda', state.rotationLambdaArn ?? NONE],
    ['last rotated', state.lastRotatedDate ?? NONE],
    ['next rotation', state.nextRotationDate ?? NONE],
  ];
  rows.push(['AWSPENDING', pendingText(state.versionIdsToStages)]);
  if (lookup !== undefined) rows.push(['failed step', failedStepText(lookup)]);
  if (plan !== undefined) {
    rows.push(['evidence', formatEvidence(plan.decision.evidence)]);
    rows.push(['would', `${plan.outcome} (rule ${plan.decision.rule})`]);
  }
  if (state.deletedDate !== undefined) rows.push(['marked for deletion', state.deletedDate]);
  if (state.owningService !== undefined) rows.push(['managed by', state.owningService]);
  if (state.primaryRegion !== undefined) rows.push(['replica of region', state.primaryRegion]);
  const lines = columns(rows);
  lines.push('labels:');
  const labelRows: string[][] = [['version', 'labels']];
  for (const [id, labels] of Object.entries(state.versionIdsToStages)) {
    labelRows.push([id, labelsText(labels)]);
  }
  lines.push(...columns(labelRows, '  '));
  return lines;
};

/**
 * The name in a secret's ARN (`arn:…:secret:<name>-<6 random characters>`); the ARN itself when it
 * does not look like one.
 */
export const secretNameOfArn = (arn: string): string => {
  const match = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn);
  return match?.[1] ?? arn;
};

/** Options of {@link formatSweepStart} and {@link formatSweepReport}. */
export interface SweepTextOptions {
  /** The `--max-seconds` deadline; undefined: none. */
  maxSeconds?: number;
  /**
   * The command that resumes the run, without its `--continuation` (see {@link resumeCommand});
   * default: `npx rotation-remediator sweep` with `--dry-run` if it was one.
   */
  resumeCommand?: string;
}

/**
 * The settings that shape a sweep or report run from the CLI: repeated, when set, on the line that
 * resumes it, so the continuation runs as the first run did.
 */
export const RUN_SETTINGS = [
  'REQUIRED_TAG',
  'DEFAULT_PENDING_ACTION',
  'UNKNOWN_STEP_ACTION',
  'FAILED_STEP_LOOKUP',
  'ROTATION_GRACE_SECONDS',
  'SWEEP_GRACE_SECONDS',
  'SWEEP_QUOTA_SHARE',
  'SWEEP_CONCURRENCY',
  'EVENT_BUS_NAME',
  'IDEMPOTENCY_TTL_SECONDS',
  'DECISION_REMINDER_SECONDS',
  'RR_LOCAL_STATE',
] as const;

/** A word for a shell: as it is when plain, otherwise single-quoted. */
const shellWord = (text: string): string =>
  /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The command line that resumes a run: the settings of `env` that shape it (`NAME=value`), the
 * program, and `words` (the command and its options, as given), each quoted for a shell.
 */
export const resumeCommand = (
  words: readonly string[],
  env: Readonly<Record<string, string | undefined>>
): string =>
  [
    ...RUN_SETTINGS.flatMap((name) =>
      env[name] === undefined ? [] : [`${name}=${shellWord(env[name] ?? '')}`]
    ),
    'npx rotation-remediator',
    ...words.map(shellWord),
  ].join(' ');

/** A result's status; a dry run's says what the real run would end in, unless a plain change. */
const statusText = (result: SweepReport['results'][number]): string =>
  result.wouldBe === undefined || result.wouldBe === 'remediated'
    ? result.status
    : `${result.status} (would be ${result.wouldBe})`;

/** The line printed before a sweep starts: mode, settings, deadline. */
export const formatSweepStart = (
  dryRun: boolean,
  config: SweepConfig & { graceSeconds: number },
  options: SweepTextOptions = {}
): string =>
  [
    `Sweep${dryRun ? ' (dry run)' : ''}`,
    `grace ${config.graceSeconds} s`,
    `quota share ${config.quotaShare}`,
    `concurrency ${config.concurrency}`,
    options.maxSeconds === undefined ? 'no deadline' : `deadline ${options.maxSeconds} s`,
  ].join(' · ');

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * A sweep report for people: the outcome, the counters, one line per stuck secret (status, rule,
 * name, pending since, ARN; the error below a failed one) and, when the sweep stopped at its
 * deadline, the command that resumes it.
 */
export const formatSweepReport = (
  report: SweepReport,
  options: Pick<SweepTextOptions, 'resumeCommand'> = {}
): string[] => {
  const finished = report.continuation === undefined;
  const lines = [
    `Result:   ${[
      finished ? 'sweep complete' : 'stopped at the deadline, not finished',
      ...(report.dryRun ? ['dry run: nothing changed'] : []),
    ].join(' · ')}`,
  ];
  const counters: [string, string][] = [
    ['candidates', String(report.candidates)],
    ['stuck', String(report.stuck)],
    ['running', `${report.running}  (pending version younger than the grace period: left alone)`],
    ...(report.dryRun ? [['planned', String(report.planned)] as [string, string]] : []),
    ['remediated', String(report.remediated)],
    ['already clean', String(report.alreadyClean)],
    ['needs decision', String(report.needsDecision)],
    ['refused', String(report.refused)],
    ['in progress', `${report.inProgress}  (another run is remediating it)`],
    ['failed', String(report.failed)],
    ['cleared', `${report.cleared}  (no longer stuck when examined)`],
    ['skipped', `${report.skipped}  (out of REQUIRED_TAG scope, or a replica)`],
    ['remaining', String(report.remaining)],
    ['throttled', `${report.throttled}  (attempts retried by the SDK)`],
    ['duration', seconds(report.durationMs)],
  ];
  lines.push(...columns(counters, '  '));
  if (report.results.length === 0) {
    lines.push('Secrets:  none stuck');
  } else {
    lines.push(`Secrets (${report.results.length}):`);
    const rows = report.results.map((result) => [
      statusText(result),
      result.rule ?? NONE,
      secretNameOfArn(result.secretArn),
      `pending since ${result.pendingSince ?? NONE}`,
      `${result.secretArn}${result.replayed === true ? '  (replayed from the idempotency store)' : ''}`,
    ]);
    const rendered = columns(rows, '  ');
    report.results.forEach((result, index) => {
      lines.push(rendered[index] ?? '');
      if (result.error !== undefined) {
        lines.push(`      ${result.error.replace(/\s*\n\s*/g, ' ')}`);
      }
    });
  }
  if (!finished) {
    const command =
      options.resumeCommand ?? `npx rotation-remediator sweep${report.dryRun ? ' --dry-run' : ''}`;
    lines.push(
      'Not finished: the deadline came first. Resume with:',
      `  ${command} --continuation ${report.continuation}`
    );
  }
  return lines;
};
