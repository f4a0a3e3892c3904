/**
 * The fleet report for people: plain text for the terminal and a Markdown table for a ticket. Both
 * start with the counts per class, then one line per secret, worst first (as the report orders them).
 */

import type { FleetReport, ReportCounts, ReportLine } from '../report/types.js';
import { CLASS_ORDER } from '../report/types.js';
import { columns, NONE } from './format.js';

/** The counts of a report, in {@link CLASS_ORDER}, then the secrets without rotation. */
const countRows = (counts: ReportCounts): [string, string][] => [
  ...CLASS_ORDER.map((name): [string, string] => [name, String(counts[name])]),
  ['not configured', `${counts.notConfigured}  (no rotation: not listed below)`],
];

/** The pending age of a line: `3h 20m`, or `-` when not measured. */
const ageOf = (line: ReportLine): string => {
  const seconds = line.pendingAgeSeconds;
  if (seconds === undefined || seconds === null) return NONE;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  return days > 0 ? `${days}d ${hours}h` : `${hours}h ${minutes}m`;
};

/** The cells of one line: class, name, last and next rotation, pending age (when asked), ARN. */
const cellsOf = (line: ReportLine, withAge: boolean): string[] => [
  line.class,
  line.name,
  line.lastRotated ?? NONE,
  line.nextRotation ?? NONE,
  ...(withAge ? [ageOf(line)] : []),
  line.arn,
];

const header = (withAge: boolean): string[] => [
  'class',
  'name',
  'last rotated',
  'next rotation',
  ...(withAge ? ['pending age'] : []),
  'ARN',
];

/** The closing lines of a run cut short: the command that resumes it (default: plain `report`). */
const resumeLines = (report: FleetReport, command = 'npx rotation-remediator report'): string[] =>
  report.continuation === undefined
    ? []
    : [
        '',
        `Stopped at the deadline, not finished (counts: runs 1-${report.run} so far; secrets: this run only). Resume with:`,
        `  ${command} --continuation '${report.continuation}'`,
      ];

/** The managed secrets' own commands: where to act instead of the remediator, which refuses them. */
const managedLines = (report: FleetReport): string[] => {
  const managed = report.secrets.filter((line) => line.next !== undefined);
  return managed.length === 0
    ? []
    : [
        '',
        'Managed by another service (remediate and resume refuse these; use its own command):',
        ...managed.map((line) => `  ${line.name} (${line.owningService}): ${line.next}`),
      ];
};

/** What the counts cover: the whole chain for a continued run (its `totals`), else this run. */
const countsTitle = (report: FleetReport): string =>
  report.run > 1
    ? `Counts of runs 1-${report.run} (totals; this run listed ${report.secrets.length}):`
    : 'Counts:';

/** A report as text: the counts (the chain's totals), then one line per secret and, if cut short, how to resume. */
export const formatFleetReport = (report: FleetReport, resumeCommand?: string): string[] => [
  `Report${report.run > 1 ? ` (run ${report.run})` : ''}: ${report.secrets.length} secret(s) with rotation configured, ${(report.durationMs / 1000).toFixed(1)} s`,
  ...(report.run > 1 ? [countsTitle(report)] : []),
  ...columns(countRows(report.totals), '  '),
  ...(report.secrets.length === 0
    ? []
    : [
        '',
        ...columns([
          header(report.includePendingAge),
          ...report.secrets.map((line) => cellsOf(line, report.includePendingAge)),
        ]),
      ]),
  ...managedLines(report),
  ...resumeLines(report, resumeCommand),
];

/** A Markdown cell: pipes escaped, code-formatted when asked. */
const cell = (text: string, code = false): string => {
  const escaped = text.replaceAll('|', '\\|');
  return code && text !== NONE ? `\`${escaped}\`` : escaped;
};

/** A report as Markdown: a table of the counts, then a table of the secrets, worst first. */
export const formatFleetReportMarkdown = (
  report: FleetReport,
  resumeCommand?: string
): string[] => {
  const withAge = report.includePendingAge;
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const titles = header(withAge);
  return [
    '### Rotation report',
    '',
    ...(report.run > 1 ? [countsTitle(report), ''] : []),
    row(['class', 'secrets']),
    row(['---', '---:']),
    ...countRows(report.totals).map(([name, count]) => row([name, count.split(' ')[0] ?? count])),
    '',
    row(titles),
    row(titles.map(() => '---')),
    ...report.secrets.map((line) =>
      row(
        cellsOf(line, withAge).map((text, index) =>
          cell(text, index === 1 || index === titles.length - 1)
        )
      )
    ),
    ...managedLines(report),
    ...resumeLines(report, resumeCommand),
  ];
};
