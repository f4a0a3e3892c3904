/**
 * Verifies an end state against the plan's expectation: the AWS staging labels sit where the plan
 * said, and rotation is off where the plan turned it off. Custom labels are not judged.
 */
import { versionWithLabel } from './planner.js';
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
