/**
 * The stack's other resources: the idempotency table (as the Powertools persistence layer expects
 * it), the failure path (destination queue, retries, alarms, SNS), the optional rotation-failed
 * alarm, the log group, the outputs, and samconfig.toml.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { SECRET_DIMENSION_NAMES } from '../../../src/triggers/alarm';
import type { CfnObject } from '../../helpers/cfn';
import {
  bindTemplate,
  deployedResource,
  deployedResources,
  evaluate,
  loadTemplate,
  REPO_ROOT,
} from '../../helpers/cfn';
import { functionSourceText } from './derive';

const template = loadTemplate();
const defaults = bindTemplate(template);
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rr-demo/app-db-AbCdEf';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:rr-alarms';

describe('the idempotency table', () => {
  const table = deployedResource(defaults, 'IdempotencyTable');

  it('has the key and expiry attributes the Powertools persistence layer uses', () => {
    // Prepare: the layer as src/idempotency/apply-once.ts creates it (no attribute overrides)
    const layer = new DynamoDBPersistenceLayer({ tableName: 'any' }) as unknown as {
      keyAttr: string;
      expiryAttr: string;
      sortKeyAttr: string | undefined;
    };
    const overrides = /\b(keyAttr|expiryAttr|sortKeyAttr)\b/.test(
      functionSourceText(template, 'RemediatorFunction')
    );
    // Act
    const { AttributeDefinitions, KeySchema, TimeToLiveSpecification } = table.properties;
    // Assess
    expect(overrides).toBe(false);
    expect(layer.sortKeyAttr).toBeUndefined();
    expect(KeySchema).toEqual([{ AttributeName: layer.keyAttr, KeyType: 'HASH' }]);
    expect(AttributeDefinitions).toEqual([{ AttributeName: layer.keyAttr, AttributeType: 'S' }]);
    expect(TimeToLiveSpecification).toEqual({ AttributeName: layer.expiryAttr, Enabled: true });
  });

  it.each([
    ['BillingMode', 'PAY_PER_REQUEST'],
    ['SSESpecification', { SSEEnabled: true }],
    ['PointInTimeRecoverySpecification', { PointInTimeRecoveryEnabled: true }],
  ] as const)('sets %s to %j', (name, expected) => {
    // Prepare: the table
    // Act
    const value = table.properties[name];
    // Assess
    expect(value).toEqual(expected);
  });
});

describe('the failure path', () => {
  const fn = deployedResource(defaults, 'RemediatorFunction');

  it('sends failed asynchronous invocations to the queue after the configured retries', () => {
    // Prepare
    const evaluation = bindTemplate(template, {
      parameters: { AsyncMaxRetryAttempts: '1', AsyncMaxEventAgeSeconds: '600' },
    });
    // Act
    const config = deployedResource(evaluation, 'RemediatorFunction').properties.EventInvokeConfig;
    // Assess
    expect(config).toEqual({
      MaximumRetryAttempts: '1',
      MaximumEventAgeInSeconds: '600',
      DestinationConfig: { OnFailure: { Type: 'SQS', Destination: '{{FailureQueue.Arn}}' } },
    });
  });

  it('defaults to two retries within an hour', () => {
    // Prepare: the default parameters
    // Act
    const config = fn.properties.EventInvokeConfig as CfnObject;
    // Assess
    expect([config.MaximumRetryAttempts, config.MaximumEventAgeInSeconds]).toEqual(['2', '3600']);
  });

  it('encrypts the queue and keeps messages for the SQS maximum of 14 days', () => {
    // Prepare
    const queue = deployedResource(defaults, 'FailureQueue');
    // Act
    const { SqsManagedSseEnabled, KmsMasterKeyId, MessageRetentionPeriod } = queue.properties;
    // Assess
    expect(SqsManagedSseEnabled === true || typeof KmsMasterKeyId === 'string').toBe(true);
    expect(MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it.each([
    [
      'FunctionErrorsAlarm',
      'AWS/Lambda',
      'Errors',
      { Name: 'FunctionName', Value: '{{RemediatorFunction}}' },
    ],
    [
      'FailureQueueAlarm',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      { Name: 'QueueName', Value: '{{FailureQueue.QueueName}}' },
    ],
  ] as const)('%s watches %s %s', (logicalId, namespace, metric, dimension) => {
    // Prepare
    const alarm = deployedResource(defaults, logicalId);
    // Act
    const { Namespace, MetricName, Dimensions, Threshold, ComparisonOperator } = alarm.properties;
    // Assess
    expect([Namespace, MetricName]).toEqual([namespace, metric]);
    expect(Dimensions).toEqual([dimension]);
    expect([Threshold, ComparisonOperator]).toEqual([1, 'GreaterThanOrEqualToThreshold']);
  });

  it.each([
    ['no topic', '', undefined],
    ['a topic', TOPIC_ARN, [TOPIC_ARN]],
  ] as const)('notifies %s from every alarm', (_case, topic, expected) => {
    // Prepare
    const evaluation = bindTemplate(template, {
      parameters: {
        AlarmTopicArn: topic,
        CloudTrailLogGroupName: 'cloudtrail/management',
        AlarmSecretArn: SECRET_ARN,
      },
    });
    // Act
    const actions = deployedResources(evaluation)
      .filter((resource) => resource.type === 'AWS::CloudWatch::Alarm')
      .map((alarm) => [alarm.logicalId, alarm.properties.AlarmActions]);
    // Assess
    expect(actions).toEqual([
      ['FunctionErrorsAlarm', expected],
      ['FailureQueueAlarm', expected],
      ['NotificationsFailedAlarm', expected],
      ['RotationFailedAlarm', expected],
    ]);
  });
});

describe('the outcome events (issue #14)', () => {
  const TOPIC = 'arn:aws:sns:us-east-1:123456789012:rr-decisions';

  it.each([
    ['the default bus', {}, ['NotificationsFailedAlarm'], []],
    ['no events', { EventBusName: 'none', NotificationTopicArn: TOPIC }, [], []],
    [
      'a topic',
      { NotificationTopicArn: TOPIC },
      ['NotificationsFailedAlarm'],
      ['NotificationTopicRule'],
    ],
  ] as const)('with %s: the alarm and rule present', (_case, parameters, alarms, rules) => {
    // Prepare
    const evaluation = bindTemplate(template, { parameters });
    // Act
    const ids = (type: string) =>
      deployedResources(evaluation)
        .filter((resource) => resource.type === type)
        .map((resource) => resource.logicalId)
        .filter((id) => id.startsWith('Notification'));
    // Assess
    expect(ids('AWS::CloudWatch::Alarm')).toEqual(alarms);
    expect(ids('AWS::Events::Rule')).toEqual(rules);
  });

  it('alarms on the NotificationsFailed metric the function emits (namespace, service dimension)', () => {
    // Prepare
    const alarm = deployedResource(defaults, 'NotificationsFailedAlarm');
    const fn = deployedResource(defaults, 'RemediatorFunction');
    const variables = (fn.properties.Environment as CfnObject).Variables as CfnObject;
    // Act
    const { Namespace, MetricName, Dimensions } = alarm.properties;
    // Assess
    expect(MetricName).toBe('NotificationsFailed');
    expect(Namespace).toBe(variables.POWERTOOLS_METRICS_NAMESPACE);
    expect(Dimensions).toEqual([{ Name: 'service', Value: variables.POWERTOOLS_SERVICE_NAME }]);
  });

  it("sends this account's Needs Decision, Refused and Failed to the topic as facts, not commands", () => {
    // Prepare
    const evaluation = bindTemplate(template, { parameters: { NotificationTopicArn: TOPIC } });
    const rule = deployedResource(evaluation, 'NotificationTopicRule');
    // Act
    const [target] = rule.properties.Targets as CfnObject[];
    const transformer = target?.InputTransformer as CfnObject;
    // Assess
    expect(rule.properties.EventBusName).toBe('default');
    expect(rule.properties.EventPattern).toEqual({
      account: ['123456789012'],
      source: ['rotation-remediator'],
      'detail-type': [
        'Rotation Remediation Needs Decision',
        'Rotation Remediation Refused',
        'Rotation Remediation Failed',
      ],
      detail: {
        secret: { arn: [{ prefix: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:' }] },
      },
    });
    expect(target?.Arn).toBe(TOPIC);
    // facts only (issue 21): nothing the event's author writes as text, no command
    expect(Object.values(transformer.InputPathsMap as CfnObject).sort()).toEqual([
      '$.detail-type',
      '$.detail.decide.pendingVersionId',
      '$.detail.decision.rule',
      '$.detail.secret.arn',
    ]);
    expect(String(transformer.InputTemplate)).toMatch(
      /^"<detailType>: secret <arn>, pending version <pending>, decision rule <rule>\. [^<]*"$/
    );
    // the command a person runs is the CLI's pinned decide, built from those facts
    expect(String(transformer.InputTemplate)).toContain(
      'rotation-remediator decide --secret-id SECRET_ARN --expected-pending-version PENDING_VERSION --promote|--discard'
    );
  });
});

describe('the optional rotation-failed alarm', () => {
  it.each([
    ['nothing', '', '', []],
    ['a secret but no CloudTrail log group', '', SECRET_ARN, []],
    ['a CloudTrail log group only', 'cloudtrail/management', '', ['RotationFailedMetricFilter']],
    [
      'both',
      'cloudtrail/management',
      SECRET_ARN,
      ['RotationFailedMetricFilter', 'RotationFailedAlarm'],
    ],
  ] as const)('with %s deploys %j', (_case, logGroup, secretArn, expected) => {
    // Prepare
    const evaluation = bindTemplate(template, {
      parameters: { CloudTrailLogGroupName: logGroup, AlarmSecretArn: secretArn },
    });
    // Act
    const deployed = deployedResources(evaluation)
      .map((resource) => resource.logicalId)
      .filter((logicalId) => logicalId.startsWith('RotationFailed'));
    // Assess
    expect(deployed).toEqual(expected);
  });

  const evaluation = bindTemplate(template, {
    parameters: {
      CloudTrailLogGroupName: 'cloudtrail/management',
      AlarmSecretArn: SECRET_ARN,
      RotationFailedAlarmThreshold: '2',
      RotationFailedAlarmPeriod: '900',
    },
  });
  const filter = deployedResource(evaluation, 'RotationFailedMetricFilter');
  const alarm = deployedResource(evaluation, 'RotationFailedAlarm');

  it('counts CloudTrail RotationFailed events per SecretId', () => {
    // Prepare: the metric filter
    // Act
    const { LogGroupName, FilterPattern, MetricTransformations } = filter.properties;
    // Assess
    expect(LogGroupName).toBe('cloudtrail/management');
    expect(FilterPattern).toBe(
      '{ $.eventSource = "secretsmanager.amazonaws.com" && $.eventName = "RotationFailed" }'
    );
    expect(MetricTransformations).toEqual([
      {
        MetricNamespace: 'RotationRemediator',
        MetricName: 'RotationFailed',
        MetricValue: '1',
        Unit: 'Count',
        Dimensions: [{ Key: 'SecretId', Value: '$.additionalEventData.SecretId' }],
      },
    ]);
  });

  it('watches the metric of one secret and carries its SecretId dimension', () => {
    // Prepare
    const [transformation] = filter.properties.MetricTransformations as CfnObject[];
    // Act
    const { Namespace, MetricName, Dimensions, Threshold, Period, Statistic } = alarm.properties;
    // Assess
    expect([Namespace, MetricName]).toEqual([
      transformation?.MetricNamespace,
      transformation?.MetricName,
    ]);
    expect(Dimensions).toEqual([{ Name: 'SecretId', Value: SECRET_ARN }]);
    expect(SECRET_DIMENSION_NAMES).toContain('SecretId');
    expect([Threshold, Period, Statistic]).toEqual(['2', '900', 'Sum']);
  });
});

describe('the log group', () => {
  it("is the function's, with the configured retention", () => {
    // Prepare
    const evaluation = bindTemplate(template, { parameters: { LogRetentionDays: '30' } });
    // Act
    const group = deployedResource(evaluation, 'FunctionLogGroup');
    // Assess
    expect(group.properties).toEqual({
      LogGroupName: '/aws/lambda/{{RemediatorFunction}}',
      RetentionInDays: '30',
    });
  });
});

describe('outputs', () => {
  it.each([
    ['ApiUrl', 'https://{{RemediationsApi}}.execute-api.us-east-1.amazonaws.com/remediations'],
    ['FunctionArn', '{{RemediatorFunction.Arn}}'],
    ['IdempotencyTableName', '{{IdempotencyTable}}'],
    ['FailureQueueUrl', '{{FailureQueue}}'],
  ] as const)('%s is %s', (name, expected) => {
    // Prepare
    const output = template.Outputs?.[name];
    // Act
    const value = output === undefined ? undefined : evaluate(defaults, output.Value);
    // Assess
    expect(value).toBe(expected);
  });
});

/** Reads the `key = value` lines of one `[section]` of a TOML file (strings, booleans, numbers). */
const tomlSection = (text: string, section: string): Record<string, string | boolean | number> => {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `[${section}]`);
  if (start < 0) throw new Error(`samconfig.toml has no [${section}]`);
  const entries: [string, string | boolean | number][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('[')) break;
    const match = /^\s*([\w-]+)\s*=\s*(.+?)\s*$/.exec(line);
    if (match === null) continue;
    const [, key = '', raw = ''] = match;
    entries.push([key, JSON.parse(raw) as string | boolean | number]);
  }
  return Object.fromEntries(entries);
};

/** Splits SAM's `parameter_overrides` string (`Key="value" Key2="value 2"`). */
const parameterOverrides = (overrides: string): Record<string, string> =>
  Object.fromEntries(
    Array.from(overrides.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g), ([, key = '', value = '']) => [
      key,
      value,
    ])
  );

describe('samconfig.toml', () => {
  const text = readFileSync(resolve(REPO_ROOT, 'samconfig.toml'), 'utf8');

  it.each([
    ['default.global.parameters', 'stack_name', 'rotation-remediator'],
    ['default.deploy.parameters', 'capabilities', 'CAPABILITY_IAM'],
    ['default.deploy.parameters', 'confirm_changeset', true],
    ['default.deploy.parameters', 'resolve_s3', true],
  ] as const)('[%s] sets %s to %j', (section, key, expected) => {
    // Prepare: the file
    // Act
    const value = tomlSection(text, section)[key];
    // Assess
    expect(value).toBe(expected);
  });

  it('declares version 0.1', () => {
    // Prepare: the file
    // Act
    const version = /^version\s*=\s*(.+)$/m.exec(text)?.[1];
    // Assess
    expect(version).toBe('0.1');
  });

  it('overrides only template parameters, with values the template accepts', () => {
    // Prepare
    const overrides = parameterOverrides(
      String(tomlSection(text, 'default.deploy.parameters').parameter_overrides)
    );
    // Act
    const bind = (): unknown => bindTemplate(template, { parameters: overrides });
    // Assess
    expect(Object.keys(overrides).length).toBeGreaterThan(0);
    expect(bind).not.toThrow();
  });
});
