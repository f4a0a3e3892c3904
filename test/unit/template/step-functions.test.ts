/**
 * docs/step-functions.asl.json through asl-validator (the Amazon States Language JSON schema plus
 * its graph checks: transition targets, reachability, terminal states, JSONPath and intrinsic
 * syntax). Broken copies prove that the validator reports each kind of mistake.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import validateAsl from 'asl-validator';
import { REPO_ROOT } from '../../helpers/cfn';

type Definition = Record<string, unknown> & { States: Record<string, Record<string, unknown>> };

/** A fresh copy of the definition (asl-validator mutates what it validates). */
const loadDefinition = (): Definition =>
  JSON.parse(
    readFileSync(resolve(REPO_ROOT, 'docs/step-functions.asl.json'), 'utf8')
  ) as Definition;

/** The state of a definition copy (throws when absent). */
const state = (definition: Definition, name: string): Record<string, unknown> => {
  const found = definition.States[name];
  if (found === undefined) throw new Error(`no state ${name}`);
  return found;
};

describe('docs/step-functions.asl.json', () => {
  it('is a valid state machine definition', () => {
    // Prepare
    const definition = loadDefinition();
    // Act
    const result = validateAsl(definition);
    // Assess
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });
});

describe('a broken copy of docs/step-functions.asl.json', () => {
  it.each([
    [
      'a Next pointing at a missing state',
      (d: Definition) => {
        state(d, 'ApplyDefaults').Next = 'MergeDefault';
      },
      'MISSING_TRANSITION_TARGET',
      'MergeDefault',
    ],
    [
      'a StartAt pointing at a missing state',
      (d: Definition) => {
        d.StartAt = 'Apply';
      },
      'MISSING_TRANSITION_TARGET',
      'Apply',
    ],
    [
      'a Catch pointing at a missing state',
      (d: Definition) => {
        const [catcher] = state(d, 'Remediate').Catch as Record<string, unknown>[];
        if (catcher !== undefined) catcher.Next = 'Failed';
      },
      'MISSING_TRANSITION_TARGET',
      'Failed',
    ],
    [
      'a state with both Next and End',
      (d: Definition) => {
        state(d, 'Remediate').End = true;
      },
      'TERMINAL_STATE_WITH_NEXT',
      'Remediate',
    ],
    [
      'an unknown state type',
      (d: Definition) => {
        state(d, 'MergeDefaults').Type = 'Passs';
      },
      'SCHEMA_VALIDATION_FAILED',
      '/States/MergeDefaults/Type',
    ],
    [
      'a misspelt intrinsic function',
      (d: Definition) => {
        state(d, 'MergeDefaults').Parameters = {
          'command.$': 'States.JsonMerg($.defaults, $.input, false)',
        };
      },
      'SCHEMA_VALIDATION_FAILED',
      'command.$',
    ],
    [
      'a ResultPath that is not a path',
      (d: Definition) => {
        state(d, 'Remediate').ResultPath = 'result';
      },
      'SCHEMA_VALIDATION_FAILED',
      '/States/Remediate/ResultPath',
    ],
    [
      'a negative MaxAttempts',
      (d: Definition) => {
        const [retrier] = state(d, 'Remediate').Retry as Record<string, unknown>[];
        if (retrier !== undefined) retrier.MaxAttempts = -1;
      },
      'SCHEMA_VALIDATION_FAILED',
      'MaxAttempts',
    ],
  ] as const)('is invalid with %s', (_case, breakIt, code, where) => {
    // Prepare
    const definition = loadDefinition();
    breakIt(definition);
    // Act
    const result = validateAsl(definition);
    // Assess
    expect(result.isValid).toBe(false);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        'Error code': code,
        Message: expect.stringContaining(where),
      })
    );
  });
});
