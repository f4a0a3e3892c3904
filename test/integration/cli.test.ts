/**
 * The operator CLI against Secrets Manager (the emulator, or AWS_ENDPOINT_URL_SECRETS_MANAGER) and
 * DynamoDB (dynalite, or AWS_ENDPOINT_URL_DYNAMODB), with the endpoints and dummy credentials in its
 * environment. What the CLI does runs in this process (`runCli`, test/helpers/cli.ts); the process
 * as operators run it, `node dist/cli.js ...` (the bin, its exit status and stdio), is spawned by
 * the tests marked so. Also `npm run local` (dist/local.js) together with `--local`.
 *
 * `sweep` acts on every secret of the account and region, so its tests always run against an
 * emulator of their own (quotas on), whatever AWS_ENDPOINT_URL_SECRETS_MANAGER says.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeleteSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type {
  SeededSecret as EmulatorSeededSecret,
  SecretsManagerEmulator,
} from '../../emulator/secrets-manager/index.js';
import { FaultKind, startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { cliArgsOf, shellWords } from '../../scripts/demo/decide.js';
import type { RemediationReport } from '../../src/remediation/types.js';
import { encodeContinuation } from '../../src/sweep/continuation.js';
import type { SweepReport, SweepResponse } from '../../src/sweep/types.js';
import type { ProcessResult } from '../../tools/process.js';
import { runProcess, waitForLine } from '../../tools/process.js';
import { MUTATING_OPERATIONS } from '../helpers/call-counter.js';
import { childAwsEnv } from '../helpers/child-env.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { DynamoDbTarget } from '../helpers/dynamodb-target.js';
import { startDynamoDbTarget } from '../helpers/dynamodb-target.js';
import { comparableLabels, readLabels } from '../helpers/labels.js';
import type { SecretsManagerTarget, SeededSecret } from '../helpers/secrets-manager-target.js';
import {
  describeEmulatorOnly,
  noteOwnEmulator,
  seedFailedRotation,
  seedStuckWithPublicCalls,
  startSecretsManagerTarget,
  uniqueName,
} from '../helpers/secrets-manager-target.js';

// Some tests spawn Node processes: allow for a loaded CI machine (jest's default is 5 s; the
// integration project's `testTimeout` is not applied per project).
jest.setTimeout(60_000);

const DIST = resolve(__dirname, '../../dist');
const CLI = join(DIST, 'cli.js');
const LOCAL = join(DIST, 'local.js');

let target: SecretsManagerTarget;
let dynamoDb: DynamoDbTarget;

beforeAll(async () => {
  if (!existsSync(CLI) || !existsSync(LOCAL)) {
    throw new Error('dist/cli.js or dist/local.js is missing: run `npm run build` first.');
  }
  target = await startSecretsManagerTarget();
  dynamoDb = await startDynamoDbTarget();
});

afterAll(async () => {
  await target?.stop();
  await dynamoDb?.stop();
});

/** The CLI's environment: the targets' endpoints and credentials, nothing of jest's. */
const cliEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
  childAwsEnv({ HOME: process.env.HOME, ...extra });

/** The CLI in this process (`runCli`), with the environment a child would get. */
const cli = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ProcessResult> =>
  runCliInProcess(args, env ?? cliEnv());

/** The CLI as operators run it: `node dist/cli.js`, a process of its own. */
const bin = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ProcessResult> =>
  runProcess(process.execPath, [CLI, ...args], { env: env ?? cliEnv() });

/** Parses the `--json` output: stdout must be one JSON document and nothing else. */
const reportOf = (result: ProcessResult): RemediationReport =>
  JSON.parse(result.stdout) as RemediationReport;

const labelsOf = (secretId: string) => readLabels(target.client, secretId);

const stuckLabels = (s: SeededSecret) => ({
  [s.previousVersionId]: ['AWSPREVIOUS'],
  [s.currentVersionId]: ['AWSCURRENT'],
  [s.pendingVersionId]: ['AWSPENDING'],
});

describe('remediate', () => {
  it('--dry-run prints the plan and the predicted labels, changes nothing, exits 0 (node dist/cli.js)', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(target, uniqueName('cli-dry'));

    // Act
    const result = await bin(['remediate', '--secret-id', seeded.name, '--dry-run']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'Plan: remediated · rule auto.unknown-step.discard · action auto → discard'
    );
    expect(result.stdout).toContain(
      `UpdateSecretVersionStage remove AWSPENDING from ${seeded.pendingVersionId}`
    );
    expect(result.stdout).toContain('Result:   planned · rule auto.unknown-step.discard');
    expect(result.stdout).toContain('dry run: nothing changed');
    expect(result.stdout).toMatch(new RegExp(`${seeded.pendingVersionId}\\s+AWSPENDING\\s+→\\s+-`));
    expect(await labelsOf(seeded.arn)).toEqual(stuckLabels(seeded));
  });

  it.each([
    {
      pending: 'discard',
      rule: 'requested.discard',
      end: (s: SeededSecret) => ({
        [s.previousVersionId]: ['AWSPREVIOUS'],
        [s.currentVersionId]: ['AWSCURRENT'],
      }),
    },
    {
      pending: 'promote',
      rule: 'requested.promote',
      end: (s: SeededSecret) => ({
        [s.currentVersionId]: ['AWSPREVIOUS'],
        [s.pendingVersionId]: ['AWSCURRENT'],
      }),
    },
  ] as const)(
    '--pending $pending --json: remediated, verified end state, exit 0',
    async ({ pending, rule, end }) => {
      // Prepare
      const seeded = await seedStuckWithPublicCalls(target, uniqueName(`cli-${pending}`));

      // Act
      const result = await cli([
        'remediate',
        '--secret-id',
        seeded.arn,
        '--pending',
        pending,
        // a person's decision, pinned to the version it is for
        '--expected-pending-version',
        seeded.pendingVersionId,
        '--reason',
        'INC-1234 rotation stuck',
        '--json',
      ]);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const report = reportOf(result);
      expect(report).toMatchObject({
        status: 'remediated',
        dryRun: false,
        secret: { arn: seeded.arn, name: seeded.name },
        decision: { requested: pending, resolved: pending, rule },
      });
      expect(comparableLabels(report.after.versionIdsToStages)).toEqual(end(seeded));
      expect(await labelsOf(seeded.arn)).toEqual(end(seeded));
    }
  );

  it('without --json prints the plan, each call as it is made, and the labels before → after', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(target, uniqueName('cli-text'));

    // Act
    const result = await cli([
      'remediate',
      '--secret-id',
      seeded.name,
      '--pending',
      'promote',
      '--expected-pending-version',
      seeded.pendingVersionId,
    ]);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Plan: remediated · rule requested.promote · action promote → promote');
    const done = `  done  UpdateSecretVersionStage move AWSCURRENT to ${seeded.pendingVersionId} from ${seeded.currentVersionId}`;
    expect(lines.filter((line) => line.startsWith(done))).toHaveLength(1);
    expect(result.stdout).toContain('Result:   remediated · rule requested.promote');
    expect(result.stdout).toMatch(
      new RegExp(`${seeded.currentVersionId}\\s+AWSCURRENT\\s+→\\s+AWSPREVIOUS`)
    );
    expect(result.stdout).toMatch(
      new RegExp(`${seeded.pendingVersionId}\\s+AWSPENDING\\s+→\\s+AWSCURRENT`)
    );
  });

  it.each([
    {
      name: 'the expected pending version does not match',
      args: ['--expected-pending-version', '0123456789abcdef0123456789abcdef'],
      prepare: async (_s: SeededSecret) => {},
      rule: 'refuse.pending-version-mismatch',
    },
    {
      name: 'the secret is marked for deletion',
      args: [],
      prepare: async (s: SeededSecret) => {
        await target.client.send(
          new DeleteSecretCommand({ SecretId: s.arn, RecoveryWindowInDays: 7 })
        );
      },
      rule: 'refuse.marked-for-deletion',
    },
  ])(
    'refused when $name: exit 2 (node dist/cli.js too), nothing changed',
    async ({ args, prepare, rule }) => {
      // Prepare
      const seeded = await seedStuckWithPublicCalls(target, uniqueName('cli-refuse'));
      await prepare(seeded);

      // Act
      const json = await cli(['remediate', '--secret-id', seeded.arn, '--json', ...args]);
      const text = await bin(['remediate', '--secret-id', seeded.arn, ...args]);

      // Assess
      expect(json.code).toBe(2);
      expect(reportOf(json)).toMatchObject({ status: 'refused', decision: { rule }, actions: [] });
      expect(text.code).toBe(2);
      expect(text.stdout).toContain(`Result:   refused · rule ${rule}`);
      expect(await labelsOf(seeded.arn)).toEqual(stuckLabels(seeded));
    }
  );
});

describe('remediate, failed rotations (rotation enabled)', () => {
  it('a service-managed secret whose service allows the cancel: needs-decision, exit 2', async () => {
    // Prepare
    const seeded = await seedFailedRotation(target, {
      name: `rds!cli-${uniqueName('m').split('/')[1]}`,
      step: 'setSecret',
      managed: true,
    });
    const before = await labelsOf(seeded.arn);

    // Act
    const result = await cli(['remediate', '--secret-id', seeded.name, '--json']);

    // Assess
    expect(result.code).toBe(2);
    expect(reportOf(result)).toMatchObject({
      status: 'needs-decision',
      decision: { rule: 'managed.cancel-only' },
    });
    expect(await labelsOf(seeded.arn)).toEqual(before);
    expect(before).toEqual(stuckLabels(seeded));
  });

  it('a failed rotation at finishSecret with no record of the step: auto discards, rotation off', async () => {
    // Prepare
    const seeded = await seedFailedRotation(target, {
      name: uniqueName('cli-finish'),
      step: 'finishSecret',
      failureRecord: false,
    });

    // Act
    const result = await cli(['remediate', '--secret-id', seeded.name, '--json']);

    // Assess
    expect(result.code).toBe(0);
    const report = reportOf(result);
    expect(report).toMatchObject({
      status: 'remediated',
      decision: { rule: 'auto.unknown-step.discard' },
    });
    expect(report.actions.map((action) => action.operation)).toEqual([
      'CancelRotateSecret',
      'UpdateSecretVersionStage',
    ]);
    const described = await target.client.send(new DescribeSecretCommand({ SecretId: seeded.arn }));
    expect(described.RotationEnabled).toBe(false);
  });
});

describe('decide', () => {
  /** A rotation that failed at testSecret: the planner holds it (needs-decision). */
  const held = async (prefix: string) => {
    const seeded = await seedFailedRotation(target, {
      name: uniqueName(prefix),
      step: 'testSecret',
    });
    const answer = await cli(['remediate', '--secret-id', seeded.name]);
    return { seeded, answer };
  };
  /** The printed line that starts with `npx rotation-remediator decide` and ends with `--<choice>...`. */
  const printedLine = (stdout: string, choice: 'promote' | 'discard'): string => {
    const line = stdout
      .split('\n')
      .map((text) => text.trim())
      .find(
        (text) => text.startsWith('npx rotation-remediator decide') && text.includes(`--${choice} `)
      );
    if (line === undefined) throw new Error(`no decide --${choice} line in:\n${stdout}`);
    return line;
  };

  it('a needs-decision answer prints both pinned decide lines and the HTTP bodies, exit 2', async () => {
    // Act
    const { seeded, answer } = await held('cli-held');

    // Assess
    expect(answer.code).toBe(2);
    expect(answer.stdout).toContain('Result:   needs-decision · rule auto.testSecret.hold');
    for (const choice of ['promote', 'discard'] as const) {
      expect(cliArgsOf(printedLine(answer.stdout, choice)).slice(0, 6)).toEqual([
        'decide',
        '--secret-id',
        seeded.arn,
        '--expected-pending-version',
        seeded.pendingVersionId,
        `--${choice}`,
      ]);
      expect(answer.stdout).toContain(
        `HTTP body: ${JSON.stringify({ secretId: seeded.arn, pendingAction: choice, expectedPendingVersionId: seeded.pendingVersionId })}`
      );
    }
  });

  it.each([
    {
      choice: 'promote' as const,
      end: (s: SeededSecret) => ({
        [s.currentVersionId]: ['AWSPREVIOUS'],
        [s.pendingVersionId]: ['AWSCURRENT'],
      }),
    },
    {
      choice: 'discard' as const,
      end: (s: SeededSecret) => ({
        [s.previousVersionId]: ['AWSPREVIOUS'],
        [s.currentVersionId]: ['AWSCURRENT'],
      }),
    },
  ])(
    'the printed --$choice line, run as given, is a pinned human decision (requested.$choice)',
    async ({ choice, end }) => {
      // Prepare
      const { seeded, answer } = await held(`cli-decide-${choice}`);

      // Act
      const result = await cli([...cliArgsOf(printedLine(answer.stdout, choice)), '--json']);

      // Assess
      expect(result.code).toBe(0);
      expect(reportOf(result)).toMatchObject({
        status: 'remediated',
        decision: { rule: `requested.${choice}` },
      });
      expect(comparableLabels(await labelsOf(seeded.arn))).toEqual(comparableLabels(end(seeded)));
    }
  );

  it.each([
    { mode: 'text', args: [] },
    { mode: '--json', args: ['--json'] },
  ])(
    'a dry run of a would-be needs-decision exits 2 with the decide lines ($mode), nothing changed',
    async ({ args }) => {
      // Prepare
      const seeded = await seedFailedRotation(target, {
        name: uniqueName('cli-dry-held'),
        step: 'testSecret',
      });
      const before = await labelsOf(seeded.arn);

      // Act
      const result = await cli(['remediate', '--secret-id', seeded.name, '--dry-run', ...args]);

      // Assess
      expect(result.code).toBe(2);
      if (args.length === 0) {
        expect(result.stdout).toContain('Would end: needs-decision (exit 2)');
        expect(cliArgsOf(printedLine(result.stdout, 'discard'))).toContain(seeded.pendingVersionId);
      } else {
        expect(JSON.parse(result.stdout)).toMatchObject({
          status: 'planned',
          wouldBe: 'needs-decision',
          decide: { pendingVersionId: seeded.pendingVersionId },
        });
      }
      expect(await labelsOf(seeded.arn)).toEqual(before);
    }
  );

  it('refuses, exit 2, once AWSPENDING is on another version than the one decided on', async () => {
    // Prepare
    const { seeded } = await held('cli-decide-moved');
    const other = '0123456789abcdef0123456789abcdef';

    // Act
    const result = await cli([
      'decide',
      '--secret-id',
      seeded.arn,
      '--expected-pending-version',
      other,
      '--promote',
      '--reason',
      'INC-7',
      '--json',
    ]);

    // Assess
    expect(result.code).toBe(2);
    expect(reportOf(result)).toMatchObject({
      status: 'refused',
      decision: { rule: 'refuse.pending-version-mismatch' },
    });
  });

  it.each([
    {
      name: 'neither choice',
      args: ['--reason', 'r'],
      message: 'exactly one of --promote and --discard',
    },
    {
      name: 'both choices',
      args: ['--promote', '--discard', '--reason', 'r'],
      message: 'exactly one of --promote and --discard',
    },
    { name: 'no reason', args: ['--promote'], message: 'decide needs --reason' },
    {
      name: '--pending',
      args: ['--promote', '--reason', 'r', '--pending', 'discard'],
      message: '--pending is an option of remediate',
    },
  ])('bad input ($name): exit 1, one line on stderr', async ({ args, message }) => {
    // Act
    const result = await cli([
      'decide',
      '--secret-id',
      'any',
      '--expected-pending-version',
      '0123456789abcdef0123456789abcdef',
      ...args,
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describeEmulatorOnly(
  'remediate, a managing service that refuses the cancel',
  'injected service behaviour: moto lets every CancelRotateSecret through; the emulator makes the owning service refuse it',
  () => {
    it('a service-managed secret (cancel allowed: false): refused, exit 2', async () => {
      // Prepare
      const seeded = target.emulator?.store.seedFailedRotation({
        name: `rds!cli-${uniqueName('m').split('/')[1]}`,
        step: 'setSecret',
        kind: 'managed',
        managedAllowsCancel: false,
      });
      if (seeded === undefined) throw new Error('emulator only');
      const before = target.emulator?.store.labels(seeded.arn);

      // Act
      const result = await cli(['remediate', '--secret-id', seeded.name, '--json']);

      // Assess
      expect(result.code).toBe(2);
      expect(reportOf(result)).toMatchObject({
        status: 'refused',
        decision: { rule: 'refuse.cancel-refused' },
      });
      expect(target.emulator?.store.labels(seeded.arn)).toEqual(before);
    });
  }
);

describe('bad input: exit 1, one line on stderr, nothing changed', () => {
  let seeded: SeededSecret;

  beforeAll(async () => {
    seeded = await seedStuckWithPublicCalls(target, uniqueName('cli-bad'));
  });

  it.each([
    {
      name: 'an invalid secret id',
      args: ['remediate', '--secret-id', 'bad id <x>'],
      message: '--secret-id: must be a secret name',
    },
    { name: 'no secret id', args: ['remediate', '--dry-run'], message: '--secret-id: is required' },
    {
      name: 'an unknown pending action',
      args: ['remediate', '--secret-id', 'S', '--pending', 'maybe'],
      message: '--pending: must be one of auto, discard, promote',
    },
    {
      name: 'a malformed expected version',
      args: ['remediate', '--secret-id', 'S', '--expected-pending-version', 'v1'],
      message: '--expected-pending-version: must be a version id',
    },
    {
      name: 'a reason over 1024 characters',
      args: ['remediate', '--secret-id', 'S', '--reason', 'x'.repeat(1025)],
      message: '--reason: must be at most 1024 characters',
    },
    {
      name: 'an unknown option',
      args: ['remediate', '--secret-id', 'S', '--force'],
      message: "Unknown option '--force'",
    },
    {
      name: 'an option without its value',
      args: ['remediate', '--secret-id'],
      message: "Option '--secret-id <value>' argument missing",
    },
    {
      name: 'an unknown command (node dist/cli.js)',
      args: ['purge', '--secret-id', 'S'],
      message: 'Unknown command "purge": use remediate, decide, resume, status, sweep or report.',
      spawn: true,
    },
    {
      name: 'a remediate option on status',
      args: ['status', '--secret-id', 'S', '--pending', 'discard'],
      message: '--pending is an option of remediate',
    },
    {
      name: 'a bad idempotency table name',
      args: ['remediate', '--secret-id', 'S', '--idempotency-table', 'a b'],
      message: '--idempotency-table must be a DynamoDB table name',
    },
    {
      name: 'a bad region',
      args: ['status', '--secret-id', 'S', '--region', 'mars'],
      message: '--region must look like us-east-1',
    },
    {
      name: 'a secret that does not exist',
      args: ['remediate', '--secret-id', 'rr-test/no-such-secret-cli'],
      message: 'SecretNotFound: Secrets Manager has no secret with that id',
    },
  ])('$name', async ({ args, message, spawn: asProcess }) => {
    // Prepare
    const argv = args.map((arg) => (arg === 'S' ? seeded.name : arg));

    // Act
    const result = asProcess === true ? await bin(argv) : await cli(argv);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rotation-remediator: /);
    expect(lines[0]).toContain(message);
    expect(await labelsOf(seeded.arn)).toEqual(stuckLabels(seeded));
  });

  it('--debug adds the stack', async () => {
    // Act
    const result = await cli(['remediate', '--secret-id', 'bad id', '--debug']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').length).toBeGreaterThan(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('--help prints the usage and exits 0 (node dist/cli.js)', async () => {
    // Act
    const result = await bin(['--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('rotation-remediator remediate --secret-id');
    expect(result.stdout).not.toContain('one DescribeSecret');
    expect(result.stdout).toContain('read only, DescribeSecret, then for a stuck rotation');
    expect(result.stdout).toContain(
      'Exit codes: 0 remediated, already-clean, resumed, already-rotating or planned; 2 refused or\nneeds-decision (a dry run: what it would be); 1 error.'
    );
  });
});

describe('status', () => {
  it("prints the label map and rotation state (DescribeSecret), and looks the stuck rotation's step up", async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(target, uniqueName('cli-status'));
    target.emulator?.resetCalls();

    // Act
    const text = await cli(['status', '--secret-id', seeded.name]);
    const json = await cli(['status', '--secret-id', seeded.arn, '--json']);

    // Assess
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `AWSPENDING       on ${seeded.pendingVersionId}, not AWSCURRENT: a rotation is stuck`
    );
    expect(text.stdout).toMatch(new RegExp(`${seeded.currentVersionId}\\s+AWSCURRENT`));
    expect(json.code).toBe(0);
    const state = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(state).toMatchObject({
      secret: { arn: seeded.arn, name: seeded.name },
      deletedDate: null,
    });
    expect(comparableLabels(state.versionIdsToStages as Record<string, string[]>)).toEqual(
      stuckLabels(seeded)
    );
    // public calls leave no RotationFailed record: the step is unknown, and says why
    expect(text.stdout).toMatch(
      /^failed step +unknown \(CloudTrail history: (not-found|failed)\)$/m
    );
    expect(state.failedStep).toMatchObject({ step: null, source: 'unknown' });
    if (target.emulator !== undefined) {
      const status = ['DescribeSecret', 'ListSecretVersionIds', 'LookupEvents'];
      expect(target.emulator.calls.map((call) => call.operation)).toEqual([...status, ...status]);
      // and it says which calls it made
      expect(text.stdout).toContain(`calls (read only): ${status.join(', ')}`);
      expect(state.calls).toEqual(status);
    }
  });
});

describe('--idempotency-table', () => {
  it('says so on stderr and records the remediation in the DynamoDB table', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(target, uniqueName('cli-idem'));
    const recordsBefore = (await dynamoDb.items()).length;

    // Act
    const result = await cli([
      'remediate',
      '--secret-id',
      seeded.arn,
      '--pending',
      'discard',
      '--idempotency-table',
      dynamoDb.tableName,
      '--json',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `Idempotency on: DynamoDB table ${dynamoDb.tableName}. A failure already remediated there is not acted on again; its stored report comes back marked replayed. Dry runs are not recorded.\n`
    );
    expect(reportOf(result).status).toBe('remediated');
    const items = await dynamoDb.items();
    expect(items).toHaveLength(recordsBefore + 1);
    expect(JSON.stringify(items)).toContain('COMPLETED');
  });

  it('without it: no notice and no record', async () => {
    // Prepare
    const seeded = await seedStuckWithPublicCalls(target, uniqueName('cli-noidem'));
    const recordsBefore = (await dynamoDb.items()).length;

    // Act
    const result = await cli(['remediate', '--secret-id', seeded.arn, '--json']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(await dynamoDb.items()).toHaveLength(recordsBefore);
  });
});

describe('sweep', () => {
  noteOwnEmulator(
    'sweep (CLI)',
    'fault injection, request quotas and pending versions of a chosen age (sweep-endpoint.test.ts sweeps the external endpoint)'
  );
  let emulator: SecretsManagerEmulator;

  beforeAll(async () => {
    emulator = await startSecretsManagerEmulator({ quotas: true });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  beforeEach(() => {
    emulator.store.clear();
    emulator.faults.clear();
    emulator.resetCalls();
    // every test starts with full quota buckets: LookupEvents' 2/s would otherwise carry the
    // previous test's CLI process over into this one's throttling count
    emulator.setQuotas(true);
  });

  /** The CLI's environment, pointed at this block's emulator. */
  const sweepEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
    cliEnv({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.endpoint,
      AWS_REGION: emulator.region,
      // the default grace period: the world has a rotation still running
      ROTATION_GRACE_SECONDS: '3600',
      ...extra,
    });

  /** A sweep as a new process runs it: a CLI of its own, so the process-wide limiter starts full. */
  const sweepCli = (args: readonly string[], extra?: NodeJS.ProcessEnv) =>
    runCliInProcess(['sweep', ...args], sweepEnv(extra), { fresh: true });

  /** Parses `sweep --json`: stdout must be one JSON document, the Lambda's `{"sweep": {...}}`. */
  const sweepOf = (result: ProcessResult): SweepReport =>
    (JSON.parse(result.stdout) as SweepResponse).sweep;

  const HOUR_MS = 3_600_000;
  const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

  /**
   * Seeds the emulator's store directly: failed rotations whose pending version is 2 h old (stuck
   * under the default grace of 1 h), rotations whose pending version is 5 min old (running), and
   * healthy secrets.
   */
  const seedWorld = (spec: { stuck?: number; running?: number; clean?: number }) => {
    const now = Date.now();
    const times = (count = 0) => Array.from({ length: count }, (_, i) => i);
    const name = (kind: string, i: number) => `rr-sweep/${kind}-${String(i).padStart(2, '0')}`;
    return {
      stuck: times(spec.stuck).map((i) =>
        emulator.store.seedFailedRotation({
          failureRecord: false,
          name: name('stuck', i),
          step: STEPS[i % STEPS.length] ?? 'setSecret',
          pendingCreatedAt: new Date(now - 2 * HOUR_MS),
        })
      ),
      running: times(spec.running).map((i) =>
        emulator.store.seedFailedRotation({
          failureRecord: false,
          name: name('running', i),
          step: 'setSecret',
          pendingCreatedAt: new Date(now - 5 * 60_000),
        })
      ),
      clean: times(spec.clean).map((i) =>
        emulator.store.seedCleanSecret({ name: name('clean', i), rotationEnabled: true })
      ),
    };
  };

  const hasPending = (secret: EmulatorSeededSecret): boolean =>
    Object.values(emulator.store.labels(secret.arn)).flat().includes('AWSPENDING');

  const arnsOf = (secrets: readonly EmulatorSeededSecret[]): string[] =>
    secrets.map((secret) => secret.arn).sort();

  const mutatingCalls = () =>
    emulator.calls.filter((call) =>
      (MUTATING_OPERATIONS as readonly string[]).includes(call.operation)
    );

  /** The line of one secret in the text report. */
  const resultLine = (status: string, rule: string, secret: EmulatorSeededSecret) =>
    new RegExp(
      `^  ${status}\\s+${rule.replace('.', '\\.')}\\s+${secret.name}\\s+pending since \\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+${secret.arn.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}$`,
      'm'
    );

  /** A counter of the text report. */
  const counter = (stdout: string, label: string): number | undefined => {
    const match = new RegExp(`^  ${label}\\s+(\\d+)`, 'm').exec(stdout);
    return match === null ? undefined : Number(match[1]);
  };

  it('--dry-run finds the stuck secrets, plans each, changes nothing, exits 0', async () => {
    // Prepare
    const world = seedWorld({ stuck: 3, running: 1, clean: 2 });
    const labelsBefore = [...world.stuck, ...world.running].map((s) =>
      emulator.store.labels(s.arn)
    );

    // Act
    const result = await sweepCli(['--dry-run']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      'Sweep (dry run) · grace 3600 s · quota share 0.5 · concurrency 8 · no deadline'
    );
    expect(result.stdout).toContain('Result:   sweep complete · dry run: nothing changed');
    expect({
      candidates: counter(result.stdout, 'candidates'),
      stuck: counter(result.stdout, 'stuck'),
      running: counter(result.stdout, 'running'),
      planned: counter(result.stdout, 'planned'),
      remediated: counter(result.stdout, 'remediated'),
      remaining: counter(result.stdout, 'remaining'),
    }).toEqual({ candidates: 4, stuck: 3, running: 1, planned: 3, remediated: 0, remaining: 0 });
    expect(result.stdout).toContain('Secrets (3):');
    for (const secret of world.stuck) {
      expect(result.stdout).toMatch(resultLine('planned', 'auto.unknown-step.discard', secret));
    }
    expect(result.stdout).not.toContain(world.running[0]?.name);
    expect(result.stdout).not.toContain('--continuation');
    expect(mutatingCalls()).toEqual([]);
    expect([...world.stuck, ...world.running].map((s) => emulator.store.labels(s.arn))).toEqual(
      labelsBefore
    );
  });

  it('--dry-run tells the truth: secrets that would need a decision say so, exit 2', async () => {
    // Prepare: UNKNOWN_STEP_ACTION=hold (the default): no record names a step, so each is held
    const world = seedWorld({ stuck: 2, running: 0, clean: 1 });

    // Act
    const result = await sweepCli(['--dry-run'], { UNKNOWN_STEP_ACTION: 'hold' });

    // Assess
    expect(result.code).toBe(2);
    for (const secret of world.stuck) {
      expect(result.stdout).toMatch(
        new RegExp(
          `^  planned \\(would be needs-decision\\)\\s+auto\\.unknown-step\\.hold\\s+${secret.name}\\s`,
          'm'
        )
      );
    }
    expect(mutatingCalls()).toEqual([]);
  });

  it('remediates the stuck secrets, leaves the running rotation alone, exits 0', async () => {
    // Prepare
    const world = seedWorld({ stuck: 4, running: 1, clean: 2 });

    // Act
    const result = await sweepCli(['--reason', 'INC-4711 missed events']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe(
      'Sweep · grace 3600 s · quota share 0.5 · concurrency 8 · no deadline'
    );
    expect(result.stdout).toContain('Result:   sweep complete\n');
    expect({
      stuck: counter(result.stdout, 'stuck'),
      remediated: counter(result.stdout, 'remediated'),
      failed: counter(result.stdout, 'failed'),
    }).toEqual({ stuck: 4, remediated: 4, failed: 0 });
    for (const secret of world.stuck) {
      expect(result.stdout).toMatch(resultLine('remediated', 'auto.unknown-step.discard', secret));
      expect(emulator.store.labels(secret.arn)).toEqual({
        [secret.previousVersionId]: ['AWSPREVIOUS'],
        [secret.currentVersionId]: ['AWSCURRENT'],
      });
      expect(emulator.store.describe(secret.arn).RotationEnabled).toBe(false);
    }
    expect(world.running.filter(hasPending)).toEqual(world.running);
  });

  it('--json prints the Lambda’s sweep report and nothing else', async () => {
    // Prepare
    const world = seedWorld({ stuck: 2, running: 1, clean: 3 });

    // Act
    const result = await sweepCli(['--json']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const report = sweepOf(result);
    expect(report).toMatchObject({
      dryRun: false,
      candidates: 3,
      stuck: 2,
      running: 1,
      remediated: 2,
      needsDecision: 0,
      refused: 0,
      failed: 0,
      remaining: 0,
      throttled: 0,
      durationMs: expect.any(Number),
    });
    expect(report.continuation).toBeUndefined();
    expect(report.results).toEqual(
      arnsOf(world.stuck).map((secretArn) => ({
        secretArn,
        status: 'remediated',
        rule: 'auto.unknown-step.discard',
        pendingSince: expect.any(String),
      }))
    );
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });

  it.each([
    {
      name: 'a managed secret whose service refuses the cancel',
      prepare: () =>
        emulator.store.seedFailedRotation({
          name: 'rds!cli-sweep-refused',
          step: 'setSecret',
          kind: 'managed',
          managedAllowsCancel: false,
          pendingCreatedAt: new Date(Date.now() - 2 * HOUR_MS),
        }),
      status: 'refused',
      rule: 'refuse.cancel-refused',
      code: 2,
    },
    {
      name: 'a managed secret whose service allows the cancel',
      prepare: () =>
        emulator.store.seedFailedRotation({
          name: 'rds!cli-sweep-decision',
          step: 'setSecret',
          kind: 'managed',
          managedAllowsCancel: true,
          pendingCreatedAt: new Date(Date.now() - 2 * HOUR_MS),
        }),
      status: 'needs-decision',
      rule: 'managed.cancel-only',
      code: 2,
    },
    {
      name: 'a secret whose label update keeps failing',
      prepare: () => {
        emulator.faults.inject({
          operation: 'UpdateSecretVersionStage',
          kind: FaultKind.Error,
          errorName: 'InternalServiceError',
          times: 'always',
        });
        return emulator.store.seedFailedRotation({
          name: 'rr-sweep/failing',
          step: 'setSecret',
          pendingCreatedAt: new Date(Date.now() - 2 * HOUR_MS),
        });
      },
      status: 'failed',
      rule: null,
      code: 1,
    },
  ])('$name: reported $status, exit $code', async ({ prepare, status, rule, code }) => {
    // Prepare
    const secret = prepare();

    // Act
    const json = await sweepCli(['--json']);
    const text = await sweepCli([]);

    // Assess
    expect(json.code).toBe(code);
    expect(json.stderr).toBe('');
    const report = sweepOf(json);
    expect(report).toMatchObject({ stuck: 1, remaining: 0 });
    expect(report.results).toEqual([
      expect.objectContaining({ secretArn: secret.arn, status, rule }),
    ]);
    expect(text.code).toBe(code);
    expect(text.stdout).toMatch(resultLine(status, rule ?? '-', secret));
    expect(hasPending(secret)).toBe(true);
  });

  it('--max-seconds stops at the deadline with a continuation that --continuation completes', async () => {
    // Prepare: at 2% of the quotas the list bucket grants one request a second, so a 1 s run,
    // which stops starting work half-way, lists once and examines at most one of the 4 candidates.
    const world = seedWorld({ stuck: 4, clean: 2 });
    const slow = { SWEEP_QUOTA_SHARE: '0.02', SWEEP_CONCURRENCY: '1' };

    // Act
    const first = await sweepCli(['--max-seconds', '1', '--reason', "INC 1's sweep"], slow);
    const printed = /^Not finished: the deadline came first\. Resume with:\n {2}(.+)$/m.exec(
      first.stdout
    )?.[1];
    const token = / --continuation (\S+)$/.exec(printed ?? '')?.[1];
    const second = await sweepCli(['--continuation', token ?? '', '--json']);

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe(
      'Sweep · grace 3600 s · quota share 0.02 · concurrency 1 · deadline 1 s'
    );
    expect(first.stdout).toContain('Result:   stopped at the deadline, not finished');
    expect(token).toEqual(expect.any(String));
    // the resume line repeats every setting and option that shaped the run, quoted for a shell
    expect(shellWords(printed ?? '')).toEqual([
      'UNKNOWN_STEP_ACTION=discard',
      'ROTATION_GRACE_SECONDS=3600',
      'SWEEP_QUOTA_SHARE=0.02',
      'SWEEP_CONCURRENCY=1',
      'npx',
      'rotation-remediator',
      'sweep',
      '--reason',
      "INC 1's sweep",
      '--max-seconds',
      '1',
      '--continuation',
      token,
    ]);
    expect(second.code).toBe(0);
    const resumed = sweepOf(second);
    expect(resumed.continuation).toBeUndefined();
    expect(resumed).toMatchObject({ failed: 0, remaining: 0 });
    expect((counter(first.stdout, 'remediated') ?? Number.NaN) + resumed.remediated).toBe(4);
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });

  it('SWEEP_QUOTA_SHARE=0.001, --max-seconds 2: no wait for a token starts past the deadline; the continuation has all the work', async () => {
    // Prepare: at 0.1% of the quotas the list bucket grants a token every 20 s, so after the first
    // ListSecrets page every wait would end past the 2 s deadline
    const world = seedWorld({ stuck: 4, clean: 2 });
    const slow = { SWEEP_QUOTA_SHARE: '0.001', SWEEP_CONCURRENCY: '2' };

    // Act
    const first = await sweepCli(['--max-seconds', '2', '--json'], slow);
    const callsOfFirst = emulator.calls.map((call) => call.operation);
    const token = sweepOf(first).continuation;
    const second = await sweepCli(['--continuation', token ?? '', '--json']);

    // Assess
    expect(first.code).toBe(0);
    expect(sweepOf(first)).toMatchObject({ failed: 0, remediated: 0, remaining: 4 });
    // the one call whose token was there; nothing waited for the next
    expect(callsOfFirst).toEqual(['ListSecrets']);
    expect(second.code).toBe(0);
    expect(sweepOf(second)).toMatchObject({ remediated: 4, failed: 0, remaining: 0 });
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });

  it('ROTATION_GRACE_SECONDS=0 treats every pending version as stuck', async () => {
    // Prepare
    const world = seedWorld({ stuck: 2, running: 3, clean: 1 });

    // Act
    const result = await sweepCli(['--json'], { ROTATION_GRACE_SECONDS: '0' });

    // Assess
    expect(result.code).toBe(0);
    expect(sweepOf(result)).toMatchObject({
      candidates: 5,
      stuck: 5,
      running: 0,
      remediated: 5,
      failed: 0,
    });
    expect([...world.stuck, ...world.running].filter(hasPending)).toEqual([]);
  });

  it('--idempotency-table says so on stderr and records each remediation', async () => {
    // Prepare
    const world = seedWorld({ stuck: 2, running: 1 });
    const recordsBefore = (await dynamoDb.items()).length;

    // Act
    const result = await sweepCli(['--idempotency-table', dynamoDb.tableName, '--json']);
    const again = await sweepCli(['--idempotency-table', dynamoDb.tableName, '--json']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `Idempotency on: DynamoDB table ${dynamoDb.tableName}. A failure already remediated there is not acted on again; its stored report comes back marked replayed. Dry runs are not recorded.\n`
    );
    expect(sweepOf(result)).toMatchObject({ stuck: 2, remediated: 2 });
    const items = await dynamoDb.items();
    expect(items).toHaveLength(recordsBefore + 2);
    expect(again.code).toBe(0);
    expect(sweepOf(again)).toMatchObject({ candidates: 1, stuck: 0, running: 1 });
    expect(world.stuck.filter(hasPending)).toEqual([]);
  });

  it('--debug writes the audit records, redacted, as JSON lines on stderr', async () => {
    // Prepare
    const world = seedWorld({ stuck: 1 });

    // Act
    const result = await sweepCli([
      '--json',
      '--debug',
      '--reason',
      'INC-4711 password=canary-7f3a9c',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(sweepOf(result)).toMatchObject({ stuck: 1, remediated: 1 });
    const events = result.stderr
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { audit?: { event?: string } }).audit?.event);
    expect(events[0]).toBe('sweep.started');
    expect(events).toContain('remediation.requested');
    expect(events).toContain('remediation.completed');
    expect(events.at(-1)).toBe('sweep.completed');
    expect(result.stderr).toContain(world.stuck[0]?.arn);
    expect(result.stderr).not.toContain('canary-7f3a9c');
  });

  describe('bad input: exit 1, one line on stderr, no AWS call', () => {
    const validContinuation = encodeContinuation({
      listed: false,
      pending: [],
      dryRun: false,
      startedAt: new Date().toISOString(),
      run: 1,
    });
    const [body = '', digest = ''] = validContinuation.split('.');

    it.each([
      {
        name: 'an altered continuation',
        args: ['--continuation', `${body.slice(0, -2)}AA.${digest}`],
        message:
          '--continuation: is not a continuation this function issued (corrupted or altered)',
      },
      {
        name: 'a continuation that is not one',
        args: ['--continuation', 'hello'],
        message: '--continuation: is not a continuation this function issued',
      },
      {
        name: 'a zero deadline',
        args: ['--max-seconds', '0'],
        message: '--max-seconds must be a whole number of seconds from 1 to 86400',
      },
      {
        name: 'a fractional deadline',
        args: ['--max-seconds', '1.5'],
        message: '--max-seconds must be a whole number of seconds',
      },
      {
        name: 'a reason over 1024 characters',
        args: ['--reason', 'x'.repeat(1025)],
        message: '--reason: must be at most 1024 characters',
      },
      {
        name: 'a secret id',
        args: ['--secret-id', 'rr-sweep/stuck-00'],
        message:
          '--secret-id is an option of remediate and status and resume and decide, not of sweep.',
      },
      {
        name: 'a pending action',
        args: ['--pending', 'promote'],
        message: '--pending is an option of remediate, not of sweep.',
      },
      {
        name: 'a bad idempotency table name',
        args: ['--idempotency-table', 'a b'],
        message: '--idempotency-table must be a DynamoDB table name',
      },
      {
        name: 'a bad ROTATION_GRACE_SECONDS',
        args: [],
        env: { ROTATION_GRACE_SECONDS: '-1' },
        message: 'ConfigurationError: ROTATION_GRACE_SECONDS must be a whole number of seconds',
      },
      {
        name: 'a bad SWEEP_QUOTA_SHARE',
        args: [],
        env: { SWEEP_QUOTA_SHARE: '2' },
        message: 'ConfigurationError: SWEEP_QUOTA_SHARE must be a number greater than 0',
      },
    ])('$name', async ({ args, env, message }) => {
      // Prepare
      const world = seedWorld({ stuck: 1 });
      const before = emulator.store.labels(world.stuck[0]?.arn ?? '');

      // Act
      const result = await sweepCli(args, env);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^rotation-remediator: /);
      expect(lines[0]).toContain(message);
      expect(emulator.calls).toEqual([]);
      expect(emulator.store.labels(world.stuck[0]?.arn ?? '')).toEqual(before);
    });

    it('a sweep option on another command', async () => {
      // Act
      const result = await cli(['status', '--secret-id', 'x', '--continuation', 'y']);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'rotation-remediator: Usage: --continuation is an option of sweep and report, not of status.\n'
      );
    });
  });
});

describe('--local with `npm run local`', () => {
  let dir: string;
  let local: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rr-local-'));
  });

  afterAll(() => {
    if (local?.exitCode === null) local.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports that nothing runs when the state file is missing', async () => {
    // Act
    const result = await cli(['status', '--local', '--secret-id', 'rr-demo/app-db'], {
      PATH: process.env.PATH,
      RR_LOCAL_STATE: join(dir, 'missing.json'),
    });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--local needs a running `npm run local`');
  });

  it('runs in the foreground, serves the CLI, writes env.json and samples, stops on SIGINT', async () => {
    // Prepare
    const statePath = join(dir, 'local.json');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, RR_LOCAL_STATE: statePath };
    const child = spawn(process.execPath, [LOCAL], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    local = child;
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    await waitForLine(child, /^Ready\./);

    // Act
    const status = await bin(['status', '--local', '--secret-id', 'rr-demo/app-db'], env);
    const remediated = await bin(
      ['remediate', '--local', '--secret-id', 'rr-demo/app-db', '--json'],
      env
    );
    child.kill('SIGINT');
    const code = await exited;

    // Assess
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('a rotation is stuck');
    expect(remediated.code).toBe(0);
    expect(reportOf(remediated)).toMatchObject({
      status: 'remediated',
      decision: { rule: 'auto.discard' },
    });
    expect(existsSync(join(dir, 'env.json'))).toBe(true);
    expect(existsSync(join(dir, 'events', 'rotation-failed-finishSecret.json'))).toBe(true);
    expect(code).toBe(0);
    expect(existsSync(statePath)).toBe(false);
  });
});
