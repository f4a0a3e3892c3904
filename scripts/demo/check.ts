/**
 * The demo's verdict, as pure functions: each case's end state against its expectation, and the
 * summary with the exit code (1 as soon as one case is wrong). Unit-tested in `test/unit/demo/`.
 */
import type { LabelMap } from '../../src/remediation/types.js';

/** How many characters of a version id the demo prints. */
export const ID_LENGTH = 8;

/** A version id (or request id) shortened for display; anything else as a string. */
export const short = (id: unknown): string =>
  typeof id === 'string' && /^[A-Za-z0-9-]{32,64}$/.test(id) ? id.slice(0, ID_LENGTH) : String(id);

/** A label map without empty entries, stages and version ids sorted. */
export const sortedLabels = (labels: LabelMap): LabelMap =>
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

/** The end state of a case: what the handler reported, the labels and the rotation switch. */
export interface CaseEndState {
  /** The report's status, or what happened instead (e.g. `threw TypeError`). */
  status: string;
  labels: LabelMap;
  /** `null` when the secret does not say. */
  rotationEnabled: boolean | null;
}

/** What is wrong with `actual` compared to `expected`, one line each; empty when it is right. */
export const checkCase = (expected: CaseEndState, actual: CaseEndState): string[] => {
  const problems: string[] = [];
  if (actual.status !== expected.status) {
    problems.push(`status ${actual.status}, expected ${expected.status}`);
  }
  const expectedLabels = sortedLabels(expected.labels);
  const actualLabels = sortedLabels(actual.labels);
  if (JSON.stringify(actualLabels) !== JSON.stringify(expectedLabels)) {
    problems.push(`labels ${labelsLine(actualLabels)}, expected ${labelsLine(expectedLabels)}`);
  }
  if (actual.rotationEnabled !== expected.rotationEnabled) {
    problems.push(
      `rotation ${String(actual.rotationEnabled)}, expected ${String(expected.rotationEnabled)}`
    );
  }
  return problems;
};

/** One case as checked by {@link checkCase}. */
export interface CaseResult {
  title: string;
  problems: readonly string[];
}

/** The demo's closing lines, and its exit code: 0 only when no case has a problem. */
export const summarize = (results: readonly CaseResult[]): { lines: string[]; exitCode: 0 | 1 } => {
  const failures = results.flatMap(({ title, problems }, index) =>
    problems.length === 0 ? [] : [`FAILED ${index + 1}. ${title}: ${problems.join('; ')}`]
  );
  const headline =
    failures.length === 0
      ? `${results.length} cases: every end state as expected`
      : `${results.length} cases: ${failures.length} with a wrong end state`;
  return { lines: [headline, ...failures], exitCode: failures.length === 0 ? 0 : 1 };
};
