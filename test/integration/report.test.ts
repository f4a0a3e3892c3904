/**
 * The fleet report through the built dist/handler.js and the CLI (in this process) against the
 * Secrets Manager emulator with the AWS request quotas on. Always the emulator started here, whatever
 * AWS_ENDPOINT_URL_SECRETS_MANAGER says: the report lists every secret of the account and region,
 * and these states (overdue, never rotated, stuck) are seeded directly in its store.
 */
import type { SecretsManagerEmulator, SeededSecret } from '../../emulator/secrets-manager/index.js';
import { QuotaBucket, startSecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import type { FleetReport, ReportLine, ReportResponse } from '../../src/report/types.js';
import type { Bundle } from '../helpers/bundle.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { runCliInProcess } from '../helpers/cli.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator(
  'the fleet report: quotas, seeded rotation states',
  'request quotas and rotation dates of a chosen kind (overdue, never rotated)'
);

/** The report's allowance on the list bucket at the default SWEEP_QUOTA_SHARE of 0.5: 25/s, burst 5. */
const ALLOWED_LIST = { rate: 25, burst: 5 } as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

let emulator: SecretsManagerEmulator;
let bundle: Bundle;
const saved = {
  sm: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
  ct: process.env.AWS_ENDPOINT_URL_CLOUDTRAIL,
};

beforeAll(async () => {
  emulator = await startSecretsManagerEmulator({ quotas: true });
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = emulator.endpoint;
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = emulator.endpoint;
  process.env.AWS_REGION = emulator.region;
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  // a report uses no idempotency, but the function starts only with a table named
  const table = process.env.IDEMPOTENCY_TABLE_NAME;
  process.env.IDEMPOTENCY_TABLE_NAME = table ?? 'rr-report-unused';
  try {
    bundle = loadBundle();
  } finally {
    if (table === undefined) delete process.env.IDEMPOTENCY_TABLE_NAME;
  }
});

afterAll(async () => {
  await emulator?.stop();
  for (const [key, value] of [
    ['AWS_ENDPOINT_URL_SECRETS_MANAGER', saved.sm],
    ['AWS_ENDPOINT_URL_CLOUDTRAIL', saved.ct],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

beforeEach(() => {
  emulator.store.clear();
  emulator.faults.clear();
  emulator.setQuotas(true);
  emulator.resetCalls();
});

/** How many secrets of each kind a fleet has. */
type FleetSpec = Record<ReportLine['class'] | 'notConfigured', number>;

/**
 * Seeds a fleet directly in the store (no call counted), dated from `now`; returns the expected
 * class per ARN.
 */
const seedFleet = (prefix: string, spec: FleetSpec, now = Date.now()): Map<string, string> => {
  const { store } = emulator;
  const expected = new Map<string, string>();
  const seed = (kind: keyof FleetSpec, make: (name: string, i: number) => SeededSecret) => {
    for (let i = 0; i < spec[kind]; i += 1) {
      const seeded = make(`${prefix}/${kind}-${String(i).padStart(4, '0')}`, i);
      expected.set(seeded.arn, kind);
    }
  };
  seed('stuck', (name) =>
    store.seedFailedRotation({
      name,
      step: 'setSecret',
      failureRecord: false,
      pendingCreatedAt: new Date(now - 2 * HOUR_MS),
    })
  );
  seed('overdue', (name) =>
    store.seedCleanSecret({ name, rotationEnabled: true, nextRotationDate: new Date(now - DAY_MS) })
  );
  seed('managed', (name) =>
    store.seedFailedRotation({
      name: `rds!${name}`,
      kind: 'managed',
      step: 'setSecret',
      failureRecord: false,
    })
  );
  seed('off', (name) => store.seedCleanSecret({ name, rotationEnabled: false }));
  seed('never-rotated', (name) =>
    store.seedCleanSecret({
      name,
      rotationEnabled: true,
      lastRotatedDate: null,
      nextRotationDate: null,
    })
  );
  // every third: resumed, pending its first success (no LastRotatedDate, next date ahead)
  seed('rotating', (name, i) =>
    store.seedCleanSecret({
      name,
      rotationEnabled: true,
      pendingOnCurrent: i % 2 === 0,
      ...(i % 3 === 0 ? { lastRotatedDate: null, nextRotationDate: new Date(now + DAY_MS) } : {}),
    })
  );
  seed('notConfigured', (name) => store.seedCleanSecret({ name }));
  return expected;
};

/** 1,000 secrets, every class present, and some without rotation. */
const FLEET: FleetSpec = {
  stuck: 110,
  managed: 10,
  overdue: 180,
  off: 150,
  'never-rotated': 100,
  rotating: 300,
  notConfigured: 150,
};

const CONFIGURED = 1_000 - FLEET.notConfigured;

const report = async (options: Record<string, unknown> = {}, remainingMs = 60_000) =>
  ((await bundle.handler({ report: options }, lambdaContext(remainingMs))) as ReportResponse)
    .report;

/** The class each line gives, by ARN. */
const classesOf = (lines: readonly ReportLine[]) =>
  new Map(lines.map((line) => [line.arn, line.class as string]));

const configuredOnly = (expected: Map<string, string>) =>
  new Map([...expected].filter(([, kind]) => kind !== 'notConfigured'));

const operations = () => [...new Set(emulator.calls.map((call) => call.operation))].sort();

const CLASS_RANK = ['stuck', 'managed', 'overdue', 'off', 'never-rotated', 'rotating'];

describe('the fleet report over 1,000 secrets with the quotas on', () => {
  it('classifies every secret with ListSecrets calls only, worst first, within its quota share', async () => {
    // Prepare
    const now = Date.now();
    const expected = seedFleet('fleet', FLEET, now);

    // Act
    const result: FleetReport = await report();

    // Assess: the counts and every line
    const { notConfigured, ...classes } = FLEET;
    expect(result.counts).toEqual({ ...classes, notConfigured });
    expect(result.totals).toEqual(result.counts);
    expect(result.continuation).toBeUndefined();
    expect(result.secrets).toHaveLength(CONFIGURED);
    expect(classesOf(result.secrets)).toEqual(configuredOnly(expected));
    const ranks = result.secrets.map((line) => CLASS_RANK.indexOf(line.class));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const overdue = result.secrets.find((line) => line.class === 'overdue');
    expect(Date.parse(overdue?.nextRotation ?? '')).toBeLessThan(now);
    expect(result.secrets.find((line) => line.class === 'never-rotated')?.lastRotated).toBeNull();
    expect(result.secrets.every((line) => line.pendingAgeSeconds === undefined)).toBe(true);

    // Assess: ListSecrets only, 100 a page, no error, within the share of the list quota
    expect(operations()).toEqual(['ListSecrets']);
    expect(emulator.calls.length).toBeGreaterThanOrEqual(10);
    expect(emulator.calls.filter((call) => call.errorName !== undefined)).toEqual([]);
    const max = emulator.maxRatePerSecond(QuotaBucket.List);
    expect({ max, withinShare: max <= ALLOWED_LIST.rate + ALLOWED_LIST.burst }).toEqual({
      max,
      withinShare: true,
    });
  });

  it('resumes from its continuation when the deadline is short, and the chain covers every secret once', async () => {
    // Prepare: a deadline of 1 ms leaves time for the one page every run reads
    const expected = seedFleet('chain', FLEET);
    const runs: FleetReport[] = [];

    // Act
    let continuation: string | undefined;
    do {
      const run = await report(continuation === undefined ? {} : { continuation }, 1);
      runs.push(run);
      continuation = run.continuation;
    } while (continuation !== undefined && runs.length < 50);

    // Assess
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.map((run) => run.run)).toEqual(runs.map((_, index) => index + 1));
    const lines = runs.flatMap((run) => run.secrets);
    expect(lines).toHaveLength(CONFIGURED);
    expect(classesOf(lines)).toEqual(configuredOnly(expected));
    const { notConfigured, ...classes } = FLEET;
    expect(runs.at(-1)?.totals).toEqual({ ...classes, notConfigured });
    expect(operations()).toEqual(['ListSecrets']);
    expect(emulator.maxRatePerSecond(QuotaBucket.List)).toBeLessThanOrEqual(
      ALLOWED_LIST.rate + ALLOWED_LIST.burst
    );
  });

  it('includePendingAge dates the pending version of stuck secrets only (ListSecretVersionIds)', async () => {
    // Prepare
    const expected = seedFleet('age', { ...FLEET, stuck: 12, rotating: 20, overdue: 5 });
    const stuck = [...expected].filter(([, kind]) => kind === 'stuck').map(([arn]) => arn);

    // Act
    const result = await report({ includePendingAge: true });

    // Assess
    const versionCalls = emulator.calls.filter((c) => c.operation === 'ListSecretVersionIds');
    expect([...new Set(versionCalls.map((c) => c.secretId))].sort()).toEqual(stuck.sort());
    expect(operations()).toEqual(['ListSecretVersionIds', 'ListSecrets']);
    for (const line of result.secrets) {
      if (line.class === 'stuck') {
        expect(line.pendingSince).toEqual(expect.any(String));
        expect(line.pendingAgeSeconds).toBeGreaterThanOrEqual(2 * 3_600);
      } else {
        expect(line.pendingAgeSeconds).toBeUndefined();
      }
    }
  });

  it('refuses an altered continuation before any call', async () => {
    // Prepare
    seedFleet('altered', { ...FLEET, stuck: 150, rotating: 100 });
    const first = await report({}, 1);
    const token = first.continuation ?? '';
    emulator.resetCalls();

    // Act
    const outcome = await bundle
      .handler({ report: { continuation: `A${token.slice(1)}` } }, lambdaContext())
      .catch((error: Error) => error.name);

    // Assess
    expect(token).not.toBe('');
    expect(outcome).toBe('ValidationError');
    expect(emulator.calls).toEqual([]);
  });
});

describe('rotation-remediator report (CLI)', () => {
  /** The CLI's report in this process, a copy of its own (the process-wide limiter starts full). */
  const cli = (args: readonly string[]) =>
    runCliInProcess(
      ['report', ...args],
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.endpoint,
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
      { fresh: true }
    );

  const small: FleetSpec = {
    stuck: 1,
    managed: 1,
    overdue: 1,
    off: 1,
    'never-rotated': 1,
    rotating: 1,
    notConfigured: 1,
  };

  it('--json prints the Lambda’s {"report": {...}} and nothing else', async () => {
    // Prepare
    const expected = seedFleet('cli-json', small);

    // Act
    const result = await cli(['--json', '--include-pending-age']);

    // Assess
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const { report: parsed } = JSON.parse(result.stdout) as ReportResponse;
    expect(parsed.counts).toEqual(small);
    expect(parsed.secrets.map((line) => line.class)).toEqual(CLASS_RANK);
    expect(classesOf(parsed.secrets)).toEqual(configuredOnly(expected));
    expect(parsed.secrets[0]?.pendingAgeSeconds).toEqual(expect.any(Number));
  });

  it.each([
    ['text', [], /^ {2}stuck +2$/m],
    ['--markdown', ['--markdown'], /^\| stuck \| 2 \|$/m],
  ])(
    '%s of a continued run prints the chain’s totals, not this run’s counts',
    async (_format, flags: string[], stuckRow: RegExp) => {
      // Prepare: two pages; the first run (the Lambda, a 1 ms deadline) stops after the first
      seedFleet(`cli-totals${flags.length}`, { ...small, stuck: 2, rotating: 110 });
      const first = await report({}, 1);

      // Act
      const result = await cli([...flags, '--continuation', first.continuation ?? '']);

      // Assess
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Counts of runs 1-2 \(totals; this run listed \d+\):$/m);
      expect(result.stdout).toMatch(stuckRow);
    }
  );

  it('--markdown prints the counts, then a table of the secrets, worst first', async () => {
    // Prepare
    seedFleet('cli-md', small);

    // Act
    const result = await cli(['--markdown']);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '### Rotation report',
      '',
      '| class | secrets |',
      '| --- | ---: |',
    ]);
    expect(lines).toContain('| stuck | 1 |');
    expect(lines).toContain('| not configured | 1 |');
    expect(lines).toContain('| class | name | last rotated | next rotation | ARN |');
    const rows = lines.filter((line) => /^\| [a-z-]+ \| `(rds!)?cli-md\//.test(line));
    expect(rows.map((row) => row.split(' | ')[0]?.slice(2))).toEqual(CLASS_RANK);
    expect(rows[0]).toMatch(
      /^\| stuck \| `cli-md\/stuck-0000` \| \S+ \| \S+ \| `arn:aws:secretsmanager:/
    );
    expect(lines).toContain(
      '  rds!cli-md/managed-0000 (rds): aws rds modify-db-instance --db-instance-identifier <db-instance-identifier> --rotate-master-user-password --apply-immediately'
    );
  });

  it('--json and --markdown exclude each other (exit 1, no call)', async () => {
    // Act
    const result = await cli(['--json', '--markdown']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd()).toBe(
      'rotation-remediator: Usage: --json and --markdown exclude each other.'
    );
    expect(emulator.calls).toEqual([]);
  });
});
