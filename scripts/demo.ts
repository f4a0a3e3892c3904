/**
 * `npm run demo`: the remediator's whole job on one machine, no AWS account needed.
 *
 * It starts the Secrets Manager emulator and dynalite on loopback, seeds secrets stuck in each
 * failed-rotation state (plus a clean one, one marked for deletion and a service-managed one), and
 * drives the BUILT `dist/handler.js` with the samples in `events/`. For each case it prints the
 * decision, the label map before → after and the audit trail, then checks the end state against
 * the case's expectation (`scripts/demo/check.ts`, unit-tested). Exit code 0 only when every end
 * state is right: the demo is also a smoke test of the bundle.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { RecordedEvent, SeededSecret } from '../emulator/secrets-manager/index.js';
import { formatDecision, formatEvidence, formatLabelTable } from '../src/cli/format.js';
import type { LabelMap, RemediationReport } from '../src/remediation/types.js';
import type { LocalEnvironment } from '../tools/local-env.js';
import { startLocalEnvironment } from '../tools/local-env.js';
import { LogCapture } from '../tools/log-capture.js';
import { substituteSecret } from '../tools/samples.js';
import { backToRotating } from './demo/back-to-rotating.js';
import type { DemoCase, Seed, Versions } from './demo/cases.js';
import { CASES, expectedEndState, SECRETS } from './demo/cases.js';
import { checkCase, ID_LENGTH, short, sortedLabels, summarize } from './demo/check.js';
import { runDecision } from './demo/decision.js';

const PROJECT_DIR = resolve(__dirname, '..');

type Handler = (event: unknown, context?: Context) => Promise<unknown>;

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** Ignores EPIPE (the reader closed the pipe); other stream errors still surface. */
const ignoreClosedPipe = (error: NodeJS.ErrnoException): void => {
  if (error.code !== 'EPIPE') throw error;
};

/** stderr as it is before the log capture of an invocation replaces `write`. */
const writeStderr = process.stderr.write.bind(process.stderr);

/** A Lambda context for one invocation. */
const contextFor = (requestId: string): Context => {
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'rotation-remediator',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotation-remediator',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/rotation-remediator',
    logStreamName: 'demo',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

const seed = (local: LocalEnvironment, name: string, spec: Seed): Versions => {
  const { store } = local.emulator;
  let seeded: SeededSecret;
  if (spec.kind === 'clean') {
    seeded = store.seedCleanSecret({ name, rotationEnabled: true, pendingOnCurrent: true });
  } else if (spec.kind === 'managed') {
    seeded = store.seedFailedRotation({ name, step: 'setSecret', kind: 'managed' });
  } else if (spec.kind === 'in-flight') {
    seeded = store.seedFailedRotation({
      name,
      step: 'setSecret',
      pendingCreatedAt: new Date(),
      failureRecord: false,
    });
  } else {
    seeded = store.seedFailedRotation({
      name,
      step: spec.kind === 'failed' ? spec.step : 'setSecret',
    });
    if (spec.kind === 'deleted') store.markForDeletion(seeded.arn, 7);
  }
  return { ...seeded, pendingVersionId: seeded.pendingVersionId ?? seeded.currentVersionId };
};

/** One line for one audit record. */
const formatAuditRecord = (audit: Record<string, unknown>): string => {
  const event = String(audit.event);
  const parts: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '')
      parts.push(`${label}=${String(value)}`);
  };
  switch (event) {
    case 'remediation.requested':
      add('trigger', audit.trigger);
      add('correlationId', audit.correlationId);
      add('requestedBy', audit.requestedBy);
      add('failedStep', audit.failedStep);
      add('pendingAction', audit.pendingAction);
      if (audit.dryRun === true) parts.push('dryRun');
      break;
    case 'remediation.planned': {
      const decision = (audit.decision ?? {}) as Record<string, unknown>;
      add('rule', audit.rule);
      add('resolved', decision.resolved);
      add('actions', Array.isArray(audit.actions) ? audit.actions.length : undefined);
      if (audit.attempt !== 0) add('attempt', audit.attempt);
      break;
    }
    case 'remediation.step-looked-up':
      add('outcome', audit.outcome);
      add('failedStep', audit.failedStep);
      add('eventTime', audit.eventTime);
      add('error', audit.errorName);
      break;
    case 'secretsmanager.call':
      parts.push(String(audit.operation));
      add('stage', audit.versionStage);
      add('moveTo', audit.moveToVersionId === null ? null : short(audit.moveToVersionId));
      add(
        'removeFrom',
        audit.removeFromVersionId === null ? null : short(audit.removeFromVersionId)
      );
      add('outcome', audit.outcome);
      add('error', audit.errorName);
      add('requestId', audit.requestId === null ? null : short(audit.requestId));
      break;
    case 'remediation.verified':
      parts.push(audit.ok === true ? 'ok' : 'MISMATCH');
      break;
    case 'remediation.completed':
      add('status', audit.status);
      if (audit.replayed === true) parts.push('replayed');
      add('actions', audit.actions);
      break;
    default:
      add('reason', audit.reason);
      add('error', audit.errorName);
      add('message', audit.message);
  }
  return `${event.padEnd(22)} ${parts.join(' ')}`;
};

interface Observed {
  labels: LabelMap;
  rotationEnabled: boolean | null;
}

const observe = (local: LocalEnvironment, arn: string): Observed => ({
  labels: sortedLabels(local.emulator.store.labels(arn)),
  rotationEnabled: local.emulator.store.describe(arn).RotationEnabled ?? null,
});

/** What the handler returned, as a report (HTTP bodies parsed), or the error it threw. */
const toReport = (result: unknown): { report?: RemediationReport; note: string } => {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const http = result as { statusCode: number; body: string };
    const body: unknown = JSON.parse(http.body);
    return { report: body as RemediationReport, note: `HTTP ${http.statusCode}` };
  }
  if (typeof result === 'object' && result !== null && 'status' in result && 'decision' in result) {
    return { report: result as RemediationReport, note: '' };
  }
  return { note: `returned ${JSON.stringify(result)}` };
};

/** What one case did: the handler's report (or a note on what happened instead) and the state. */
interface CaseRun {
  report: RemediationReport | undefined;
  note: string;
  before: Observed;
  after: Observed;
  audit: Record<string, unknown>[];
  /** The events the case put on EventBridge (the emulator's). */
  events: RecordedEvent[];
}

/** Sends the case's sample, pointed at its secret, to the handler; observes before and after. */
const runCase = async (
  local: LocalEnvironment,
  handler: Handler,
  demoCase: DemoCase,
  index: number
): Promise<CaseRun> => {
  const secret = { name: demoCase.secret, arn: local.emulator.store.describe(demoCase.secret).ARN };
  const sample: unknown = JSON.parse(
    readFileSync(resolve(PROJECT_DIR, 'events', demoCase.sample), 'utf8')
  );
  const at = new Date(Date.now() - (demoCase.eventAgeHours ?? 0) * 3_600_000);
  const event = substituteSecret(sample, secret, at);
  const before = observe(local, secret.arn);
  const eventsBefore = local.eventBridge.events.length;
  const capture = new LogCapture().start();
  let result: unknown;
  let thrown: Error | undefined;
  try {
    result = await handler(event, contextFor(`demo-${String(index + 1).padStart(2, '0')}`));
  } catch (error) {
    thrown = error as Error;
  } finally {
    capture.stop();
  }
  const after = observe(local, secret.arn);
  const { report, note } =
    thrown === undefined ? toReport(result) : { note: `threw ${thrown.name}` };
  const events = local.eventBridge.events.slice(eventsBefore);
  return { report, note, before, after, audit: capture.auditRecords(), events };
};

/** The decision line's extra notes: the HTTP status, whether the report was replayed. */
const decisionExtras = (demoCase: DemoCase, report: RemediationReport, note: string): string[] => {
  const extra = [
    ...(note === '' ? [] : [note]),
    ...(report.replayed === true ? ['replayed (stored report)'] : []),
  ];
  if (demoCase.title.startsWith('Duplicate')) {
    extra.push(
      report.replayed === true
        ? 'a replay of the stored report'
        : 'not a replay: the first run left nothing stuck, so there was nothing to repeat'
    );
  }
  return extra;
};

/** Prints one case: event, decision, label table, audit trail and the check's verdict. */
const printCase = (
  demoCase: DemoCase,
  index: number,
  run: CaseRun,
  problems: readonly string[]
): void => {
  const { report, note, before, after } = run;
  out(`━━ ${index + 1}. ${demoCase.title}`);
  out(`   event     events/${demoCase.sample} → ${demoCase.secret}`);
  if (report !== undefined) {
    const extra = decisionExtras(demoCase, report, note);
    out(`   decision  ${formatDecision(report.status, report.decision, extra)}`);
    out(`   reason    ${report.reason}`);
    out(`   evidence  ${formatEvidence(report.decision.evidence)}`);
  } else {
    out(`   decision  ${note}`);
  }
  const table = formatLabelTable(
    { versionIdsToStages: before.labels, rotationEnabled: before.rotationEnabled },
    { versionIdsToStages: after.labels, rotationEnabled: after.rotationEnabled },
    { idLength: ID_LENGTH }
  );
  table.forEach((line, row) => {
    out(`   ${row === 0 ? 'labels' : '      '}    ${line}`);
  });
  run.audit.forEach((audit, row) => {
    out(`   ${row === 0 ? 'audit ' : '      '}    ${formatAuditRecord(audit)}`);
  });
  if (run.events.length === 0) {
    out(
      '   emitted   none (dry runs, replays, already-clean, deferred, stale and ignored events put none)'
    );
  }
  for (const event of run.events) {
    out(`   emitted   ${event.detailType} (source ${event.source}, bus ${event.eventBusName})`);
    out(`             summary: ${String(event.detail.summary)}`);
    out(`             next: ${String(event.detail.nextStep)}`);
  }
  out(
    problems.length === 0
      ? `   check     ok: ${demoCase.expected.status}, labels and rotation as expected`
      : `   check     WRONG END STATE: ${problems.join('; ')}`
  );
  out();
};

/** Runs the demo; resolves with the exit code ({@link summarize}: 1 when any check fails). */
const runDemo = async (local: LocalEnvironment, handler: Handler): Promise<number> => {
  const seeded = new Map<string, Versions>();
  for (const [name, spec] of Object.entries(SECRETS)) seeded.set(name, seed(local, name, spec));
  const results = [];
  for (const [index, demoCase] of CASES.entries()) {
    const versions = seeded.get(demoCase.secret);
    if (versions === undefined) throw new Error(`no seed for ${demoCase.secret}`);
    const run = await runCase(local, handler, demoCase, index);
    const problems = checkCase(expectedEndState(demoCase, versions), {
      status: run.report?.status ?? run.note,
      ...run.after,
    });
    printCase(demoCase, index, run, problems);
    // a Needs Decision case goes on: its event's promote command, run as given, must repair it
    const decision = await runDecision(local, run.events, versions, out);
    results.push({ title: demoCase.title, problems: [...problems, ...(decision?.problems ?? [])] });
  }
  const testSecretCase = CASES.find((c) => c.sample === 'rotation-failed-testSecret.json');
  if (testSecretCase !== undefined) {
    const arn = local.emulator.store.describe(testSecretCase.secret).ARN ?? '';
    const problems = await backToRotating(
      {
        invoke: async (event, requestId) => {
          // the audit records go to the log, not between the demo's lines
          const capture = new LogCapture().start();
          try {
            return await handler(event, contextFor(requestId));
          } finally {
            capture.stop();
          }
        },
        out,
      },
      { name: testSecretCase.secret, arn }
    );
    results.push({ title: 'Back to rotating', problems });
  }
  const { lines: summary, exitCode } = summarize(results);
  for (const line of summary) out(line);
  return exitCode;
};

/** Starts the local environment, loads the bundle against it, runs the cases and stops. */
const main = async (): Promise<number> => {
  const started = Date.now();
  let local: LocalEnvironment | undefined;
  // Ctrl-C (or a CI timeout's SIGTERM) at any point: stop the emulators, then exit
  const stopAndExit = (signal: NodeJS.Signals) => {
    writeStderr(`\n${signal}: stopping the emulators\n`);
    void (local?.stop() ?? Promise.resolve()).finally(() =>
      process.exit(signal === 'SIGINT' ? 130 : 143)
    );
  };
  process.once('SIGINT', stopAndExit);
  process.once('SIGTERM', stopAndExit);
  // a reader that goes away (`npm run demo | head`) does not stop the run half-way
  process.stdout.on('error', ignoreClosedPipe);
  // the SDK's notice that its 2027 releases need Node >= 22 (the Lambda runs Node 24)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  out(
    'rotation-remediator demo: the built dist/handler.js against a local Secrets Manager and DynamoDB'
  );
  local = await startLocalEnvironment({ tableName: 'rr-demo-idempotency' });
  try {
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    Object.assign(process.env, local.env(), {
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    out(
      `Secrets Manager emulator ${local.secretsManager}, dynalite ${local.dynamoDb}, table ${local.tableName}`
    );
    out();
    const { handler } = require(resolve(__dirname, 'handler.js')) as { handler: Handler };
    const code = await runDemo(local, handler);
    out(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return code;
  } finally {
    await local.stop();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
);
