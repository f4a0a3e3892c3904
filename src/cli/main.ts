/**
 * The operator CLI: the Lambda's remediation core and its sweep run from a laptop with the
 * operator's own AWS credentials (the SDK's standard chain: environment, profile, SSO, ...), for
 * when the deployed function is missing or broken. Input goes through the Lambda's own schemas
 * (`commandSchema`, the sweep trigger's), so the CLI cannot do what the Lambda would refuse.
 *
 * Exit codes: 0 remediated / already-clean / planned; 2 refused / needs-decision; 1 error (one line
 * on stderr, a stack only with `--debug`). A sweep: 2 when any secret was refused or needs a
 * decision, 1 when any failed.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { RemediationService } from '../application/remediation-service.js';
import { createLogger } from '../audit/logger.js';
import { redactingReplacer } from '../audit/redact.js';
import { createSecretsManagerClient } from '../aws/clients.js';
import { describeError, SecretNotFound } from '../errors.js';
import { createFailedStepResolver } from '../history/resolver.js';
import { createApplyOnce } from '../idempotency/apply-once.js';
import { runScopeOf } from '../identifiers.js';
import { decideOf } from '../notifications/detail.js';
import { createNotifier } from '../notifications/notifier.js';
import { createDecisionLedger } from '../notifications/reminders.js';
import type { Notifier } from '../notifications/types.js';
import { toSnapshot } from '../remediation/read-state.js';
import type { RemediationObserver } from '../remediation/remediate.js';
import { readAndPlan } from '../remediation/remediate.js';
import type {
  Plan,
  RemediationReport,
  RemediationRequest,
  SecretState,
  StepLookup,
} from '../remediation/types.js';
import { RemediationStatus, Rule, TriggerName } from '../remediation/types.js';
import type { Settings } from '../settings.js';
import { loadSettings } from '../settings.js';
import type { SweepCounts, SweepRequest, SweepResult } from '../sweep/types.js';
import {
  commandSchema,
  commandToRequest,
  resumeCommandSchema,
  resumeToRequest,
  secretIdSchema,
} from '../triggers/command-schema.js';
import { isOutOfScope, outOfScopeAsNotFound } from '../triggers/out-of-scope.js';
import { parseReportEvent } from '../triggers/report.js';
import { parseSweepEvent } from '../triggers/sweep.js';
import { parseOrThrow } from '../triggers/validation.js';
import type { CommonOptions, ParsedArgs } from './args.js';
import {
  CliCommand,
  FLAG_OF_FIELD,
  parseCliArgs,
  parseDiagnoseArgs,
  USAGE,
  UsageError,
} from './args.js';
import { diagnoseSecret, formatDiagnosis } from './diagnose.js';
import {
  formatCall,
  formatDecide,
  formatPlan,
  formatReport,
  formatState,
  formatSweepReport,
  formatSweepStart,
  resumeCommand,
} from './format.js';
import { hintFor } from './hints.js';
import { localStateEnv, localStatePath, readLocalState } from './local-state.js';
import { formatFleetReport, formatFleetReportMarkdown } from './report-format.js';

/** The CLI's exit codes. */
export const ExitCode = {
  /** Remediated, already clean, or planned (dry run). */
  Ok: 0,
  /** An error: bad input, AWS or network failure. Nothing was changed unless the message says so. */
  Error: 1,
  /** Refused, or needs a human decision. */
  NeedsAttention: 2,
} as const;
/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where the CLI writes, and the environment it reads and sets (the SDK reads `process.env`). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** The project directory (above `dist/`), where `.tmp/local.json` lives. */
  projectDir: string;
}

/** DynamoDB table names: 3-255 characters of letters, digits, `_`, `-` and `.`. */
const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

/** The exit code of a report's status. */
export const exitCodeOf = (status: RemediationStatus): ExitCode =>
  status === RemediationStatus.Refused || status === RemediationStatus.NeedsDecision
    ? ExitCode.NeedsAttention
    : ExitCode.Ok;

/** The exit code of a sweep: any failed secret is an error, then refused or needs-decision. */
export const exitCodeOfSweep = (
  report: Pick<SweepCounts, 'failed' | 'refused' | 'needsDecision'> & {
    results?: readonly Pick<SweepResult, 'wouldBe'>[];
  }
): ExitCode => {
  if (report.failed > 0) return ExitCode.Error;
  // a dry run tells the truth: a secret that would need a decision, or be refused, needs attention
  const wouldNeedAttention = (report.results ?? []).some(
    (result) => result.wouldBe === 'needs-decision' || result.wouldBe === 'refused'
  );
  return report.refused + report.needsDecision > 0 || wouldNeedAttention
    ? ExitCode.NeedsAttention
    : ExitCode.Ok;
};

/**
 * Names the CLI flag instead of the command field in validation messages (the triggers' messages
 * name the field under its command: `sweep.`, `report.`, `resume.`, ...).
 */
const withFlagNames = (message: string): string =>
  message.replace(
    /\b(?:[a-zA-Z]+\.)*(secretId|dryRun|pendingAction|expectedPendingVersionId|reason|continuation|includePendingAge):/g,
    (_match, field: keyof typeof FLAG_OF_FIELD) => `${FLAG_OF_FIELD[field]}:`
  );

/**
 * One line for an error: its name, message and (for wrapped AWS errors) the cause's, then a hint
 * for a missing region or a `profile` that gave no credentials. A missing secret has no cause
 * shown: a secret outside `REQUIRED_TAG` reads the same (no existence oracle).
 */
export const describeCliError = (error: unknown, profile?: string): string =>
  error instanceof UsageError
    ? `Usage: ${withFlagNames(error.message)}`
    : withFlagNames(describeError(error, { withCause: !(error instanceof SecretNotFound) })) +
      hintFor(error, profile);

/** Points the SDK at the operator's choice: a running `npm run local`, a region, a profile. */
const applyEnvironment = (common: CommonOptions, io: CliIo): void => {
  if (common.local) {
    const state = readLocalState(localStatePath(io.env, io.projectDir));
    delete io.env.AWS_PROFILE;
    delete io.env.AWS_SESSION_TOKEN;
    Object.assign(io.env, localStateEnv(state));
  }
  if (common.region !== undefined) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(common.region)) {
      throw new UsageError('--region must look like us-east-1.');
    }
    io.env.AWS_REGION = common.region;
  }
  // a profile named explicitly wins over credentials in the environment (the SDK's chain skips them)
  if (common.profile !== undefined) io.env.AWS_PROFILE = common.profile;
};

/**
 * How long the CLI's in-progress idempotency record locks the failure (the Lambda's timeout): if
 * the CLI dies mid-run, the Lambda's retries may take over after this, not after the record's TTL.
 */
export const CLI_LOCK_MS = 60_000;

/** Checks `--idempotency-table` before anything is called. */
const checkTableName = (tableName: string | undefined): void => {
  if (tableName !== undefined && !TABLE_NAME_PATTERN.test(tableName)) {
    throw new UsageError(
      '--idempotency-table must be a DynamoDB table name (3-255 letters, digits, _ - .).'
    );
  }
};

/**
 * The settings of the CLI: the environment's, through the one loader, with idempotency on exactly
 * when `--idempotency-table` names a table (its TTL from `IDEMPOTENCY_TTL_SECONDS`), and events
 * (src/notifications) only when `EVENT_BUS_NAME` is set: the operator's credentials may not allow
 * `events:PutEvents`, and a break-glass run from a laptop puts nothing on a bus unless asked to.
 */
const cliSettings = (env: NodeJS.ProcessEnv, tableName: string | undefined): Settings => {
  checkTableName(tableName);
  return loadSettings({
    ...env,
    IDEMPOTENCY_TABLE_NAME: tableName,
    POWERTOOLS_IDEMPOTENCY_DISABLED: tableName === undefined ? 'true' : 'false',
    EVENT_BUS_NAME: env.EVENT_BUS_NAME?.trim() || 'none',
  });
};

/**
 * The remediation service the CLI runs, as the Lambda's: the operator's credentials, no metrics,
 * audit records on stderr with `--debug` (silent otherwise), and `observer` printing each step.
 */
const cliService = (
  settings: Settings,
  client: ReturnType<typeof createSecretsManagerClient>,
  options: { debug: boolean; observer?: RemediationObserver; notifier?: Notifier | undefined },
  io: CliIo
): RemediationService => {
  const { idempotency } = settings;
  if (idempotency !== undefined) {
    io.stderr.write(
      `Idempotency on: DynamoDB table ${idempotency.tableName}. A failure already remediated there is not acted on again; its stored report comes back marked replayed. Dry runs are not recorded.\n`
    );
  }
  return new RemediationService({
    secretsManager: client,
    settings,
    logger: options.debug
      ? new StderrLogger(io.stderr)
      : createLogger(settings.observability, { logLevel: 'SILENT' }),
    observer: options.observer,
    notifier: options.notifier,
    decisions:
      idempotency === undefined
        ? undefined
        : createDecisionLedger(
            idempotency.tableName,
            settings.notifications.decisionReminderSeconds
          ),
    applyOnce:
      idempotency === undefined
        ? undefined
        : createApplyOnce(idempotency, { maxLockMs: CLI_LOCK_MS }),
    failedSteps: settings.remediator.failedStepLookup ? createFailedStepResolver() : undefined,
  });
};

/** A Powertools logger that writes its records as JSON lines to the CLI's stderr. */
class StderrLogger extends Logger {
  /**
   * Where records go. Set after `super()`: a record Powertools prints while it initialises (a
   * warning about its settings) finds it unset and goes to the process's stderr.
   */
  private readonly out?: CliIo['stderr'];

  public constructor(out: CliIo['stderr']) {
    super({
      serviceName: 'rotation-remediator',
      logLevel: 'INFO',
      jsonReplacerFn: redactingReplacer,
    });
    this.out = out;
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    (this.out ?? process.stderr).write(
      `${JSON.stringify(log.getAttributes(), this.getJsonReplacer())}\n`
    );
  }
}

/** What `status --json` prints: the report's snapshot, what makes the planner refuse, and the evidence. */
export const stateJson = (state: SecretState, plan?: Plan, lookup?: StepLookup) => ({
  secret: { arn: state.arn, name: state.name },
  ...toSnapshot(state),
  deletedDate: state.deletedDate ?? null,
  owningService: state.owningService ?? null,
  primaryRegion: state.primaryRegion ?? null,
  failedStep: lookup === undefined ? null : stepOfLookup(lookup),
  evidence: plan?.decision.evidence ?? null,
  wouldDo: plan === undefined ? null : { outcome: plan.outcome, rule: plan.decision.rule },
});

/** The failed step a look-up found: the step, where it came from, and the record's time. */
const stepOfLookup = (lookup: StepLookup) => ({
  step: lookup.step ?? null,
  source: lookup.step === undefined ? 'unknown' : 'history',
  eventTime: lookup.eventTime,
  lookup: lookup.outcome,
});

/** Who runs the CLI, for the request (the OS user; some containers have none). */
const operator = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

/**
 * Records the name of every Secrets Manager call `client` makes (attempts retried by the SDK count
 * once): what `status` says it read.
 */
const recordCalls = (client: ReturnType<typeof createSecretsManagerClient>): string[] => {
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => (input) => {
      calls.push(context.commandName?.replace(/Command$/, '') ?? 'unknown');
      return next(input);
    },
    { step: 'initialize', name: 'rrRecordCalls' }
  );
  return calls;
};

/** CloudTrail LookupEvents calls of a look-up: its pages, or the one attempt refused or cut short. */
const lookupCallsOf = (lookup: StepLookup | undefined): string[] => {
  if (lookup === undefined) return [];
  const attempted = ['denied', 'throttled', 'timed-out'].includes(lookup.outcome) ? 1 : 0;
  return Array.from({ length: Math.max(lookup.pages, attempted) }, () => 'LookupEvents');
};

const runStatus = async (secretIdInput: string | undefined, common: CommonOptions, io: CliIo) => {
  const secretId = parseOrThrow(secretIdSchema, secretIdInput, 'secretId');
  const settings = cliSettings(io.env, undefined);
  const client = createSecretsManagerClient();
  const smCalls = recordCalls(client);
  try {
    // the planner's own dry run: the state, the evidence it gathers, and what it would do
    const { state, plan, lookup } = await readAndPlan(
      {
        secretsManager: client,
        requiredTag: settings.remediator.requiredTag,
        policy: settings.remediator.policy,
        failedSteps: settings.remediator.failedStepLookup ? createFailedStepResolver() : undefined,
      },
      {
        secretId,
        dryRun: true,
        pendingAction: settings.remediator.defaultPendingAction,
        trigger: TriggerName.Cli,
      }
    );
    const calls = [...smCalls, ...lookupCallsOf(lookup)];
    if (common.json) {
      io.stdout.write(`${JSON.stringify({ ...stateJson(state, plan, lookup), calls }, null, 2)}\n`);
    } else {
      io.stdout.write(
        `${[...formatState(state, lookup, plan), `calls (read only): ${calls.join(', ')}`].join('\n')}\n`
      );
    }
    return ExitCode.Ok;
  } finally {
    client.destroy();
  }
};

/** The parsed arguments of `remediate`, `decide` and `resume`. */
type RemediateArgs = Exclude<
  ParsedArgs,
  {
    command:
      | typeof CliCommand.Help
      | typeof CliCommand.Status
      | typeof CliCommand.Sweep
      | typeof CliCommand.Report;
  }
>;

/** The request of `remediate`, `decide` or `resume`, checked by the Lambda's own schemas. */
const requestOf = (
  args: RemediateArgs,
  settings: ReturnType<typeof cliSettings>
): RemediationRequest => {
  const context = {
    trigger: TriggerName.Cli,
    correlationId: `cli-${randomUUID()}`,
    requestedBy: operator(),
  };
  if (args.command === CliCommand.Resume) {
    return resumeToRequest(parseOrThrow(resumeCommandSchema, { resume: args.input }), context);
  }
  return commandToRequest(parseOrThrow(commandSchema, args.input), {
    ...context,
    defaultPendingAction: settings.remediator.defaultPendingAction,
  });
};

const runRemediate = async (args: RemediateArgs, io: CliIo): Promise<ExitCode> => {
  const settings = cliSettings(io.env, args.idempotencyTable);
  const request = requestOf(args, settings);
  let planReason: string | undefined;
  let wouldBe: Plan['outcome'] | undefined;
  let callsShown = false;
  const { json } = args.common;
  const printer: RemediationObserver = {
    planned: (plan, attempt) => {
      // an out-of-scope secret ends as SecretNotFound: print nothing of it
      if (plan.decision.rule === Rule.OutOfScope) return;
      planReason = plan.reason;
      wouldBe = plan.outcome;
      if (!json) io.stdout.write(`${formatPlan(plan, attempt).join('\n')}\n`);
    },
    call: (record) => {
      callsShown = true;
      if (!json) io.stdout.write(`${formatCall(record)}\n`);
    },
  };
  const client = createSecretsManagerClient();
  const notifier = createNotifier(settings.notifications);
  try {
    const service = cliService(
      settings,
      client,
      { debug: args.common.debug, observer: printer, notifier },
      io
    );
    const report: RemediationReport = await service.remediate(request);
    if (isOutOfScope(report)) throw outOfScopeAsNotFound();
    // a dry run answers with the outcome it would have: its exit code and next command too
    const status = report.dryRun && wouldBe !== undefined ? wouldBe : report.status;
    const decide = decideOf({ ...report, status });
    const extra = { ...(report.dryRun ? { wouldBe: status } : {}), ...(decide ? { decide } : {}) };
    io.stdout.write(
      json
        ? `${JSON.stringify({ ...report, ...extra }, null, 2)}\n`
        : `\n${[
            ...formatReport(report, { planReason, callsShown: callsShown || report.dryRun }),
            ...(report.dryRun ? [`Would end: ${status} (exit ${exitCodeOf(status)})`] : []),
            ...(decide === null ? [] : formatDecide(decide)),
          ].join('\n')}\n`
    );
    return exitCodeOf(status);
  } finally {
    client.destroy();
    notifier?.close?.();
  }
};

/** The command and options of a sweep as given, for its resume line (`--continuation` apart). */
const sweepWords = (
  args: Extract<ParsedArgs, { command: typeof CliCommand.Sweep }>,
  dryRun: boolean
): string[] => {
  const { input, common, idempotencyTable, maxSeconds } = args;
  const option = (flag: string, value: unknown) =>
    value === undefined || value === false ? [] : value === true ? [flag] : [flag, String(value)];
  return [
    'sweep',
    ...option('--dry-run', dryRun),
    ...option('--reason', input.reason),
    ...option('--idempotency-table', idempotencyTable),
    ...option('--max-seconds', maxSeconds),
    ...option('--local', common.local),
    ...option('--region', common.region),
    ...option('--profile', common.profile),
    ...option('--debug', common.debug),
  ];
};

/**
 * `sweep`: the Lambda's sweep with the operator's credentials and the environment's
 * `REQUIRED_TAG`, `DEFAULT_PENDING_ACTION` and `SWEEP_*` settings. Without `--max-seconds` there is
 * no deadline and the sweep runs to its end in one run; with it, the sweep stops starting work
 * before the deadline and the continuation is printed.
 */
const runSweepCommand = async (
  args: Extract<ParsedArgs, { command: typeof CliCommand.Sweep }>,
  io: CliIo
): Promise<ExitCode> => {
  const startedMs = Date.now();
  const settings = cliSettings(io.env, args.idempotencyTable);
  // the trigger's own parser: strict fields, and the continuation decoded and verified here
  const request: SweepRequest = parseSweepEvent(
    { sweep: args.input },
    runScopeOf(undefined, io.env.AWS_REGION)
  );
  const deadlineMs = args.maxSeconds === undefined ? undefined : startedMs + args.maxSeconds * 1000;
  const client = createSecretsManagerClient();
  const notifier = createNotifier(settings.notifications);
  try {
    const service = cliService(settings, client, { debug: args.common.debug, notifier }, io);
    if (!args.common.json) {
      const dryRun = request.dryRun ?? request.continuation?.dryRun ?? false;
      io.stdout.write(
        `${formatSweepStart(
          dryRun,
          { ...settings.sweep, graceSeconds: settings.remediator.policy.graceSeconds },
          { maxSeconds: args.maxSeconds }
        )}\n`
      );
    }
    const { sweep: report } = await service.sweep(request, {
      correlationId: `cli-${randomUUID()}`,
      remainingTimeMs: deadlineMs === undefined ? undefined : () => deadlineMs - Date.now(),
    });
    io.stdout.write(
      args.common.json
        ? `${JSON.stringify({ sweep: report }, null, 2)}\n`
        : `\n${formatSweepReport(report, { resumeCommand: resumeCommand(sweepWords(args, report.dryRun), io.env) }).join('\n')}\n`
    );
    return exitCodeOfSweep(report);
  } finally {
    client.destroy();
    notifier?.close?.();
  }
};

/** The command and options of a report as given, for its resume line (`--continuation` apart). */
const reportWords = (
  args: Extract<ParsedArgs, { command: typeof CliCommand.Report }>
): string[] => {
  const { input, common, maxSeconds, markdown } = args;
  return [
    'report',
    ...(input.includePendingAge === true ? ['--include-pending-age'] : []),
    ...(maxSeconds === undefined ? [] : ['--max-seconds', String(maxSeconds)]),
    ...(markdown ? ['--markdown'] : []),
    ...(common.local ? ['--local'] : []),
    ...(common.region === undefined ? [] : ['--region', common.region]),
    ...(common.profile === undefined ? [] : ['--profile', common.profile]),
    ...(common.debug ? ['--debug'] : []),
  ];
};

/**
 * `report`: the Lambda's fleet report with the operator's credentials, paced at the environment's
 * `SWEEP_QUOTA_SHARE`. Read-only: exit code 0 unless it fails. Without `--max-seconds` it lists to
 * the end in one run; with it, it stops before the deadline and prints the continuation.
 */
const runReportCommand = async (
  args: Extract<ParsedArgs, { command: typeof CliCommand.Report }>,
  io: CliIo
): Promise<ExitCode> => {
  const startedMs = Date.now();
  const settings = cliSettings(io.env, undefined);
  // the trigger's own parser: strict fields, and the continuation decoded and verified here
  const request = parseReportEvent({ report: args.input });
  const deadlineMs = args.maxSeconds === undefined ? undefined : startedMs + args.maxSeconds * 1000;
  const client = createSecretsManagerClient();
  try {
    const service = cliService(settings, client, { debug: args.common.debug }, io);
    const { report } = await service.report(request, {
      correlationId: `cli-${randomUUID()}`,
      remainingTimeMs: deadlineMs === undefined ? undefined : () => deadlineMs - Date.now(),
    });
    if (args.common.json) io.stdout.write(`${JSON.stringify({ report }, null, 2)}\n`);
    const resume = resumeCommand(reportWords(args), io.env);
    if (args.markdown) io.stdout.write(`${formatFleetReportMarkdown(report, resume).join('\n')}\n`);
    else if (!args.common.json)
      io.stdout.write(`${formatFleetReport(report, resume).join('\n')}\n`);
    return ExitCode.Ok;
  } finally {
    client.destroy();
  }
};

/** `diagnose`: the probable cause of the secret's failed rotation (read-only; exit code 0). */
const runDiagnoseCommand = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  const args = parseDiagnoseArgs(argv);
  applyEnvironment(args.common, io);
  const output = await diagnoseSecret(args.secretId);
  if (args.common.json) io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  else io.stdout.write(`${formatDiagnosis(output).join('\n')}\n`);
  return ExitCode.Ok;
};

/** Runs the CLI with `argv` (the arguments after the program name); resolves with the exit code. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  let debug = argv.includes('--debug');
  try {
    if (argv[0] === CliCommand.Diagnose && !argv.includes('--help') && !argv.includes('-h')) {
      return await runDiagnoseCommand(argv.slice(1), io);
    }
    const args = parseCliArgs(argv);
    if (args.command === CliCommand.Help) {
      io.stdout.write(`${USAGE}\n`);
      return ExitCode.Ok;
    }
    debug = args.common.debug;
    applyEnvironment(args.common, io);
    if (args.command === CliCommand.Status) return await runStatus(args.secretId, args.common, io);
    if (args.command === CliCommand.Sweep) return await runSweepCommand(args, io);
    if (args.command === CliCommand.Report) return await runReportCommand(args, io);
    return await runRemediate(args, io);
  } catch (error) {
    io.stderr.write(`rotation-remediator: ${describeCliError(error, io.env.AWS_PROFILE)}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) {
      io.stderr.write(`${error.stack}\n`);
    }
    return ExitCode.Error;
  }
};

/** The project directory of a bundle in `dist/`. */
export const projectDirOf = (bundleDir: string): string => resolve(bundleDir, '..');
