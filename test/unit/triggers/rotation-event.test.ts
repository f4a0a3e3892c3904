import { ValidationError } from '../../../src/errors.js';
import { parseFailedStep } from '../../../src/remediation/failed-step.js';
import type { RemediationReport, RotationStep } from '../../../src/remediation/types.js';
import { rotationEventTrigger } from '../../../src/triggers/rotation-event.js';
import type { IgnoredEvent, TriggerCommand } from '../../../src/triggers/types.js';
import {
  CANARY,
  CANARY_JUNK,
  loadSample,
  SAMPLE_SECRET_ARN,
  SAMPLE_SECRET_NAME,
  sampleFiles,
  setAt,
  testConfig,
} from '../../helpers/samples.js';

const ROTATOR = 'arn:aws:lambda:us-east-1:123456789012:function:rr-demo-app-db-rotator';
const failed = () => loadSample('rotation-failed-setSecret.json');

const requestOf = (result: TriggerCommand) => {
  if (result.kind !== 'remediate') throw new Error(`expected a request, got ${result.kind}`);
  return result.request;
};

const validationMessage = (act: () => unknown): string => {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
};

describe('parseFailedStep', () => {
  it.each<[string | undefined, RotationStep | undefined]>([
    [`Error when executing lambda ${ROTATOR} during createSecret step`, 'createSecret'],
    [`Error when executing lambda ${ROTATOR} during setSecret step`, 'setSecret'],
    [`Error when executing lambda ${ROTATOR} during testSecret step`, 'testSecret'],
    [`Error when executing lambda ${ROTATOR} during finishSecret step`, 'finishSecret'],
    ['during testSecret step', 'testSecret'],
    ['during setSecret step. Retrying during setSecret step.', 'setSecret'],
    [undefined, undefined],
    ['', undefined],
    ['Lambda timed out', undefined],
    ['during SetSecret step', undefined],
    ['during SETSECRET step', undefined],
    ['during rotateSecret step', undefined],
    ['during setSecret', undefined],
    ['during setSecret steps', undefined],
    ['during  setSecret step', undefined],
    ['xduring setSecret step', undefined],
    ['during setSecret step, then during finishSecret step', undefined],
    ['setSecret', undefined],
  ])('%j → %s', (message, expected) => {
    // Act
    const step = parseFailedStep(message);

    // Assess
    expect(step).toBe(expected);
  });
});

describe('rotationEventTrigger: matches', () => {
  const own = [
    'api-call-cloudtrail.json',
    'rotation-failed-createSecret.json',
    'rotation-failed-finishSecret.json',
    'rotation-failed-setSecret.json',
    'rotation-failed-testSecret.json',
    'rotation-succeeded.json',
  ];

  it.each(sampleFiles())('%s', (file) => {
    // Act
    const matched = rotationEventTrigger.matches(loadSample(file));

    // Assess
    expect(matched).toBe(own.includes(file));
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [failed()]],
    ['another source', { ...failed(), source: 'aws.ssm' }],
    ['a command with secretId', { source: 'aws.secretsmanager', secretId: 'x' }],
  ])('is false for %s', (_label, event) => {
    // Act & Assess
    expect(rotationEventTrigger.matches(event)).toBe(false);
  });
});

describe('rotationEventTrigger: toRequest', () => {
  it.each<[string, RotationStep]>([
    ['rotation-failed-createSecret.json', 'createSecret'],
    ['rotation-failed-setSecret.json', 'setSecret'],
    ['rotation-failed-testSecret.json', 'testSecret'],
    ['rotation-failed-finishSecret.json', 'finishSecret'],
  ])('%s', (file, step) => {
    // Prepare
    const event = loadSample(file);

    // Act
    const result = rotationEventTrigger.toCommand(event, undefined, testConfig());

    // Assess
    expect(result).toEqual({
      kind: 'remediate',
      request: {
        secretId: SAMPLE_SECRET_ARN,
        dryRun: false,
        pendingAction: 'auto',
        failedStep: step,
        reason: `Secrets Manager RotationFailed event (failed at ${step})`,
        trigger: 'rotation-failed',
        correlationId: event.id,
        requestedBy: 'events.amazonaws.com/RotationFailed',
        // the event's time and requestID tie it to the failure it reports
        failureEvent: {
          eventName: 'RotationFailed',
          time: event.time,
          id: event.id,
          requestId: (event.detail as { requestID: string }).requestID,
        },
      },
    });
  });

  it.each<[string, string, RegExp]>([
    [
      'rotation-succeeded.json',
      'RotationSucceeded',
      /^Secrets Manager RotationSucceeded event: only RotationFailed start a remediation/,
    ],
    ['api-call-cloudtrail.json', 'PutSecretValue', /API calls are not rotation outcomes/],
  ])('ignores %s', (file, _eventName, reason) => {
    // Prepare
    const event = loadSample(file);

    // Act
    const result = rotationEventTrigger.toCommand(event, undefined, testConfig());

    // Assess
    expect(result.kind).toBe('ignore');
    if (result.kind !== 'ignore') return;
    expect(result.ignored.status).toBe('ignored');
    expect(result.ignored.reason).toMatch(reason);
    expect(result.correlationId).toBe(event.id);
  });

  it.each([
    'RotationStarted',
    'RotationSucceeded',
    'RotationAbandoned',
    'TestRotationStarted',
    'TestRotationSucceeded',
    'TestRotationFailed',
    'RotationFailedSomehow',
  ])('ignores service event %s by default', (eventName) => {
    // Prepare
    const event = setAt(failed(), ['detail', 'eventName'], eventName);

    // Act
    const result = rotationEventTrigger.toCommand(event, undefined, testConfig());

    // Assess
    expect(result).toMatchObject({
      kind: 'ignore',
      ignored: {
        status: 'ignored',
        reason: expect.stringContaining(`Secrets Manager ${eventName} event`),
      },
    });
  });

  it('acts on any event name listed in ACT_ON_EVENTS', () => {
    // Prepare
    const event = setAt(failed(), ['detail', 'eventName'], 'TestRotationFailed');
    const config = testConfig({ actOnEvents: ['RotationFailed', 'TestRotationFailed'] });

    // Act
    const request = requestOf(rotationEventTrigger.toCommand(event, undefined, config));

    // Assess
    expect(request.reason).toBe('Secrets Manager TestRotationFailed event (failed at setSecret)');
    expect(request.requestedBy).toBe('events.amazonaws.com/TestRotationFailed');
  });

  it('ignores API calls even when ACT_ON_EVENTS lists their name', () => {
    // Prepare
    const config = testConfig({ actOnEvents: ['RotationFailed', 'PutSecretValue'] });

    // Act
    const result = rotationEventTrigger.toCommand(
      loadSample('api-call-cloudtrail.json'),
      undefined,
      config
    );

    // Assess
    expect(result.kind).toBe('ignore');
  });

  it.each(['discard'] as const)('uses DEFAULT_PENDING_ACTION=%s', (action) => {
    // Act
    const request = requestOf(
      rotationEventTrigger.toCommand(
        failed(),
        undefined,
        testConfig({ defaultPendingAction: action })
      )
    );

    // Assess
    expect(request.pendingAction).toBe(action);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'serviceEventDetails.secretId when additionalEventData is absent',
      { additionalEventData: undefined, serviceEventDetails: { secretId: SAMPLE_SECRET_NAME } },
      SAMPLE_SECRET_NAME,
    ],
    [
      'serviceEventDetails.secretId when additionalEventData is null',
      { additionalEventData: null, serviceEventDetails: { secretId: SAMPLE_SECRET_NAME } },
      SAMPLE_SECRET_NAME,
    ],
    [
      'additionalEventData.SecretId first',
      { serviceEventDetails: { secretId: 'rr-demo/other' } },
      SAMPLE_SECRET_ARN,
    ],
  ])('reads %s', (_label, detail, secretId) => {
    // Prepare
    const event = { ...failed(), detail: { ...(failed().detail as object), ...detail } };

    // Act
    const request = requestOf(rotationEventTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.secretId).toBe(secretId);
  });

  it.each<[string, unknown]>([
    ['no errorMessage', undefined],
    ['a null errorMessage', null],
    ['an errorMessage without a step', 'Rotation Lambda timed out'],
  ])('leaves the step unknown for %s', (_label, errorMessage) => {
    // Prepare
    const event = setAt(failed(), ['detail', 'errorMessage'], errorMessage);

    // Act
    const request = requestOf(rotationEventTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.failedStep).toBeUndefined();
    expect(request.reason).toBe('Secrets Manager RotationFailed event');
  });

  it('never copies the error message into the reason', () => {
    // Prepare
    const event = setAt(
      failed(),
      ['detail', 'errorMessage'],
      `${CANARY} password=hunter2 during testSecret step`
    );

    // Act
    const request = requestOf(rotationEventTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.failedStep).toBe('testSecret');
    expect(JSON.stringify(request)).not.toContain(CANARY);
    expect(JSON.stringify(request)).not.toContain('hunter2');
  });
});

describe('rotationEventTrigger: malformed events', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'no secret id at all',
      setAt(failed(), ['detail', 'additionalEventData'], {}),
      /detail\.additionalEventData\.SecretId: is required \(and detail\.serviceEventDetails\.secretId is absent too\)/,
    ],
    [
      'a bad secret id',
      setAt(failed(), ['detail', 'additionalEventData', 'SecretId'], 'not a secret'),
      /detail\.additionalEventData\.SecretId: must be a secret name/,
    ],
    [
      'a numeric secret id',
      setAt(failed(), ['detail', 'additionalEventData', 'SecretId'], 7),
      /detail\.additionalEventData\.SecretId: must be a string/,
    ],
    [
      'a bad fallback secret id',
      setAt(
        setAt(failed(), ['detail', 'additionalEventData'], null),
        ['detail', 'serviceEventDetails'],
        { secretId: '' }
      ),
      /detail\.serviceEventDetails\.secretId: must not be empty/,
    ],
    [
      'additionalEventData not an object',
      setAt(failed(), ['detail', 'additionalEventData'], 'x'),
      /detail\.additionalEventData: must be an object/,
    ],
    [
      'no eventName',
      setAt(failed(), ['detail', 'eventName'], undefined),
      /detail\.eventName: is required/,
    ],
    [
      'a numeric eventName',
      setAt(failed(), ['detail', 'eventName'], 3),
      /detail\.eventName: must be a string/,
    ],
    [
      'an eventName that is not a name',
      setAt(failed(), ['detail', 'eventName'], 'Rotation Failed!'),
      /detail\.eventName: must be an event name of 1-64 letters/,
    ],
    [
      'a numeric errorMessage',
      setAt(failed(), ['detail', 'errorMessage'], 3),
      /detail\.errorMessage: must be a string/,
    ],
    [
      'an unknown detail-type',
      setAt(failed(), ['detail-type'], 'Secrets Manager Secret Rotation'),
      /detail-type: must be "AWS Service Event via CloudTrail" or "AWS API Call via CloudTrail"/,
    ],
    ['no detail-type', setAt(failed(), ['detail-type'], undefined), /detail-type: is required/],
    ['no id', setAt(failed(), ['id'], undefined), /^Invalid request: id: is required\.$/],
    ['resources not an array', setAt(failed(), ['resources'], 'x'), /resources: /],
    ['no detail', setAt(failed(), ['detail'], undefined), /detail: is required/],
    ['null', null, /Invalid request/],
    ['an array', [failed()], /Invalid request/],
    ['a string', 'aws.secretsmanager', /Invalid request/],
  ])('rejects %s', (_label, event, message) => {
    // Act
    const text = validationMessage(() =>
      rotationEventTrigger.toCommand(event, undefined, testConfig())
    );

    // Assess
    expect(text).toMatch(message);
  });

  it.each([
    ['detail', 'additionalEventData', 'SecretId'],
    ['detail', 'eventName'],
    ['detail-type'],
    ['time'],
    ['source'],
  ])('never echoes a planted canary (%s)', (...path) => {
    // Prepare
    const event = setAt(failed(), path, CANARY_JUNK);

    // Act
    const text = validationMessage(() =>
      rotationEventTrigger.toCommand(event, undefined, testConfig())
    );

    // Assess
    expect(text).not.toContain(CANARY);
  });
});

describe('rotationEventTrigger: responses', () => {
  it('returns the result unchanged', () => {
    // Prepare
    const report = { status: 'needs-decision' } as unknown as RemediationReport;
    const ignored: IgnoredEvent = { status: 'ignored', reason: 'r' };

    // Act & Assess
    expect(rotationEventTrigger.toResponse(report)).toBe(report);
    expect(rotationEventTrigger.toResponse(ignored)).toBe(ignored);
  });

  it('rethrows errors so EventBridge retries or dead-letters the event', () => {
    // Prepare
    const error = new Error('boom');

    // Act & Assess
    expect(() => rotationEventTrigger.toErrorResponse(error)).toThrow(error);
  });
});
