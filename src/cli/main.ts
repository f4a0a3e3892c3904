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
import type { Context } from 'aws-lambda';
import { SERVICE_NAME } from '../audit/logger.js';
import { redactingReplacer } from '../audit/redact.js';
import { createSecretsManagerClient } from '../clients.js';
import { loadConfig, loadSweepConfig } from '../config.js';
import type { ApplyOnceFactory } from '../idempotency/apply-once.js';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from '../idempotency/settings.js';
import { readSecretState, toSnapshot } from '../remediation/read-state.js';
import type { RemediationDependencies } from '../remediation/remediate.js';
import { remediate } from '../remediation/remediate.js';
import type { RemediationReport, RemediationStatus, SecretState } from '../remediation/types.js';
import { RemediationStatus as Status, TriggerName } from '../remediation/types.js';
import { decodeContinuation } from '../sweep/continuation.js';
import type { SweepDependencies } from '../sweep/sweep.js';
import { runSweep } from '../sweep/sweep.js';
import type { SweepCounts, SweepReport, SweepRequest } from '../sweep/types.js';
import {
  commandSchema,
  commandToRequest,
  parseOrThrow,
  secretIdSchema,
} from '../triggers/command-schema.js';
import { parseSweepEvent } from '../triggers/sweep.js';
import type { CommonOptions, ParsedArgs } from './args.js';
import { CliCommand, FLAG_OF_FIELD, parseCliArgs, USAGE, UsageError } from './args.js';
import {
  formatCall,
  formatPlan,
  formatReport,
  formatState,
  formatSweepReport,
  formatSweepStart,
} from './format.js';
import { localStateEnv, localStatePath, readLocalState } from './local-state.js';

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
  status === Status.Refused || status === Status.NeedsDecision
    ? ExitCode.NeedsAttention
    : ExitCode.Ok;

/** The exit code of a sweep: any failed secret is an error, then refused or needs-decision. */
export const exitCodeOfSweep = (
  counts: Pick<SweepCounts, 'failed' | 'refused' | 'needsDecision'>
): ExitCode => {
  if (counts.failed > 0) return ExitCode.Error;
  return counts.refused + counts.needsDecision > 0 ? ExitCode.NeedsAttention : ExitCode.Ok;
};

/**
 * Names the CLI flag instead of the command field in validation messages (the sweep trigger's
 * messages name the field under `sweep.`).
 */
const withFlagNames = (message: string): string =>
  message.replace(
    /\b(?:sweep\.)?(secretId|dryRun|pendingAction|expectedPendingVersionId|reason|continuation):/g,
    (_match, field: keyof typeof FLAG_OF_FIELD) => `${FLAG_OF_FIELD[field]}:`
  );

/** One line for an error: its name, message and (for wrapped AWS errors) the cause's. */
export const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return 'Error: the command failed.';
  const cause =
    error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
  const name = error instanceof UsageError ? 'Usage' : error.name;
  return `${name}: ${withFlagNames(error.message)}${cause}`.replace(/\s*\n\s*/g, ' ');
};

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

/** A stand-in for the Lambda context, so the in-progress lock expires with the CLI's deadline. */
const cliContext = (requestId: string): Context => {
  const deadline = Date.now() + CLI_LOCK_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'rotation-remediator-cli',
    functionVersion: 'cli',
    invokedFunctionArn: 'cli',
    memoryLimitInMB: '0',
    awsRequestId: requestId,
    logGroupName: 'cli',
    logStreamName: 'cli',
    getRemainingTimeInMillis: () => Math.max(1, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

/** Checks `--idempotency-table` before anything is called. */
const checkTableName = (tableName: string | undefined): void => {
  if (tableName !== undefined && !TABLE_NAME_PATTERN.test(tableName)) {
    throw new UsageError(
      '--idempotency-table must be a DynamoDB table name (3-255 letters, digits, _ - .).'
    );
  }
};

/** The idempotency wrapper on the given table, as the Lambda uses it; said so on stderr. */
const createCliApplyOnce = async (tableName: string, io: CliIo): Promise<ApplyOnceFactory> => {
  const { createDefaultApplyOnce } = await import('../idempotency/index.js');
  const factory = createDefaultApplyOnce({
    tableName,
    expiresAfterSeconds: DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  });
  io.stderr.write(
    `Idempotency on: DynamoDB table ${tableName}. A failure already remediated there is not acted on again; its stored report comes back marked replayed. Dry runs are not recorded.\n`
  );
  return factory;
};

/** A Powertools logger that writes its records as JSON lines to the CLI's stderr. */
class StderrLogger extends Logger {
  /**
   * Where records go. Set after `super()`: a record Powertools prints while it initialises (a
   * warning about its settings) finds it unset and goes to the process's stderr.
   */
  private readonly out?: CliIo['stderr'];

  public constructor(out: CliIo['stderr']) {
    super({ serviceName: SERVICE_NAME, logLevel: 'INFO', jsonReplacerFn: redactingReplacer });
    this.out = out;
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    (this.out ?? process.stderr).write(
      `${JSON.stringify(log.getAttributes(), this.getJsonReplacer())}\n`
    );
  }
}

/**
 * The sweep's logger: with `--debug`, its audit records (and each remediation's) as JSON lines on
 * stderr, redacted as the Lambda's are; otherwise silent.
 */
const sweepLogger = (debug: boolean, io: CliIo): Logger =>
  debug
    ? new StderrLogger(io.stderr)
    : new Logger({ serviceName: SERVICE_NAME, logLevel: 'SILENT' });

/**
 * Adds a later run's report to the earlier one's (the CLI following a continuation): counters
 * summed, except the candidates carried over (counted again by the later run) and `remaining`,
 * which is what the later run left.
 */
export const mergeSweepReports = (earlier: SweepReport, later: SweepReport): SweepReport => {
  const sum = (key: keyof SweepCounts): number => earlier[key] + later[key];
  return {
    ...later,
    candidates: sum('candidates') - earlier.remaining,
    stuck: sum('stuck'),
    running: sum('running'),
    cleared: sum('cleared'),
    skipped: sum('skipped'),
    remediated: sum('remediated'),
    alreadyClean: sum('alreadyClean'),
    planned: sum('planned'),
    needsDecision: sum('needsDecision'),
    refused: sum('refused'),
    inProgress: sum('inProgress'),
    failed: sum('failed'),
    remaining: later.remaining,
    throttled: sum('throttled'),
    durationMs: earlier.durationMs + later.durationMs,
    results: [...earlier.results, ...later.results].sort((a, b) =>
      a.secretArn < b.secretArn ? -1 : a.secretArn > b.secretArn ? 1 : 0
    ),
  };
};

/** What `status --json` prints: the report's snapshot plus what makes the planner refuse. */
export const stateJson = (state: SecretState) => ({
  secret: { arn: state.arn, name: state.name },
  ...toSnapshot(state),
  deletedDate: state.deletedDate ?? null,
  owningService: state.owningService ?? null,
  primaryRegion: state.primaryRegion ?? null,
});

/** Who runs the CLI, for the request (the OS user; some containers have none). */
const operator = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

const runStatus = async (secretIdInput: string | undefined, common: CommonOptions, io: CliIo) => {
  const secretId = parseOrThrow(secretIdSchema, secretIdInput, 'secretId');
  const client = createSecretsManagerClient();
  try {
    const state = await readSecretState(client, secretId);
    if (common.json) {
      io.stdout.write(`${JSON.stringify(stateJson(state), null, 2)}\n`);
    } else {
      io.stdout.write(`${formatState(state).join('\n')}\n`);
    }
    return ExitCode.Ok;
  } finally {
    client.destroy();
  }
};

const runRemediate = async (
  args: Extract<ParsedArgs, { command: typeof CliCommand.Remediate }>,
  io: CliIo
): Promise<ExitCode> => {
  const config = loadConfig(io.env);
  const command = parseOrThrow(commandSchema, args.input);
  const tableName = args.idempotencyTable;
  checkTableName(tableName);
  const correlationId = `cli-${randomUUID()}`;
  const request = commandToRequest(command, {
    trigger: TriggerName.Cli,
    defaultPendingAction: config.defaultPendingAction,
    correlationId,
    requestedBy: operator(),
  });
  const client = createSecretsManagerClient();
  try {
    const deps: RemediationDependencies = {
      secretsManager: client,
      ...(config.requiredTag === undefined ? {} : { requiredTag: config.requiredTag }),
    };
    if (tableName !== undefined) {
      deps.applyOnce = (await createCliApplyOnce(tableName, io))(cliContext(correlationId));
    }
    let planReason: string | undefined;
    let callsShown = false;
    if (!args.common.json) {
      deps.observer = {
        planned: (plan, attempt) => {
          planReason = plan.reason;
          io.stdout.write(`${formatPlan(plan, attempt).join('\n')}\n`);
        },
        call: (record) => {
          callsShown = true;
          io.stdout.write(`${formatCall(record)}\n`);
        },
      };
    }
    const report: RemediationReport = await remediate(deps, request);
    io.stdout.write(
      args.common.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : `\n${formatReport(report, { planReason, callsShown: callsShown || report.dryRun }).join('\n')}\n`
    );
    return exitCodeOf(report.status);
  } finally {
    client.destroy();
  }
};

/**
 * `sweep`: the Lambda's sweep (`runSweep`) with the operator's credentials and the environment's
 * `REQUIRED_TAG`, `DEFAULT_PENDING_ACTION` and `SWEEP_*` settings. Without `--max-seconds` there is
 * no deadline and the CLI follows any continuation itself until the sweep is complete; with it,
 * the sweep stops starting work before the deadline and the continuation is printed.
 */
const runSweepCommand = async (
  args: Extract<ParsedArgs, { command: typeof CliCommand.Sweep }>,
  io: CliIo
): Promise<ExitCode> => {
  const startedMs = Date.now();
  const config = loadConfig(io.env);
  const sweepConfig = loadSweepConfig(io.env);
  // the trigger's own parser: strict fields, and the continuation decoded and verified here
  const request: SweepRequest = parseSweepEvent({ sweep: args.input });
  const tableName = args.idempotencyTable;
  checkTableName(tableName);
  const correlationId = `cli-${randomUUID()}`;
  const deadlineMs = args.maxSeconds === undefined ? undefined : startedMs + args.maxSeconds * 1000;
  const client = createSecretsManagerClient();
  try {
    const deps: SweepDependencies = {
      secretsManager: client,
      config,
      sweepConfig,
      logger: sweepLogger(args.common.debug, io),
    };
    if (tableName !== undefined) {
      const factory = await createCliApplyOnce(tableName, io);
      // a lock per remediation, expiring CLI_LOCK_MS after that remediation starts
      deps.applyOnce = (decision, run) => factory(cliContext(correlationId))(decision, run);
    }
    if (!args.common.json) {
      const dryRun = request.dryRun ?? request.continuation?.dryRun ?? false;
      io.stdout.write(
        `${formatSweepStart(dryRun, sweepConfig, args.maxSeconds === undefined ? {} : { maxSeconds: args.maxSeconds })}\n`
      );
    }
    let report = (
      await runSweep(deps, {
        request,
        correlationId,
        ...(deadlineMs === undefined ? {} : { remainingTimeMs: () => deadlineMs - Date.now() }),
      })
    ).sweep;
    // No deadline: runSweep finishes in one run; should it ever hand on, follow it to the end.
    while (deadlineMs === undefined && report.continuation !== undefined) {
      const resumed: SweepRequest = {
        continuation: decodeContinuation(report.continuation),
        ...(request.reason === undefined ? {} : { reason: request.reason }),
      };
      report = mergeSweepReports(
        report,
        (await runSweep(deps, { request: resumed, correlationId })).sweep
      );
    }
    io.stdout.write(
      args.common.json
        ? `${JSON.stringify({ sweep: report }, null, 2)}\n`
        : `\n${formatSweepReport(report).join('\n')}\n`
    );
    return exitCodeOfSweep(report);
  } finally {
    client.destroy();
  }
};

/** Runs the CLI with `argv` (the arguments after the program name); resolves with the exit code. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  let debug = argv.includes('--debug');
  try {
    const args = parseCliArgs(argv);
    if (args.command === CliCommand.Help) {
      io.stdout.write(`${USAGE}\n`);
      return ExitCode.Ok;
    }
    debug = args.common.debug;
    applyEnvironment(args.common, io);
    if (args.command === CliCommand.Status) return await runStatus(args.secretId, args.common, io);
    if (args.command === CliCommand.Sweep) return await runSweepCommand(args, io);
    return await runRemediate(args, io);
  } catch (error) {
    io.stderr.write(`rotation-remediator: ${describeError(error)}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) {
      io.stderr.write(`${error.stack}\n`);
    }
    return ExitCode.Error;
  }
};

/** The project directory of a bundle in `dist/`. */
export const projectDirOf = (bundleDir: string): string => resolve(bundleDir, '..');
