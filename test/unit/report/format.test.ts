import { formatFleetReport, formatFleetReportMarkdown } from '../../../src/cli/report-format.js';
import type { FleetReport } from '../../../src/report/types.js';

const report = (overrides: Partial<FleetReport> = {}): FleetReport => ({
  counts: {
    stuck: 1,
    managed: 0,
    overdue: 0,
    off: 1,
    'never-rotated': 0,
    rotating: 0,
    notConfigured: 2,
  },
  totals: {
    stuck: 1,
    managed: 0,
    overdue: 0,
    off: 1,
    'never-rotated': 0,
    rotating: 0,
    notConfigured: 2,
  },
  includePendingAge: true,
  run: 1,
  durationMs: 1_200,
  secrets: [
    {
      name: 'app/db',
      arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf',
      class: 'stuck',
      lastRotated: '2026-10-01T00:00:00.000Z',
      nextRotation: '2026-10-31T00:00:00.000Z',
      pendingSince: '2026-11-28T10:00:00.000Z',
      pendingAgeSeconds: 93_600,
    },
    {
      name: 'a|b',
      arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a|b-AbCdEf',
      class: 'off',
      lastRotated: null,
      nextRotation: null,
    },
  ],
  ...overrides,
});

describe('formatFleetReport', () => {
  it('prints the counts, then one line per secret with the pending age', () => {
    // Act
    const lines = formatFleetReport(report());

    // Assess
    expect(lines[0]).toBe('Report: 2 secret(s) with rotation configured, 1.2 s');
    expect(lines).toContain('  stuck           1');
    expect(lines.at(-2)).toMatch(
      /^stuck\s+app\/db\s+2026-10-01T00:00:00\.000Z\s+2026-10-31T00:00:00\.000Z\s+1d 2h\s+arn:/
    );
    expect(lines.at(-1)).toMatch(/^off\s+a\|b\s+-\s+-\s+-\s+arn:/);
  });

  it('ends with the command that resumes a run cut short', () => {
    // Act
    const lines = formatFleetReport(report({ continuation: 'abc.def', run: 2 }));

    // Assess
    expect(lines[0]).toMatch(/^Report \(run 2\):/);
    expect(lines.at(-1)).toBe("  npx rotation-remediator report --continuation 'abc.def'");
  });
});

describe('formatFleetReportMarkdown', () => {
  it('escapes pipes and code-formats names and ARNs', () => {
    // Act
    const lines = formatFleetReportMarkdown(report());

    // Assess
    expect(lines).toContain('| stuck | 1 |');
    expect(lines).toContain('| class | name | last rotated | next rotation | pending age | ARN |');
    expect(lines.at(-1)).toBe(
      '| off | `a\\|b` | - | - | - | `arn:aws:secretsmanager:us-east-1:123456789012:secret:a\\|b-AbCdEf` |'
    );
  });
});

/** The last run of a continued chain: nothing stuck on its pages, one stuck in an earlier run's. */
const continued = (): FleetReport =>
  report({
    run: 2,
    counts: { ...report().counts, stuck: 0, off: 0, notConfigured: 0 },
    totals: { ...report().counts, stuck: 1, off: 0, notConfigured: 0 },
    secrets: [],
  });

/** A managed secret's line, as the report gives it. */
const managed = (): FleetReport =>
  report({
    secrets: [
      {
        name: 'rds!db-1234',
        arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf',
        class: 'managed',
        lastRotated: null,
        nextRotation: null,
        owningService: 'rds',
        next: 'aws rds modify-db-instance --db-instance-identifier orders --rotate-master-user-password --apply-immediately',
      },
    ],
  });

describe('a continued report and managed secrets, in text and Markdown', () => {
  it.each([
    ['text', formatFleetReport, '  stuck           1'],
    ['Markdown', formatFleetReportMarkdown, '| stuck | 1 |'],
  ] as const)(
    '%s prints the totals of the whole chain, not this run’s counts',
    (_format, format, row) => {
      // Act
      const lines = format(continued());

      // Assess
      expect(lines).toContain(row);
      expect(lines).toContain('Counts of runs 1-2 (totals; this run listed 0):');
    }
  );

  it.each([
    ['text', formatFleetReport],
    ['Markdown', formatFleetReportMarkdown],
  ] as const)('%s gives a managed secret its owning service’s own command', (_format, format) => {
    // Act
    const lines = format(managed());

    // Assess
    expect(lines).toContain(
      '  rds!db-1234 (rds): aws rds modify-db-instance --db-instance-identifier orders --rotate-master-user-password --apply-immediately'
    );
    expect(lines.join('\n')).not.toMatch(/rotation-remediator (resume|remediate)/);
  });
});
