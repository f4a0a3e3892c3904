import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import fc from 'fast-check';
import { EventBridgeEnvelopeSchema } from '../../../src/triggers/schemas/eventbridge.js';
import { loadSample } from '../../helpers/samples.js';

/** What a schema makes of an input: the data, or each issue's path and code. */
const outcome = (
  schema: typeof EventBridgeEnvelopeSchema | typeof EventBridgeSchema,
  input: unknown
) => {
  const result = schema.safeParse(input);
  return result.success
    ? { data: result.data }
    : {
        issues: result.error.issues.map((issue) => ({
          path: issue.path,
          code: issue.code,
          message: issue.message,
        })),
      };
};

const valid = loadSample('alarm-eventbridge-ok.json') as Record<string, unknown>;

describe('the zod/mini EventBridge envelope', () => {
  it.each([
    ['a valid alarm event', valid],
    ['a missing id', { ...valid, id: undefined }],
    ['a number as account', { ...valid, account: 123456789012 }],
    ['a time that is not ISO 8601', { ...valid, time: 'yesterday' }],
    ['resources of numbers', { ...valid, resources: [1, 2] }],
    ['a replay name', { ...valid, 'replay-name': 'replay-1' }],
    ['a replay name of the wrong type', { ...valid, 'replay-name': 7 }],
    ['null', null],
    ['an array', [valid]],
  ])('judges %s as the Powertools EventBridgeSchema does', (_label, input) => {
    // Prepare: the input above
    // Act
    const mini = outcome(EventBridgeEnvelopeSchema, input);
    const powertools = outcome(EventBridgeSchema, input);
    // Assess
    expect(mini).toEqual(powertools);
  });

  it('judges arbitrary envelopes as the Powertools EventBridgeSchema does', () => {
    // Prepare
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined));
    const envelope = fc.record({
      version: field,
      id: field,
      source: field,
      account: field,
      time: fc.oneof(
        field,
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString())
      ),
      region: field,
      resources: fc.oneof(fc.array(fc.string()), field),
      'detail-type': field,
      detail: fc.anything(),
      'replay-name': field,
    });
    // Act / Assess
    fc.assert(
      fc.property(envelope, (input) => {
        expect(outcome(EventBridgeEnvelopeSchema, input)).toEqual(
          outcome(EventBridgeSchema, input)
        );
      })
    );
  });
});
