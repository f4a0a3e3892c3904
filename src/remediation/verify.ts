/**
 * Verifies an end state against the plan's expectation: the AWS staging labels sit where the plan
 * said, and rotation is off where the plan turned it off. Custom labels are not judged.
 */
import { versionWithLabel } from './labels.js';
import type { Plan, SecretState } from './types.js';
import { Label } from './types.js';

/** One difference between the expected and the real end state. */
export interface Mismatch {
  field: string;
  expected: string | boolean | null;
  actual: string | boolean | null;
}

/** Lists how `state` differs from what `plan` promised; empty means verified. */
export const compareWithPlan = (state: SecretState, plan: Plan): Mismatch[] => {
  const resumes = plan.actions.some((action) => action.operation === 'RotateSecret');
  if (resumes) return compareResumed(state, plan);
  const mismatches: Mismatch[] = [];
  for (const label of Object.values(Label)) {
    const expected = versionWithLabel(plan.expected.versionIdsToStages, label) ?? null;
    const actual = versionWithLabel(state.versionIdsToStages, label) ?? null;
    if (expected !== actual) mismatches.push({ field: label, expected, actual });
  }
  if (plan.expected.rotationEnabled === false && state.rotationEnabled !== false) {
    mismatches.push({
      field: 'RotationEnabled',
      expected: false,
      actual: state.rotationEnabled ?? null,
    });
  }
  return mismatches;
};

/**
 * The end state of a resume: rotation on, a next rotation date, AWSCURRENT where it was. AWSPENDING
 * is not judged: the test (or the rotation asked for) puts it on a new version for a while, and
 * whether RotateSecret answers before the test ends is unconfirmed.
 */
const compareResumed = (state: SecretState, plan: Plan): Mismatch[] => {
  const mismatches: Mismatch[] = [];
  const expected = versionWithLabel(plan.expected.versionIdsToStages, Label.Current) ?? null;
  const actual = versionWithLabel(state.versionIdsToStages, Label.Current) ?? null;
  if (expected !== actual) mismatches.push({ field: Label.Current, expected, actual });
  if (state.rotationEnabled !== true) {
    mismatches.push({
      field: 'RotationEnabled',
      expected: true,
      actual: state.rotationEnabled ?? null,
    });
  }
  if (state.nextRotationDate === undefined) {
    mismatches.push({ field: 'NextRotationDate', expected: 'set', actual: null });
  }
  return mismatches;
};
