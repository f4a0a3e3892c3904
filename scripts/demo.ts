/**
 * `npm run demo`: the remediator's whole job on one machine, no AWS account needed.
 *
 * It starts the Secrets Manager emulator and dynalite on loopback, seeds secrets stuck in each
 * failed-rotation state (plus a clean one, one marked for deletion and a service-managed one), and
 * drives the BUILT `dist/handler.js` with the samples in `events/`. For each case it prints the
 * decision, the label map before → after and the audit trail, then checks the end state against
 * the case's expectation. Exit code 0 only when every end state is right: the demo is also a smoke
 * test of the bundle.
 *
 * `DEMO_SABOTAGE=1` flips one expectation (the finishSecret case expects a discard): the demo must
 * then exit 1. Only the demo's own test uses it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { SeededSecret } from '../emulator/secrets-manager/index.js';
import { formatDecision, formatLabelTable } from '../src/cli/format.js';
import type { LabelMap, RemediationReport } from '../src/remediation/types.js';
import { LogCapture } from '../test/helpers/log-capture.js';
import { substituteSecret } from '../test/helpers/samples.js';
import type { LocalEnvironment } from '../tools/local-env.js';
import { startLocalEnvironment } from '../tools/local-env.js';

/** Set to `1` to make one expectation wrong, so that the demo must fail. */
const SABOTAGE_ENV = 'DEMO_SABOTAGE';

const PROJECT_DIR = resolve(__dirname, '..');
const ID_LENGTH = 8;

/** The roles of a seeded secret's versions. */
type Versions = Pick<SeededSecret, 'previousVersionId' | 'currentVersionId'> & {
  pendingVersionId: string;
};

/** End states, by the roles of the seeded versions. */
const EndState = {
  /** AWSPENDING removed from the pending version, which drops out of the map. */
  discarded: (v: Versions): LabelMap => ({
    [v.previousVersionId]: ['AWSPREVIOUS'],
    [v.currentVersionId]: ['AWSCURRENT'],
  }),
  /** The pending version became AWSCURRENT; the old current AWSPREVIOUS. */
  promoted: (v: Versions): LabelMap => ({
    [v.currentVersionId]: ['AWSPREVIOUS'],
    [v.pendingVersionId]: ['AWSCURRENT'],
  }),
  /** Labels untouched (AWSPENDING still on its own version). */
  stuck: (v: Versions): LabelMap => ({
    [v.previousVersionId]: ['AWSPREVIOUS'],
    [v.currentVersionId]: ['AWSCURRENT'],
    [v.pendingVersionId]: ['AWSPENDING'],
  }),
  /** A healthy secret with AWSPENDING on the AWSCURRENT version (legal). */
  pendingOnCurrent: (v: Versions): LabelMap => ({
    [v.previousVersionId]: ['AWSPREVIOUS'],
    [v.currentVersionId]: ['AWSCURRENT', 'AWSPENDING'],
  }),
} as const;

/** How a secret is seeded. */
type Seed =
  | { kind: 'failed'; step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret' }
  | { kind: 'managed' }
  | { kind: 'deleted' }
  | { kind: 'clean' };

/** One case of the demo: an event from `events/` sent to the bundle, and the end state expected. */
interface DemoCase {
  title: string;
  /** Secret name (seeded once; several cases may share it). */
  secret: string;
  sample: string;
  expected: {
    status: string;
    labels: keyof typeof EndState;
    rotationEnabled: boolean;
  };
}

/** The secrets the demo seeds. */
const SECRETS: Record<string, Seed> = {
  'rr-demo/orders-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/billing-db': { kind: 'failed', step: 'createSecret' },
  'rr-demo/app-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/reporting-db': { kind: 'failed', step: 'testSecret' },
  'rr-demo/payments-db': { kind: 'failed', step: 'finishSecret' },
  'rr-demo/search-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/cache-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/clean-db': { kind: 'clean' },
  'rr-demo/retired-db': { kind: 'deleted' },
  'rds!db-demo': { kind: 'managed' },
};

/** The cases, in order. */
const CASES: readonly DemoCase[] = [
  {
    title: 'CloudWatch alarm (EventBridge, SecretId dimension)',
    secret: 'rr-demo/orders-db',
    sample: 'alarm-eventbridge-secretid-dimension.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at createSecret',
    secret: 'rr-demo/billing-db',
    sample: 'rotation-failed-createSecret.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at setSecret',
    secret: 'rr-demo/app-db',
    sample: 'rotation-failed-setSecret.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at testSecret',
    secret: 'rr-demo/reporting-db',
    sample: 'rotation-failed-testSecret.json',
    expected: { status: 'needs-decision', labels: 'stuck', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at finishSecret',
    secret: 'rr-demo/payments-db',
    sample: 'rotation-failed-finishSecret.json',
    expected: { status: 'remediated', labels: 'promoted', rotationEnabled: false },
  },
  {
    title: 'HTTP call (API Gateway HTTP API, IAM caller)',
    secret: 'rr-demo/search-db',
    sample: 'http-api-v2-post.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'Direct command, dry run',
    secret: 'rr-demo/cache-db',
    sample: 'direct-dry-run.json',
    expected: { status: 'planned', labels: 'stuck', rotationEnabled: true },
  },
  {
    title: 'Direct command, the real run',
    secret: 'rr-demo/cache-db',
    sample: 'direct.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'Duplicate: the setSecret RotationFailed event again (at-least-once delivery)',
    secret: 'rr-demo/app-db',
    sample: 'rotation-failed-setSecret.json',
    expected: { status: 'already-clean', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'A clean secret (AWSPENDING on AWSCURRENT after a good rotation)',
    secret: 'rr-demo/clean-db',
    sample: 'direct.json',
    expected: { status: 'already-clean', labels: 'pendingOnCurrent', rotationEnabled: true },
  },
  {
    title: 'A secret marked for deletion',
    secret: 'rr-demo/retired-db',
    sample: 'direct.json',
    expected: { status: 'refused', labels: 'stuck', rotationEnabled: true },
  },
  {
    title: 'A secret managed by a service (rds!)',
    secret: 'rds!db-demo',
    sample: 'direct.json',
    expected: { status: 'refused', labels: 'stuck', rotationEnabled: true },
  },
];

/** The case whose expectation `DEMO_SABOTAGE=1` makes wrong. */
const SABOTAGED_CASE = 'RotationFailed at finishSecret';

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
  } else {
    seeded = store.seedFailedRotation({
      name,
      step: spec.kind === 'failed' ? spec.step : 'setSecret',
    });
    if (spec.kind === 'deleted') store.markForDeletion(seeded.arn, 7);
  }
  return { ...seeded, pendingVersionId: seeded.pendingVersionId ?? seeded.currentVersionId };
};

const short = (id: unknown): string =>
  typeof id === 'string' && /^[A-Za-z0-9-]{32,64}$/.test(id) ? id.slice(0, ID_LENGTH) : String(id);

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

const sortedLabels = (labels: LabelMap): LabelMap =>
  Object.fromEntries(
    Object.entries(labels)
      .filter(([, stages]) => stages.length > 0)
      .map(([id, stages]) => [id, [...stages].sort()] as const)
      .sort(([a], [b]) => a.localeCompare(b))
  );

/** A label map in one line, with short version ids. */
const labelsLine = (labels: LabelMap): string =>
  Object.entries(labels)
    .map(([id, stages]) => `${short(id)}:${stages.join('+')}`)
    .join(' ');

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

/** Runs the demo; resolves with the exit code. */
const runDemo = async (local: LocalEnvironment, handler: Handler): Promise<number> => {
  const sabotage = process.env[SABOTAGE_ENV] === '1';
  const seeded = new Map<string, Versions>();
  for (const [name, spec] of Object.entries(SECRETS)) seeded.set(name, seed(local, name, spec));
  const failures: string[] = [];
  const capture = new LogCapture();

  for (const [index, demoCase] of CASES.entries()) {
    const versions = seeded.get(demoCase.secret);
    if (versions === undefined) throw new Error(`no seed for ${demoCase.secret}`);
    const secret = {
      name: demoCase.secret,
      arn: local.emulator.store.describe(demoCase.secret).ARN,
    };
    const sample: unknown = JSON.parse(
      readFileSync(resolve(PROJECT_DIR, 'events', demoCase.sample), 'utf8')
    );
    const event = substituteSecret(sample, secret);
    const before = observe(local, secret.arn);

    capture.reset();
    capture.start();
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

    const expectedLabels = sortedLabels(
      (sabotage && demoCase.title === SABOTAGED_CASE
        ? EndState.discarded
        : EndState[demoCase.expected.labels])(versions)
    );
    const problems: string[] = [];
    if (report?.status !== demoCase.expected.status) {
      problems.push(`status ${report?.status ?? note}, expected ${demoCase.expected.status}`);
    }
    if (JSON.stringify(after.labels) !== JSON.stringify(expectedLabels)) {
      problems.push(`labels ${labelsLine(after.labels)}, expected ${labelsLine(expectedLabels)}`);
    }
    if (after.rotationEnabled !== demoCase.expected.rotationEnabled) {
      problems.push(
        `rotation ${String(after.rotationEnabled)}, expected ${String(demoCase.expected.rotationEnabled)}`
      );
    }

    out(`━━ ${index + 1}. ${demoCase.title}`);
    out(`   event     events/${demoCase.sample} → ${demoCase.secret}`);
    if (report !== undefined) {
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
      out(`   decision  ${formatDecision(report.status, report.decision, extra)}`);
      out(`   reason    ${report.reason}`);
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
    capture.auditRecords().forEach((audit, row) => {
      out(`   ${row === 0 ? 'audit ' : '      '}    ${formatAuditRecord(audit)}`);
    });
    if (problems.length === 0) {
      out(`   check     ok: ${demoCase.expected.status}, labels and rotation as expected`);
    } else {
      out(`   check     WRONG END STATE: ${problems.join('; ')}`);
      failures.push(`${index + 1}. ${demoCase.title}: ${problems.join('; ')}`);
    }
    out();
  }

  out(
    failures.length === 0
      ? `${CASES.length} cases: every end state as expected`
      : `${CASES.length} cases: ${failures.length} with a wrong end state`
  );
  for (const failure of failures) out(`FAILED ${failure}`);
  return failures.length === 0 ? 0 : 1;
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
