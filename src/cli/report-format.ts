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
        'Stopped at the deadline, not finished (this run only; "totals" in --json adds the earlier runs). Resume with:',
        `  ${command} --continuation '${report.continuation}'`,
      ];

/** A report as text: the counts, then one line per secret and, if cut short, how to resume. */
export const formatFleetReport = (report: FleetReport, resumeCommand?: string): string[] => [
  `Report${report.run > 1 ? ` (run ${report.run})` : ''}: ${report.secrets.length} secret(s) with rotation configured, ${(report.durationMs / 1000).toFixed(1)} s`,
  ...columns(countRows(report.counts), '  '),
  ...(report.secrets.length === 0
    ? []
    : [
        '',
        ...columns([
          header(report.includePendingAge),
          ...report.secrets.map((line) => cellsOf(line, report.includePendingAge)),
        ]),
      ]),
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
    row(['class', 'secrets']),
    row(['---', '---:']),
    ...countRows(report.counts).map(([name, count]) => row([name, count.split(' ')[0] ?? count])),
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
    ...resumeLines(report, resumeCommand),
  ];
};
