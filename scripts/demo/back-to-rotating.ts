/**
 * The demo's epilogue (issue #15): once the testSecret case is decided (its event's promote ran),
 * rotation is resumed on that secret, and the fleet report is printed before and after.
 */
import type { RemediationReport } from '../../src/remediation/types.js';
import type { ReportCounts, ReportResponse } from '../../src/report/types.js';

/** What the epilogue needs: the handler, a context factory, where to print. */
export interface EpilogueDependencies {
  invoke: (event: unknown, requestId: string) => Promise<unknown>;
  out: (line?: string) => void;
}

/** The report's counts in one line, classes worst first. */
export const countsLine = (counts: ReportCounts): string =>
  ['stuck', 'managed', 'overdue', 'off', 'never-rotated', 'rotating']
    .map((name) => `${name} ${counts[name as keyof ReportCounts]}`)
    .join(' · ');

/** The class the report gives `name`; undefined when the report does not list it. */
const classOf = (response: ReportResponse, name: string): string | undefined =>
  response.report.secrets.find((line) => line.name === name)?.class;

/**
 * The class of a secret whose rotation is on again (a cancel drops LastRotatedDate; with its next
 * date ahead the resumed secret reads `rotating`, pending its first success).
 */
const ON_AGAIN: readonly (string | undefined)[] = ['rotating'];

/**
 * Reports, resumes `secret`, reports again; resolves with the problems found (none: the resume
 * said `resumed` and the secret moved from `off` to rotating again).
 */
export const backToRotating = async (
  deps: EpilogueDependencies,
  secret: { name: string; arn: string }
): Promise<string[]> => {
  const { invoke, out } = deps;
  out(`━━ Back to rotating: ${secret.name}, decided above, resumed`);
  const before = (await invoke({ report: {} }, 'demo-report-before')) as ReportResponse;
  out(`   report    before  ${countsLine(before.report.counts)}`);
  const resumed = (await invoke(
    { resume: { secretId: secret.arn } },
    'demo-resume'
  )) as RemediationReport;
  out(`   resume    ${resumed.status} · rule ${resumed.decision.rule}`);
  out(`             ${resumed.reason}`);
  const after = (await invoke({ report: {} }, 'demo-report-after')) as ReportResponse;
  out(`   report    after   ${countsLine(after.report.counts)}`);
  const problems = [
    ...(resumed.status === 'resumed' ? [] : [`resume ended ${resumed.status}`]),
    ...(classOf(before, secret.name) === 'off'
      ? []
      : [`before: ${classOf(before, secret.name)}, expected off`]),
    ...(ON_AGAIN.includes(classOf(after, secret.name))
      ? []
      : [`after: ${classOf(after, secret.name)}, expected rotating again`]),
  ];
  out(
    problems.length === 0
      ? `   check     ok: resumed, off → ${classOf(after, secret.name)} (rotation on; the cancel dropped LastRotatedDate)`
      : `   check     WRONG: ${problems.join('; ')}`
  );
  out();
  return problems;
};
