import { ValidationError } from '../../../src/errors.js';
import type { RemediationReport } from '../../../src/remediation/types.js';
import {
  alarmActionTrigger,
  alarmEventBridgeTrigger,
  findAlarmSecretId,
  MAX_ALARM_NAME_IN_REASON,
} from '../../../src/triggers/alarm.js';
import type { IgnoredEvent, TriggerAdapter, TriggerCommand } from '../../../src/triggers/types.js';
import type { JsonPath } from '../../helpers/samples.js';
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

const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:rr-demo-app-db-rotation-failed';

const eventBridgeSamples = [
  'alarm-eventbridge-secretid-dimension.json',
  'alarm-eventbridge-metric-math.json',
  'alarm-eventbridge-ok.json',
  'alarm-eventbridge-composite-tag.json',
];

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

/** A metric alarm event with the given metrics and tags, everything else from the sample. */
const eventBridgeWith = (metrics: unknown, alarmTags?: unknown): Record<string, unknown> => {
  const event = loadSample('alarm-eventbridge-secretid-dimension.json');
  const withMetrics = setAt(event, ['detail', 'configuration', 'metrics'], metrics);
  return (
    alarmTags === undefined ? withMetrics : setAt(withMetrics, ['detail', 'alarmTags'], alarmTags)
  ) as Record<string, unknown>;
};

const metric = (dimensions?: Record<string, unknown>) => ({
  id: 'm1',
  metricStat: {
    metric: {
      namespace: 'RotationRemediator',
      name: 'RotationFailed',
      ...(dimensions === undefined ? {} : { dimensions }),
    },
    period: 300,
    stat: 'Sum',
  },
  returnData: true,
});

describe('alarm adapters: matches', () => {
  it.each(sampleFiles())('%s', (file) => {
    // Prepare
    const event = loadSample(file);

    // Act
    const eventBridge = alarmEventBridgeTrigger.matches(event);
    const action = alarmActionTrigger.matches(event);

    // Assess
    expect(eventBridge).toBe(eventBridgeSamples.includes(file));
    expect(action).toBe(file === 'alarm-action.json');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [loadSample('alarm-action.json')]],
    ['a string', 'aws.cloudwatch'],
    ['another CloudWatch detail-type', { source: 'aws.cloudwatch', 'detail-type': 'Alarm' }],
    ['another source', { ...loadSample('alarm-eventbridge-ok.json'), source: 'aws.ec2' }],
    ['an action payload without alarmData', { source: 'aws.cloudwatch', alarmArn: ALARM_ARN }],
    [
      'an action payload with a detail-type',
      { ...loadSample('alarm-action.json'), 'detail-type': 'CloudWatch Alarm State Change' },
    ],
    ['a command with secretId', { ...loadSample('alarm-action.json'), secretId: 'x' }],
  ])('matches neither for %s', (_label, event) => {
    // Act
    const matched = [alarmEventBridgeTrigger, alarmActionTrigger].filter((adapter) =>
      adapter.matches(event)
    );

    // Assess
    expect(matched).toEqual(
      _label === 'an action payload with a detail-type' ? [alarmEventBridgeTrigger] : []
    );
  });
});

describe('alarm adapters: toRequest on the samples', () => {
  it.each([
    {
      file: 'alarm-eventbridge-secretid-dimension.json',
      adapter: alarmEventBridgeTrigger,
      secretId: SAMPLE_SECRET_ARN,
      reason: 'CloudWatch alarm rr-demo-app-db-rotation-failed in ALARM',
      correlationId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      requestedBy: ALARM_ARN,
    },
    {
      file: 'alarm-eventbridge-metric-math.json',
      adapter: alarmEventBridgeTrigger,
      secretId: SAMPLE_SECRET_ARN,
      reason: 'CloudWatch alarm rr-demo-app-db-rotation-failures-math in ALARM',
      correlationId: '2dde0eb1-528b-d2d5-9ca6-6d590caf2329',
      requestedBy:
        'arn:aws:cloudwatch:us-east-1:123456789012:alarm:rr-demo-app-db-rotation-failures-math',
    },
    {
      file: 'alarm-eventbridge-composite-tag.json',
      adapter: alarmEventBridgeTrigger,
      secretId: SAMPLE_SECRET_NAME,
      reason: 'CloudWatch alarm rr-demo-app-db-rotation-composite in ALARM',
      correlationId: '0d3a2c6e-77b1-9f4a-3c2e-5b8d1e0f9a7c',
      requestedBy:
        'arn:aws:cloudwatch:us-east-1:123456789012:alarm:rr-demo-app-db-rotation-composite',
    },
    {
      file: 'alarm-action.json',
      adapter: alarmActionTrigger,
      secretId: SAMPLE_SECRET_ARN,
      reason: 'CloudWatch alarm rr-demo-app-db-rotation-failed in ALARM',
      correlationId: `${ALARM_ARN}/2026-03-14T09:17:41.621+0000`,
      requestedBy: ALARM_ARN,
    },
  ])('$file', ({ file, adapter, secretId, reason, correlationId, requestedBy }) => {
    // Prepare
    const event = loadSample(file);

    // Act
    const result = adapter.toCommand(event, undefined, testConfig());

    // Assess
    expect(result).toEqual({
      kind: 'remediate',
      request: {
        secretId,
        dryRun: false,
        pendingAction: 'auto',
        reason,
        trigger: adapter.name,
        correlationId,
        requestedBy,
      },
    });
  });

  it.each<[string, TriggerAdapter, string[]]>([
    ['OK', alarmEventBridgeTrigger, ['detail', 'state', 'value']],
    ['INSUFFICIENT_DATA', alarmEventBridgeTrigger, ['detail', 'state', 'value']],
    ['OK', alarmActionTrigger, ['alarmData', 'state', 'value']],
    ['INSUFFICIENT_DATA', alarmActionTrigger, ['alarmData', 'state', 'value']],
  ])('ignores state %s (%s)', (state, adapter, path) => {
    // Prepare
    const sample =
      adapter === alarmActionTrigger ? 'alarm-action.json' : 'alarm-eventbridge-ok.json';
    const noSecret = setAt(loadSample(sample), [path[0] ?? '', 'configuration', 'metrics'], []);
    const event = setAt(noSecret, path, state);

    // Act
    const result = adapter.toCommand(event, undefined, testConfig());

    // Assess
    expect(result.kind).toBe('ignore');
    expect(result).toMatchObject({
      ignored: {
        status: 'ignored',
        reason: `CloudWatch alarm state is ${state}: only ALARM starts a remediation.`,
      },
    });
  });

  it('ignores the OK sample with its event id as correlation id', () => {
    // Act
    const result = alarmEventBridgeTrigger.toCommand(
      loadSample('alarm-eventbridge-ok.json'),
      undefined,
      testConfig()
    );

    // Assess
    expect(result).toEqual({
      kind: 'ignore',
      ignored: {
        status: 'ignored',
        reason: 'CloudWatch alarm state is OK: only ALARM starts a remediation.',
      },
      correlationId: 'a1b2c3d4-0f1e-2d3c-4b5a-69788796a5b4',
    });
  });

  it.each(['discard'] as const)('uses DEFAULT_PENDING_ACTION=%s', (action) => {
    // Act
    const request = requestOf(
      alarmActionTrigger.toCommand(
        loadSample('alarm-action.json'),
        undefined,
        testConfig({ defaultPendingAction: action })
      )
    );

    // Assess
    expect(request.pendingAction).toBe(action);
    expect(request.failedStep).toBeUndefined();
  });

  it.each([
    ['SecretId', SAMPLE_SECRET_ARN],
    ['SecretArn', SAMPLE_SECRET_ARN],
    ['SecretName', SAMPLE_SECRET_NAME],
  ])('reads the %s dimension', (dimension, value) => {
    // Prepare
    const event = eventBridgeWith([metric({ Team: 'platform', [dimension]: value })]);

    // Act
    const request = requestOf(alarmEventBridgeTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.secretId).toBe(value);
  });

  it.each<[string, unknown, unknown]>([
    [
      'a metric without dimensions before the one with',
      [metric(), metric({ SecretId: SAMPLE_SECRET_NAME })],
      undefined,
    ],
    [
      'expression entries first',
      [{ id: 'e1', expression: 'm1 * 2' }, metric({ SecretId: SAMPLE_SECRET_NAME })],
      undefined,
    ],
    [
      'the same secret on two metrics',
      [metric({ SecretId: SAMPLE_SECRET_NAME }), metric({ SecretName: SAMPLE_SECRET_NAME })],
      undefined,
    ],
    [
      'a tag that agrees with the dimension',
      [metric({ SecretId: SAMPLE_SECRET_NAME })],
      { SecretId: SAMPLE_SECRET_NAME },
    ],
    [
      'the tag alone, on a metric alarm',
      [metric({ InstanceId: 'i-0123456789abcdef0' })],
      { SecretId: SAMPLE_SECRET_NAME },
    ],
    [
      'other tags beside SecretId',
      [],
      { SecretId: SAMPLE_SECRET_NAME, team: 'platform', count: 3 },
    ],
  ])('finds the secret with %s', (_label, metrics, tags) => {
    // Prepare
    const event = eventBridgeWith(metrics, tags);

    // Act
    const request = requestOf(alarmEventBridgeTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    expect(request.secretId).toBe(SAMPLE_SECRET_NAME);
  });

  it('reads only dimensions from the action payload: a SecretId tag there is not a source', () => {
    // Prepare
    const event = setAt(
      setAt(loadSample('alarm-action.json'), ['alarmData', 'configuration', 'metrics'], [metric()]),
      ['alarmData', 'alarmTags'],
      { SecretId: SAMPLE_SECRET_NAME }
    );

    // Act
    const message = validationMessage(() =>
      alarmActionTrigger.toCommand(event, undefined, testConfig())
    );

    // Assess
    expect(message).toContain('alarmData: the alarm names no secret');
  });

  it('caps the alarm name in the reason and blanks control characters', () => {
    // Prepare
    const longName = `evil\nline\u202Ename-${'x'.repeat(600)}`;
    const event = setAt(loadSample('alarm-action.json'), ['alarmData', 'alarmName'], longName);

    // Act
    const request = requestOf(alarmActionTrigger.toCommand(event, undefined, testConfig()));

    // Assess
    const name = (request.reason ?? '').replace(/^CloudWatch alarm /, '').replace(/ in ALARM$/, '');
    expect(Array.from(name)).toHaveLength(MAX_ALARM_NAME_IN_REASON);
    expect(name.startsWith('evil line name-xxx')).toBe(true);
    expect(name.endsWith('…')).toBe(true);
  });
});

describe('alarm adapters: malformed events', () => {
  const noSecret =
    /the alarm names no secret: no metric dimension SecretId, SecretArn, SecretName and no SecretId tag/;

  it.each<[string, unknown, RegExp]>([
    ['no metric names the secret', eventBridgeWith([metric({ InstanceId: 'i-0123' })]), noSecret],
    ['dimensions are absent', eventBridgeWith([metric()]), noSecret],
    [
      'only expression entries',
      eventBridgeWith([{ id: 'e1', expression: 'SUM(METRICS())' }]),
      noSecret,
    ],
    ['metrics are empty', eventBridgeWith([]), noSecret],
    [
      'a composite alarm without the tag',
      setAt(loadSample('alarm-eventbridge-composite-tag.json'), ['detail', 'alarmTags'], {
        team: 'x',
      }),
      noSecret,
    ],
    [
      'the secret only in the alarm name',
      setAt(eventBridgeWith([]), ['detail', 'alarmName'], SAMPLE_SECRET_NAME),
      noSecret,
    ],
    [
      'two different secrets in dimensions',
      eventBridgeWith([metric({ SecretId: 'rr-demo/one' }), metric({ SecretId: 'rr-demo/two' })]),
      /names different secrets in detail\.configuration\.metrics\.0\.metricStat\.metric\.dimensions\.SecretId, detail\.configuration\.metrics\.1\.metricStat\.metric\.dimensions\.SecretId; refusing to guess/,
    ],
    [
      'a name and an ARN on one metric',
      eventBridgeWith([metric({ SecretName: SAMPLE_SECRET_NAME, SecretArn: SAMPLE_SECRET_ARN })]),
      /names different secrets/,
    ],
    [
      'a tag that disagrees with the dimension',
      eventBridgeWith([metric({ SecretId: SAMPLE_SECRET_NAME })], { SecretId: 'rr-demo/other' }),
      /names different secrets in .*dimensions\.SecretId, detail\.alarmTags\.SecretId/,
    ],
    [
      'a bad secret id in a dimension',
      eventBridgeWith([metric({ SecretId: 'no spaces allowed' })]),
      /detail\.configuration\.metrics\.0\.metricStat\.metric\.dimensions\.SecretId: must be a secret name/,
    ],
    [
      'an empty secret id tag',
      eventBridgeWith([], { SecretId: '' }),
      /detail\.alarmTags\.SecretId: must not be empty/,
    ],
    [
      'a numeric secret id dimension',
      eventBridgeWith([metric({ SecretId: 42 })]),
      /dimensions\.SecretId: must be a string/,
    ],
    [
      'an overlong secret id',
      eventBridgeWith([metric({ SecretId: 'a'.repeat(2049) })]),
      /dimensions\.SecretId: must be at most 2048 characters/,
    ],
    [
      'an unknown state',
      setAt(eventBridgeWith([]), ['detail', 'state', 'value'], 'BROKEN'),
      /detail\.state\.value: must be one of ALARM, OK, INSUFFICIENT_DATA/,
    ],
    [
      'a numeric alarm name',
      setAt(eventBridgeWith([]), ['detail', 'alarmName'], 42),
      /detail\.alarmName: must be a string/,
    ],
    [
      'no state',
      setAt(eventBridgeWith([]), ['detail', 'state'], undefined),
      /detail\.state: is required/,
    ],
    [
      'metrics not an array',
      eventBridgeWith({ id: 'm1' }),
      /detail\.configuration\.metrics: must be an array/,
    ],
    [
      'dimensions not an object',
      eventBridgeWith([{ id: 'm1', metricStat: { metric: { dimensions: ['SecretId'] } } }]),
      /dimensions: must be an object/,
    ],
    [
      'alarmTags not an object',
      eventBridgeWith([], 'SecretId'),
      /detail\.alarmTags: must be an object/,
    ],
    ['no detail', setAt(eventBridgeWith([]), ['detail'], undefined), /detail: is required/],
    ['a bad event time', setAt(eventBridgeWith([]), ['time'], 'yesterday'), /time: /],
    [
      'no configuration',
      setAt(eventBridgeWith([]), ['detail', 'configuration'], undefined),
      /detail\.configuration: is required/,
    ],
  ])('EventBridge: %s', (_label, event, message) => {
    // Act
    const text = validationMessage(() =>
      alarmEventBridgeTrigger.toCommand(event, undefined, testConfig())
    );

    // Assess
    expect(text).toMatch(message);
  });

  const action = loadSample('alarm-action.json');
  it.each<[string, unknown, RegExp]>([
    [
      'no dimension names the secret',
      setAt(action, ['alarmData', 'configuration', 'metrics'], [metric({ FunctionName: 'f' })]),
      /alarmData: the alarm names no secret/,
    ],
    [
      'a composite alarm (no metrics)',
      setAt(action, ['alarmData', 'configuration'], { alarmRule: 'ALARM(a) OR ALARM(b)' }),
      /alarmData: the alarm names no secret/,
    ],
    [
      'a bad alarm ARN',
      setAt(action, ['alarmArn'], 'arn:aws:sns:us-east-1:123456789012:topic'),
      /alarmArn: must be a CloudWatch alarm ARN/,
    ],
    ['no time', setAt(action, ['time'], undefined), /time: is required/],
    ['a numeric time', setAt(action, ['time'], 1), /time: must be a string/],
    ['alarmData not an object', setAt(action, ['alarmData'], 'x'), /alarmData: /],
    [
      'an unknown state',
      setAt(action, ['alarmData', 'state', 'value'], 'alarm'),
      /alarmData\.state\.value: must be one of/,
    ],
  ])('alarm action: %s', (_label, event, message) => {
    // Act
    const text = validationMessage(() =>
      alarmActionTrigger.toCommand(event, undefined, testConfig())
    );

    // Assess
    expect(text).toMatch(message);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', []],
    ['a string', 'event'],
    ['a number', 7],
    ['an empty object', {}],
  ])('rejects %s with a ValidationError', (_label, event) => {
    // Act & Assess
    expect(() => alarmEventBridgeTrigger.toCommand(event, undefined, testConfig())).toThrow(
      ValidationError
    );
    expect(() => alarmActionTrigger.toCommand(event, undefined, testConfig())).toThrow(
      ValidationError
    );
  });

  it.each<[string, JsonPath]>([
    [
      'SecretId dimension',
      ['detail', 'configuration', 'metrics', 0, 'metricStat', 'metric', 'dimensions', 'SecretId'],
    ],
    ['alarmName', ['detail', 'alarmName']],
    ['state', ['detail', 'state', 'value']],
    ['id', ['id']],
    ['time', ['time']],
    ['source', ['source']],
  ])('never echoes a planted canary (%s)', (_label, path) => {
    // Prepare
    const base = eventBridgeWith([metric({ SecretId: 42 })], { SecretId: CANARY_JUNK });
    const event = setAt(base, path, CANARY_JUNK);

    // Act
    const text = validationMessage(() =>
      alarmEventBridgeTrigger.toCommand(event, undefined, testConfig())
    );

    // Assess
    expect(text).not.toContain(CANARY);
  });
});

describe('findAlarmSecretId', () => {
  it.each<[string, Parameters<typeof findAlarmSecretId>[0], string | RegExp]>([
    ['a dimension', { configuration: { metrics: [metric({ SecretId: 'a/b' })] } }, 'a/b'],
    ['a tag', { configuration: {}, alarmTags: { SecretId: 'a/b' } }, 'a/b'],
    ['nothing', { configuration: {} }, /x: the alarm names no secret/],
    [
      'an inherited key only',
      {
        configuration: {
          metrics: [metric(Object.create({ SecretId: 'a/b' }) as Record<string, unknown>)],
        },
      },
      /x: the alarm names no secret/,
    ],
  ])('%s', (_label, alarm, expected) => {
    // Act
    const act = () => findAlarmSecretId(alarm, 'x');

    // Assess
    if (typeof expected === 'string') expect(act()).toBe(expected);
    else expect(act).toThrow(expected);
  });
});

describe('alarm adapters: responses', () => {
  const report = { status: 'remediated', dryRun: false } as unknown as RemediationReport;
  const ignored: IgnoredEvent = { status: 'ignored', reason: 'r' };

  it.each([alarmEventBridgeTrigger, alarmActionTrigger])(
    '$name returns the result unchanged',
    (adapter) => {
      // Act & Assess
      expect(adapter.toResponse(report)).toBe(report);
      expect(adapter.toResponse(ignored)).toBe(ignored);
    }
  );

  it.each([alarmEventBridgeTrigger, alarmActionTrigger])('$name rethrows errors', (adapter) => {
    // Prepare
    const error = new ValidationError('bad');

    // Act & Assess
    expect(() => adapter.toErrorResponse(error)).toThrow(error);
  });
});
