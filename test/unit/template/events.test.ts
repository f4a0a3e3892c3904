/**
 * The triggers the stack wires: the EventBridge rules' patterns against every sample in events/
 * (each sample matches the rule it is meant for and no other), the rules against the adapters'
 * own constants, and the HTTP API route.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TriggerName } from '../../../src/remediation/types';
import { loadConfig } from '../../../src/settings';
import {
  ALARM_STATE_CHANGE_DETAIL_TYPE,
  AlarmStateValue,
  CLOUDWATCH_SOURCE,
  SECRETS_MANAGER_SOURCE,
  SecretsManagerDetailType,
} from '../../../src/triggers/event-constants';
import { selectTrigger } from '../../../src/triggers/index';
import type { CfnObject, EvaluationInput } from '../../helpers/cfn';
import {
  bindTemplate,
  deployedResource,
  isObject,
  loadTemplate,
  REPO_ROOT,
} from '../../helpers/cfn';
import type { Json } from '../../helpers/event-pattern';
import { assertSupportedPattern, matchesEventPattern } from '../../helpers/event-pattern';

const EVENTS_DIR = resolve(REPO_ROOT, 'events');
const template = loadTemplate();

/** The EventBridge rules of the function (SAM `EventBridgeRule` events), by event name. */
const rulesOf = (input: EvaluationInput = {}): Record<string, Json> => {
  const fn = deployedResource(bindTemplate(template, input), 'RemediatorFunction');
  const events = isObject(fn.properties.Events) ? fn.properties.Events : {};
  return Object.fromEntries(
    Object.entries(events)
      .filter(([, event]) => isObject(event) && event.Type === 'EventBridgeRule')
      .map(([name, event]) => [
        name,
        ((event as CfnObject).Properties as CfnObject).Pattern as Json,
      ])
  );
};

const readEvent = (file: string): Json =>
  JSON.parse(readFileSync(resolve(EVENTS_DIR, file), 'utf8')) as Json;

const matchingRules = (rules: Record<string, Json>, event: Json): string[] =>
  Object.entries(rules)
    .filter(([, pattern]) => matchesEventPattern(pattern, event))
    .map(([name]) => name);

describe('the event-pattern matcher', () => {
  const pattern = {
    source: ['aws.cloudwatch'],
    detail: { state: { value: ['ALARM'] }, alarmName: ['exact-name', { prefix: 'team-' }] },
  };

  it.each([
    [
      'an exact value',
      true,
      { source: 'aws.cloudwatch', detail: { state: { value: 'ALARM' }, alarmName: 'exact-name' } },
    ],
    [
      'a prefix',
      true,
      { source: 'aws.cloudwatch', detail: { state: { value: 'ALARM' }, alarmName: 'team-db' } },
    ],
    [
      'a value in an event array',
      true,
      {
        source: ['x', 'aws.cloudwatch'],
        detail: { state: { value: 'ALARM' }, alarmName: 'team-a' },
      },
    ],
    [
      'another value',
      false,
      { source: 'aws.cloudwatch', detail: { state: { value: 'OK' }, alarmName: 'exact-name' } },
    ],
    [
      'a prefix that only appears inside',
      false,
      { source: 'aws.cloudwatch', detail: { state: { value: 'ALARM' }, alarmName: 'my-team-db' } },
    ],
    ['a missing field', false, { source: 'aws.cloudwatch', detail: { alarmName: 'exact-name' } }],
    ['a scalar where the pattern nests', false, { source: 'aws.cloudwatch', detail: 'ALARM' }],
    [
      'a case difference',
      false,
      { source: 'AWS.cloudwatch', detail: { state: { value: 'ALARM' }, alarmName: 'exact-name' } },
    ],
  ] as const)('%s: matches is %s', (_case, expected, event) => {
    // Prepare: the pattern above
    // Act
    const matched = matchesEventPattern(pattern, event);
    // Assess
    expect(matched).toBe(expected);
  });

  it.each([
    ['anything-but', { a: [{ 'anything-but': 'x' }] }],
    ['exists', { a: [{ exists: true }] }],
    ['$or', { $or: [{ a: ['x'] }] }],
    ['a scalar leaf', { a: 'x' }],
    ['an empty leaf', { a: [] }],
  ] as const)('rejects a pattern with %s', (_case, unsupported) => {
    // Prepare: the unsupported pattern
    // Act
    const check = (): void => assertSupportedPattern(unsupported);
    // Assess
    expect(check).toThrow();
  });
});

/**
 * Three deployments: A names a prefix, B is a stack named after the sample alarm (its own alarm
 * name matches one sample) without a prefix, C acts on a second event name.
 */
const DEPLOYMENTS = {
  A: { parameters: { AlarmNamePrefix: 'rr-demo-' } },
  B: { pseudo: { 'AWS::StackName': 'rr-demo-app-db' } },
  C: { parameters: { ActOnEvents: 'RotationFailed,RotationSucceeded' } },
} as const satisfies Record<string, EvaluationInput>;

/** Every sample with the rule each deployment must route it to ('' = none). */
const SAMPLES = [
  ['alarm-action.json', '', '', ''],
  ['alarm-eventbridge-composite-tag.json', 'AlarmStateChange', '', ''],
  ['alarm-eventbridge-metric-math.json', 'AlarmStateChange', '', ''],
  ['alarm-eventbridge-ok.json', '', '', ''],
  ['alarm-eventbridge-secretid-dimension.json', 'AlarmStateChange', 'AlarmStateChange', ''],
  ['api-call-cloudtrail.json', '', '', ''],
  ['direct-dry-run.json', '', '', ''],
  ['direct.json', '', '', ''],
  ['function-url-post.json', '', '', ''],
  ['http-api-v2-post.json', '', '', ''],
  ['http-rest-post.json', '', '', ''],
  ['report.json', '', '', ''],
  ['rotation-failed-createSecret.json', 'RotationFailed', 'RotationFailed', 'RotationFailed'],
  ['rotation-failed-finishSecret.json', 'RotationFailed', 'RotationFailed', 'RotationFailed'],
  ['rotation-failed-setSecret.json', 'RotationFailed', 'RotationFailed', 'RotationFailed'],
  ['rotation-failed-testSecret.json', 'RotationFailed', 'RotationFailed', 'RotationFailed'],
  ['rotation-succeeded.json', '', '', 'RotationFailed'],
  ['ssm-automation.json', '', '', ''],
  ['step-functions.json', '', '', ''],
  ['sweep.json', '', '', ''],
] as const;

/** The adapter each rule's events must reach. */
const ADAPTER_OF_RULE = {
  RotationFailed: TriggerName.RotationFailed,
  AlarmStateChange: TriggerName.AlarmEventBridge,
} as const;

describe('the EventBridge rules against events/', () => {
  const rules = {
    A: rulesOf(DEPLOYMENTS.A),
    B: rulesOf(DEPLOYMENTS.B),
    C: rulesOf(DEPLOYMENTS.C),
  };

  it('covers every sample in events/', () => {
    // Prepare
    const files = readdirSync(EVENTS_DIR)
      .filter((file) => file.endsWith('.json'))
      .sort();
    // Act
    const covered = SAMPLES.map(([file]) => file);
    // Assess
    expect(covered).toEqual(files);
  });

  it.each(Object.keys(rules))('uses only supported pattern features (deployment %s)', (name) => {
    // Prepare
    const patterns = Object.values(rules[name as keyof typeof rules]);
    // Act
    const check = (): void => {
      for (const pattern of patterns) assertSupportedPattern(pattern);
    };
    // Assess
    expect(patterns).toHaveLength(2);
    expect(check).not.toThrow();
  });

  it.each(SAMPLES)('routes %s to [A: %j, B: %j, C: %j]', (file, a, b, c) => {
    // Prepare
    const event = readEvent(file);
    // Act
    const routed = {
      A: matchingRules(rules.A, event),
      B: matchingRules(rules.B, event),
      C: matchingRules(rules.C, event),
    };
    // Assess
    expect(routed).toEqual({
      A: a === '' ? [] : [a],
      B: b === '' ? [] : [b],
      C: c === '' ? [] : [c],
    });
  });

  it.each(SAMPLES.filter(([, a]) => a !== ''))(
    'hands %s to the adapter of its rule',
    (file, rule) => {
      // Prepare
      const event = readEvent(file);
      // Act
      const adapter = selectTrigger(event);
      // Assess
      expect(adapter.name).toBe(ADAPTER_OF_RULE[rule as keyof typeof ADAPTER_OF_RULE]);
    }
  );
});

describe('the rules agree with the adapters and the configuration', () => {
  it('RotationFailed delivers the service events the rotation adapter reads', () => {
    // Prepare
    const pattern = rulesOf().RotationFailed as CfnObject;
    // Act
    const { source, 'detail-type': detailType } = pattern;
    // Assess
    expect(source).toEqual([SECRETS_MANAGER_SOURCE]);
    expect(detailType).toEqual([SecretsManagerDetailType.ServiceEvent]);
  });

  it.each([
    ['the default', undefined],
    ['two names', 'RotationFailed,TestRotationFailed'],
  ] as const)('RotationFailed delivers exactly ACT_ON_EVENTS (%s)', (_case, actOnEvents) => {
    // Prepare
    const parameters: Record<string, string> =
      actOnEvents === undefined ? {} : { ActOnEvents: actOnEvents };
    const environment: Record<string, string> =
      actOnEvents === undefined ? {} : { ACT_ON_EVENTS: actOnEvents };
    // Act
    const pattern = rulesOf({ parameters }).RotationFailed as CfnObject;
    // Assess
    expect((pattern.detail as CfnObject).eventName).toEqual(loadConfig(environment).actOnEvents);
  });

  it.each([
    { trusted: '', accounts: ['123456789012'] },
    {
      trusted: '111122223333,444455556666',
      accounts: ['123456789012', '111122223333', '444455556666'],
    },
  ])(
    'both rules match the stack account and TRUSTED_EVENT_ACCOUNTS ($trusted) only',
    ({ trusted, accounts }) => {
      // Prepare
      const rules = rulesOf({
        ...DEPLOYMENTS.B,
        parameters: { TrustedEventAccounts: trusted },
      });
      const foreign = (file: string) => ({
        ...(readEvent(file) as CfnObject),
        account: '999999999999',
      });
      // Act
      const patterns = [rules.RotationFailed, rules.AlarmStateChange] as CfnObject[];
      // Assess
      for (const pattern of patterns) expect(pattern.account).toEqual(accounts);
      // the same samples from the stack's own account are routed
      expect(matchingRules(rules, readEvent('rotation-failed-setSecret.json'))).toEqual([
        'RotationFailed',
      ]);
      expect(matchingRules(rules, readEvent('alarm-eventbridge-secretid-dimension.json'))).toEqual([
        'AlarmStateChange',
      ]);
      expect(matchingRules(rules, foreign('rotation-failed-setSecret.json'))).toEqual([]);
      expect(matchingRules(rules, foreign('alarm-eventbridge-secretid-dimension.json'))).toEqual(
        []
      );
      expect(loadConfig({ TRUSTED_EVENT_ACCOUNTS: trusted }).trustedEventAccounts).toEqual(
        accounts.slice(1)
      );
    }
  );

  it('AlarmStateChange delivers only ALARM state changes of the alarms it names', () => {
    // Prepare
    const pattern = rulesOf(DEPLOYMENTS.A).AlarmStateChange as CfnObject;
    // Act
    const detail = pattern.detail as CfnObject;
    // Assess
    expect(pattern.source).toEqual([CLOUDWATCH_SOURCE]);
    expect(pattern['detail-type']).toEqual([ALARM_STATE_CHANGE_DETAIL_TYPE]);
    expect(detail.state).toEqual({ value: [AlarmStateValue.Alarm] });
    expect(detail.alarmName).toEqual([
      'rotation-remediator-rotation-failed',
      { prefix: 'rr-demo-' },
    ]);
  });

  it('names the stack alarm as the rotation-failed alarm is named', () => {
    // Prepare
    const evaluation = bindTemplate(template, {
      parameters: {
        CloudTrailLogGroupName: 'cloudtrail/management',
        AlarmSecretArn:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:rr-demo/app-db-AbCdEf',
      },
    });
    // Act
    const alarm = deployedResource(evaluation, 'RotationFailedAlarm');
    // Assess
    expect(((rulesOf().AlarmStateChange as CfnObject).detail as CfnObject).alarmName).toEqual([
      alarm.properties.AlarmName,
    ]);
  });

  it("does not route the stack's own operational alarms (prefix rr-demo-)", () => {
    // Prepare
    const evaluation = bindTemplate(template, DEPLOYMENTS.A);
    const rules = rulesOf(DEPLOYMENTS.A);
    // Act
    const routed = ['FunctionErrorsAlarm', 'FailureQueueAlarm'].flatMap((logicalId) =>
      matchingRules(rules, {
        source: CLOUDWATCH_SOURCE,
        'detail-type': ALARM_STATE_CHANGE_DETAIL_TYPE,
        detail: {
          alarmName: String(deployedResource(evaluation, logicalId).properties.AlarmName),
          state: { value: AlarmStateValue.Alarm },
        },
      })
    );
    // Assess
    expect(routed).toEqual([]);
  });
});

describe('the HTTP API', () => {
  const evaluation = bindTemplate(template);
  const fn = deployedResource(evaluation, 'RemediatorFunction');
  const route = ((fn.properties.Events as CfnObject).HttpRemediations as CfnObject)
    .Properties as CfnObject;
  const sample = readEvent('http-api-v2-post.json') as CfnObject;

  it('routes POST /remediations (the route of the sample) with payload format 2.0', () => {
    // Prepare: the route and the sample
    // Act
    const routeKey = `${route.Method} ${route.Path}`;
    // Assess
    expect(routeKey).toBe(sample.routeKey);
    expect(route.PayloadFormatVersion).toBe(sample.version);
    expect(route.ApiId).toBe('{{RemediationsApi}}');
  });

  it('requires SigV4 (AWS_IAM) on the route and by default', () => {
    // Prepare
    const api = deployedResource(evaluation, 'RemediationsApi');
    // Act
    const auth = api.properties.Auth;
    // Assess
    expect(route.Auth).toEqual({ Authorizer: 'AWS_IAM' });
    expect(auth).toEqual({ EnableIamAuthorizer: true, DefaultAuthorizer: 'AWS_IAM' });
  });
});
