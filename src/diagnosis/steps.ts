/**
 * Which rotation steps completed for a version, read from the step lines AWS's rotation templates
 * log (`createSecret: Successfully put secret for ARN <arn> and version <id>.`, `setSecret:
 * Successfully set password ...`, `finishSecret: Successfully set AWSCURRENT stage to version <id>
 * ...`). A line that names a version belongs to it; a line that names none (setSecret, testSecret)
 * belongs to the version named last before it in time, if any.
 */
import { RotationStep } from '../remediation/types.js';
import type { CompletedStep, LogLine } from './types.js';

/** A step's success line: the step, and the version id it names (if any). */
interface StepLine {
  step: RotationStep;
  versionId: string | undefined;
}

const VERSION = '([0-9A-Za-z-]{32,64})';

/** The templates' success lines, per step. */
const SUCCESS_PATTERNS: readonly (readonly [RotationStep, RegExp])[] = [
  [
    RotationStep.CreateSecret,
    new RegExp(`^createSecret: Successfully put secret for ARN \\S+ and version ${VERSION}`),
  ],
  [RotationStep.SetSecret, /^setSecret: Successfully set password\b/],
  [RotationStep.TestSecret, /^testSecret: Successfully signed into\b/],
  [
    RotationStep.FinishSecret,
    new RegExp(`^finishSecret: Successfully set AWSCURRENT stage to version ${VERSION}`),
  ],
];

/** Lines that name a version without completing a step (so later unnamed lines are its). */
const NAMES_VERSION = new RegExp(`\\bversion ${VERSION}`);

/** The step a line says completed, or undefined. Lambda's tab-separated prefix is skipped. */
export const parseStepLine = (message: string): StepLine | undefined => {
  const text = message.split('\t').at(-1)?.trim() ?? '';
  for (const [step, pattern] of SUCCESS_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return { step, versionId: match[1] };
  }
  return undefined;
};

/** The version id a line names, if any. */
const versionNamed = (message: string): string | undefined => {
  const text = message.split('\t').at(-1)?.trim() ?? '';
  return parseStepLine(text)?.versionId ?? NAMES_VERSION.exec(text)?.[1];
};

/** The steps that completed for `versionId`, in time order, each step once. */
export const completedSteps = (lines: readonly LogLine[], versionId: string): CompletedStep[] => {
  const sorted = [...lines].sort((a, b) => a.timestamp - b.timestamp);
  const steps: CompletedStep[] = [];
  let current: string | undefined;
  for (const line of sorted) {
    current = versionNamed(line.message) ?? current;
    const parsed = parseStepLine(line.message);
    if (!parsed || current !== versionId) continue;
    if (steps.some((done) => done.step === parsed.step)) continue;
    steps.push({
      step: parsed.step,
      at: new Date(line.timestamp).toISOString(),
      namesVersion: parsed.versionId === versionId,
    });
  }
  return steps;
};
