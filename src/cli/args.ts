/**
 * The operator CLI's command line, parsed with `node:util` `parseArgs` (strict: an unknown or
 * misspelt option is an error, never ignored, and so is an option of another command). The
 * remediation and sweep options become the same command objects the Lambda accepts; `main.ts`
 * validates them with the Lambda's own schemas (`commandSchema`, the sweep trigger's).
 */
import { parseArgs } from 'node:util';

/** The CLI's subcommands. */
export const CliCommand = {
  Remediate: 'remediate',
  Status: 'status',
  Sweep: 'sweep',
  /** Turn rotation back on after a remediation (`{"resume": {...}}`). */
  Resume: 'resume',
  /** The fleet report: every secret with rotation configured, classified (`{"report": {...}}`). */
  Report: 'report',
  /**
   * A person's pinned decision on a held rotation: `remediate --pending promote|discard
   * --expected-pending-version V` (the core's `humanDecision`), with a required reason.
   */
  Decide: 'decide',
  /** Why a rotation failed: the probable cause from the rotation function's facts (read-only). */
  Diagnose: 'diagnose',
  Help: 'help',
} as const;
/** One of {@link CliCommand}. */
export type CliCommand = (typeof CliCommand)[keyof typeof CliCommand];

/** Options every command takes. */
export interface CommonOptions {
  /** Print only JSON on stdout. */
  json: boolean;
  /** Use the endpoints of a running `npm run local`. */
  local: boolean;
  region: string | undefined;
  profile: string | undefined;
  /** Print stacks of errors. */
  debug: boolean;
}

/** A parsed command line. */
export type ParsedArgs =
  | { command: typeof CliCommand.Help }
  | {
      command: typeof CliCommand.Status;
      common: CommonOptions;
      secretId: string | undefined;
    }
  | {
      command: typeof CliCommand.Remediate | typeof CliCommand.Resume | typeof CliCommand.Decide;
      common: CommonOptions;
      /**
       * The command object, as the Lambda's direct trigger would receive it (not validated yet);
       * for `resume`, the object inside `{"resume": ...}`.
       */
      input: Record<string, unknown>;
      idempotencyTable: string | undefined;
    }
  | {
      command: typeof CliCommand.Sweep;
      common: CommonOptions;
      /** The sweep options, as the Lambda's `{"sweep": {...}}` trigger would receive them (not validated yet). */
      input: Record<string, unknown>;
      idempotencyTable: string | undefined;
      /** The sweep's deadline in seconds from the start; undefined: no deadline. */
      maxSeconds: number | undefined;
    }
  | {
      command: typeof CliCommand.Report;
      common: CommonOptions;
      /** The report options, as the Lambda's `{"report": {...}}` trigger would receive them. */
      input: Record<string, unknown>;
      /** The deadline in seconds from the start; undefined: no deadline. */
      maxSeconds: number | undefined;
      /** Print the report as a Markdown table (for a ticket). */
      markdown: boolean;
    };

/** A command line the CLI cannot run: exit code 1 with this message. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const optionSpec = {
  'secret-id': { type: 'string' },
  'dry-run': { type: 'boolean' },
  pending: { type: 'string' },
  'expected-pending-version': { type: 'string' },
  'rotate-immediately': { type: 'boolean' },
  'include-pending-age': { type: 'boolean' },
  markdown: { type: 'boolean' },
  promote: { type: 'boolean' },
  discard: { type: 'boolean' },
  reason: { type: 'string' },
  'idempotency-table': { type: 'string' },
  continuation: { type: 'string' },
  'max-seconds': { type: 'string' },
  json: { type: 'boolean' },
  local: { type: 'boolean' },
  region: { type: 'string' },
  profile: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The commands each command-specific option belongs to (the others are common to all). */
const COMMANDS_OF_OPTION = {
  'secret-id': [CliCommand.Remediate, CliCommand.Status, CliCommand.Resume, CliCommand.Decide],
  'dry-run': [CliCommand.Remediate, CliCommand.Sweep, CliCommand.Resume, CliCommand.Decide],
  pending: [CliCommand.Remediate],
  'expected-pending-version': [CliCommand.Remediate, CliCommand.Decide],
  promote: [CliCommand.Decide],
  discard: [CliCommand.Decide],
  'rotate-immediately': [CliCommand.Resume],
  reason: [CliCommand.Remediate, CliCommand.Sweep, CliCommand.Resume, CliCommand.Decide],
  'idempotency-table': [
    CliCommand.Remediate,
    CliCommand.Sweep,
    CliCommand.Resume,
    CliCommand.Decide,
  ],
  continuation: [CliCommand.Sweep, CliCommand.Report],
  'max-seconds': [CliCommand.Sweep, CliCommand.Report],
  'include-pending-age': [CliCommand.Report],
  markdown: [CliCommand.Report],
} as const satisfies Partial<Record<keyof typeof optionSpec, readonly CliCommand[]>>;

/** Longest `--max-seconds`: a day. */
export const MAX_SWEEP_SECONDS = 86_400;

/** The command object's field for each remediation option (for messages). */
export const FLAG_OF_FIELD = {
  secretId: '--secret-id',
  dryRun: '--dry-run',
  pendingAction: '--pending',
  expectedPendingVersionId: '--expected-pending-version',
  reason: '--reason',
  continuation: '--continuation',
  includePendingAge: '--include-pending-age',
} as const;

/** Usage text. */
export const USAGE = `Usage:
  rotation-remediator remediate --secret-id <name|arn> [options]
  rotation-remediator decide --secret-id <name|arn> --expected-pending-version <id>
                             --promote|--discard --reason <text> [--dry-run]
                             [--idempotency-table <name>] [common options]
  rotation-remediator status --secret-id <name|arn> [--json] [--local] [--region <r>] [--profile <p>]
  rotation-remediator resume --secret-id <name|arn> [--dry-run] [--rotate-immediately]
                             [--reason <text>] [--idempotency-table <name>] [common options]
  rotation-remediator sweep [--dry-run] [--reason <text>] [--continuation <token>]
                            [--max-seconds <n>] [--idempotency-table <name>] [common options]
  rotation-remediator report [--include-pending-age] [--continuation <token>] [--max-seconds <n>]
                             [--json | --markdown] [common options]
  rotation-remediator diagnose --secret-id <name|arn> [common options]

remediate: cancel the stuck rotation and clean up AWSPENDING (the Lambda's core, run locally).
  --dry-run                          plan only, no change: DescribeSecret, then for a stuck rotation
                                     ListSecretVersionIds and CloudTrail LookupEvents when the
                                     decision needs that evidence; exit code of the would-be outcome
  --pending auto|discard|promote     what to do with AWSPENDING (default auto: by the failed step)
  --expected-pending-version <id>    refuse unless AWSPENDING sits on exactly this version
  --reason <text>                    why (kept in the request; redacted in logs)
  --idempotency-table <name>         act at most once per failure, recorded in this DynamoDB table
                                     (the Lambda's table); without it no idempotency is used
decide: a person's decision on a held rotation (needs-decision), pinned to the pending version:
  the same request as remediate --pending promote|discard --expected-pending-version <id>.
  See docs/runbook.md for how to choose. Refused (exit 2) if AWSPENDING has moved since.
  --promote                          make the pending version AWSCURRENT (the rotation's new value)
  --discard                          remove AWSPENDING from it (AWSCURRENT stays as it is)
  --reason <text>                    required: why (what you checked)
resume: turn rotation back on after a remediation: RotateSecret with the stored function and
  schedule and RotateImmediately=false (the function runs its testSecret step only), verified.
  --rotate-immediately               start a full rotation now instead of the test
  Calls: the dry run's reads, then CancelRotateSecret, UpdateSecretVersionStage, and a
  DescribeSecret to verify the end state.
status: the label map, rotation state, evidence and would-be outcome of a secret, and the calls it
  made: read only, DescribeSecret, then for a stuck rotation ListSecretVersionIds and LookupEvents
  when the decision needs that evidence (as a dry run). Exit code 0.
sweep: find every stuck rotation of the account and region (ListSecrets) and remediate each, as the
  Lambda's scheduled sweep does. ROTATION_GRACE_SECONDS, SWEEP_QUOTA_SHARE and SWEEP_CONCURRENCY apply.
  --dry-run                          plan only: read calls, no change
  --reason <text>                    why (logged masked in the audit trail)
  --continuation <token>             resume a sweep that stopped at its --max-seconds deadline
  --max-seconds <n>                  stop starting work before n seconds (whole, 1-${MAX_SWEEP_SECONDS}) and print
                                     a continuation; without it the sweep runs to the end
  --idempotency-table <name>         as for remediate
  Exit codes: 0 nothing failed, refused or needs a decision; 2 a secret was refused or needs a
  decision; 1 error or a secret failed.
report: every secret with rotation configured, classified from ListSecrets pages (no per-secret
  read): stuck, managed, overdue, off, never-rotated, rotating; counts (a continued run: the
  chain's totals), then one line per secret, worst first, and each managed secret's own command. Paced at SWEEP_QUOTA_SHARE like the sweep. Exit code 0 unless it fails.
  --include-pending-age              the age of each stuck secret's pending version
                                     (ListSecretVersionIds, for stuck secrets only)
  --continuation <token>             resume a report that stopped at its --max-seconds deadline
  --max-seconds <n>                  as for sweep
  --markdown                         the report as a Markdown table (for a ticket)
diagnose: why the secret's rotation failed: its rotation function's configuration, reserved
  concurrency, log lines (from the pending version's creation) and AWS/Lambda metrics, read-only;
  the probable cause, its evidence (redacted), the documented fix, the steps the logs say completed
  for AWSPENDING, and any call that could not be made. Exit code 0 unless it fails.

Common options:
  --json              only the JSON report (or state) on stdout
  --local             use the endpoints of a running \`npm run local\` (its .tmp/local.json,
                      or the file named by RR_LOCAL_STATE)
  --region <region>   AWS region (default: the SDK's chain: AWS_REGION, profile)
  --profile <name>    AWS profile (default: the SDK's chain: AWS_PROFILE, env, SSO, ...)
  --debug             print stacks of errors; sweep: also its audit records (JSON) on stderr
  -h, --help          this text

Exit codes: 0 remediated, already-clean, resumed, already-rotating or planned; 2 refused or
needs-decision (a dry run: what it would be); 1 error.`;

/** `--max-seconds`: whole seconds from 1 to {@link MAX_SWEEP_SECONDS}; absent: no deadline. */
const parseMaxSeconds = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const seconds = /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_SWEEP_SECONDS)) {
    throw new UsageError(
      `--max-seconds must be a whole number of seconds from 1 to ${MAX_SWEEP_SECONDS}.`
    );
  }
  return seconds;
};

/** The parsed values of a command line. */
type ParsedValues = ReturnType<
  typeof parseArgs<{ options: typeof optionSpec; allowPositionals: true }>
>['values'];

/** The arguments of `report`: `--json` and `--markdown` exclude each other. */
const reportArgs = (values: ParsedValues, common: CommonOptions): ParsedArgs => {
  if (common.json && values.markdown === true) {
    throw new UsageError('--json and --markdown exclude each other.');
  }
  const input: Record<string, unknown> = {};
  if (values['include-pending-age'] === true) input.includePendingAge = true;
  if (values.continuation !== undefined) input.continuation = values.continuation;
  return {
    command: CliCommand.Report,
    common,
    input,
    maxSeconds: parseMaxSeconds(values['max-seconds']),
    markdown: values.markdown === true,
  };
};

/**
 * The arguments of `decide`: exactly one of `--promote` and `--discard`, the pending version and a
 * reason are required; the input is `remediate`'s pinned command.
 */
const decideArgs = (values: ParsedValues, common: CommonOptions): ParsedArgs => {
  if ((values.promote === true) === (values.discard === true)) {
    throw new UsageError('decide needs exactly one of --promote and --discard.');
  }
  if (values['expected-pending-version'] === undefined) {
    throw new UsageError('decide needs --expected-pending-version: the version you decided on.');
  }
  if (values.reason === undefined || values.reason.trim() === '') {
    throw new UsageError('decide needs --reason <text>, why (what you checked).');
  }
  const input: Record<string, unknown> = {
    pendingAction: values.promote === true ? 'promote' : 'discard',
    expectedPendingVersionId: values['expected-pending-version'],
    reason: values.reason,
  };
  if (values['secret-id'] !== undefined) input.secretId = values['secret-id'];
  if (values['dry-run'] === true) input.dryRun = true;
  return {
    command: CliCommand.Decide,
    common,
    input,
    idempotencyTable: values['idempotency-table'],
  };
};

/** Runs node's strict `parseArgs`; its error becomes a {@link UsageError} of one sentence. */
const parseStrict = (argv: readonly string[]): { values: ParsedValues; positionals: string[] } => {
  try {
    return parseArgs({
      args: [...argv],
      options: optionSpec,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node's message goes on about positionals after `--`: keep its first sentence
    const message = (error as Error).message.split('\n')[0]?.split('. To specify')[0];
    throw new UsageError(message || 'Invalid arguments.');
  }
};

/** A command other than help, or a {@link UsageError}; no positional may follow it. */
const commandOf = (
  command: string,
  extra: readonly string[]
): Exclude<CliCommand, typeof CliCommand.Help | typeof CliCommand.Diagnose> => {
  if (
    command !== CliCommand.Remediate &&
    command !== CliCommand.Status &&
    command !== CliCommand.Sweep &&
    command !== CliCommand.Resume &&
    command !== CliCommand.Report &&
    command !== CliCommand.Decide
  ) {
    throw new UsageError(
      `Unknown command ${JSON.stringify(command.slice(0, 32))}: use remediate, decide, resume, status, sweep or report.`
    );
  }
  if (extra.length > 0) {
    throw new UsageError(
      `Unexpected argument ${JSON.stringify((extra[0] ?? '').slice(0, 32))}: options start with --.`
    );
  }
  return command;
};

/** The options every command takes; `--local` and `--profile` exclude each other. */
const commonOptionsOf = (values: ParsedValues): CommonOptions => {
  if (values.local === true && values.profile !== undefined) {
    throw new UsageError(
      '--local and --profile exclude each other: --local uses dummy credentials.'
    );
  }
  return {
    json: values.json === true,
    local: values.local === true,
    region: values.region,
    profile: values.profile,
    debug: values.debug === true,
  };
};

/** Throws a {@link UsageError} for an option given to a command it is not an option of. */
const assertOptionsOf = (values: ParsedValues, command: CliCommand): void => {
  for (const [name, commands] of Object.entries(COMMANDS_OF_OPTION)) {
    const owners: readonly CliCommand[] = commands;
    if (
      values[name as keyof typeof COMMANDS_OF_OPTION] !== undefined &&
      !owners.includes(command)
    ) {
      throw new UsageError(`--${name} is an option of ${owners.join(' and ')}, not of ${command}.`);
    }
  }
};

/** The arguments of `sweep`: a continuation states dry run or live, never inherits it. */
const sweepArgs = (values: ParsedValues, common: CommonOptions): ParsedArgs => {
  const input: Record<string, unknown> = {};
  if (values['dry-run'] === true) input.dryRun = true;
  // A continuation never decides dryRun: without --dry-run, the resumed run is stated live.
  if (values.continuation !== undefined) input.dryRun = values['dry-run'] === true;
  if (values.continuation !== undefined) input.continuation = values.continuation;
  if (values.reason !== undefined) input.reason = values.reason;
  return {
    command: CliCommand.Sweep,
    common,
    input,
    idempotencyTable: values['idempotency-table'],
    maxSeconds: parseMaxSeconds(values['max-seconds']),
  };
};

/** The arguments of `remediate` and `resume`: the command object the direct trigger would get. */
const remediateArgs = (
  command: typeof CliCommand.Remediate | typeof CliCommand.Resume,
  values: ParsedValues,
  common: CommonOptions
): ParsedArgs => {
  const input: Record<string, unknown> = {};
  if (values['secret-id'] !== undefined) input.secretId = values['secret-id'];
  if (values['dry-run'] === true) input.dryRun = true;
  if (values.pending !== undefined) input.pendingAction = values.pending;
  if (values['expected-pending-version'] !== undefined) {
    input.expectedPendingVersionId = values['expected-pending-version'];
  }
  if (values['rotate-immediately'] === true) input.rotateImmediately = true;
  if (values.reason !== undefined) input.reason = values.reason;
  return { command, common, input, idempotencyTable: values['idempotency-table'] };
};

/** Parses the arguments after the program name. */
export const parseCliArgs = (argv: readonly string[]): ParsedArgs => {
  const { values, positionals } = parseStrict(argv);
  const [first, ...extra] = positionals;
  if (values.help === true || first === undefined || first === CliCommand.Help) {
    return { command: CliCommand.Help };
  }
  const command = commandOf(first, extra);
  const common = commonOptionsOf(values);
  assertOptionsOf(values, command);
  if (command === CliCommand.Status) {
    return { command, common, secretId: values['secret-id'] };
  }
  if (command === CliCommand.Report) return reportArgs(values, common);
  if (command === CliCommand.Decide) return decideArgs(values, common);
  if (command === CliCommand.Sweep) return sweepArgs(values, common);
  return remediateArgs(command, values, common);
};

/** The arguments of `diagnose`. */
export interface DiagnoseArgs {
  command: typeof CliCommand.Diagnose;
  common: CommonOptions;
  secretId: string | undefined;
}

const diagnoseSpec = {
  'secret-id': { type: 'string' },
  json: { type: 'boolean' },
  local: { type: 'boolean' },
  region: { type: 'string' },
  profile: { type: 'string' },
  debug: { type: 'boolean' },
} as const;

/** Parses the arguments after `diagnose` (strict: any other option is an error). */
export const parseDiagnoseArgs = (argv: readonly string[]): DiagnoseArgs => {
  let values: ReturnType<typeof parseArgs<{ options: typeof diagnoseSpec }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: diagnoseSpec, strict: true }));
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]?.split('. To specify')[0];
    throw new UsageError(`diagnose: ${message || 'invalid arguments.'}`);
  }
  if (values.local === true && values.profile !== undefined) {
    throw new UsageError(
      '--local and --profile exclude each other: --local uses dummy credentials.'
    );
  }
  return {
    command: CliCommand.Diagnose,
    common: {
      json: values.json === true,
      local: values.local === true,
      region: values.region,
      profile: values.profile,
      debug: values.debug === true,
    },
    secretId: values['secret-id'],
  };
};
