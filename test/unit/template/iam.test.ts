/**
 * The function's IAM permissions equal what the code sends, derived from the code: Secrets Manager
 * operations from the command classes src/ imports, DynamoDB operations from the commands the
 * Powertools DynamoDB persistence layer sends. No wildcard, nothing that touches a secret value.
 */
import { readFileSync } from 'node:fs';
import { parseRequiredTag } from '../../../src/settings';
import type { CfnObject, CfnValue, Evaluation } from '../../helpers/cfn';
import {
  bindTemplate,
  deployedResource,
  deployedResources,
  isObject,
  loadTemplate,
} from '../../helpers/cfn';
import {
  awsSdkPackagesIn,
  cloudTrailActionsIn,
  commandsImportedFrom,
  diffActions,
  dynamoDbActionsSentIn,
  eventBridgeActionsIn,
  functionSourceText,
  isSecretValueAction,
  isWildcardAction,
  POWERTOOLS_DYNAMODB_LAYER,
  rotationFunctionActionsIn,
  secretsManagerActionsIn,
} from './derive';

/** One Allow statement of the role, normalised. */
interface Statement {
  policy: string;
  sid: string | undefined;
  actions: string[];
  resources: string[];
  condition: CfnObject | undefined;
  notAction: boolean;
}

const template = loadTemplate();
const src = functionSourceText(template, 'RemediatorFunction');

const asList = (value: CfnValue | undefined): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

const toStatements = (policy: string, document: CfnValue): Statement[] => {
  const parsed: CfnValue =
    typeof document === 'string' ? (JSON.parse(document) as CfnValue) : document;
  if (!isObject(parsed)) throw new Error(`${policy}: policy document is not an object`);
  return (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement ?? null]).map(
    (statement) => {
      if (!isObject(statement)) throw new Error(`${policy}: statement is not an object`);
      if (statement.Effect !== 'Allow')
        throw new Error(`${policy}: only Allow statements expected`);
      return {
        policy,
        sid: typeof statement.Sid === 'string' ? statement.Sid : undefined,
        actions: asList(statement.Action),
        resources: asList(statement.Resource),
        condition: isObject(statement.Condition) ? statement.Condition : undefined,
        notAction: statement.NotAction !== undefined || statement.NotResource !== undefined,
      };
    }
  );
};

/** Every Allow statement the function's role gets: inline policies and attached RolePolicies. */
const roleStatements = (evaluation: Evaluation): Statement[] => {
  const role = deployedResource(evaluation, 'RemediatorRole');
  const inline = (Array.isArray(role.properties.Policies) ? role.properties.Policies : []).flatMap(
    (policy) =>
      isObject(policy) ? toStatements(String(policy.PolicyName), policy.PolicyDocument ?? null) : []
  );
  const attached = deployedResources(evaluation)
    .filter((resource) => resource.type === 'AWS::IAM::RolePolicy')
    .filter((resource) => resource.properties.RoleName === '{{RemediatorRole}}')
    .flatMap((resource) =>
      toStatements(
        String(resource.properties.PolicyName),
        resource.properties.PolicyDocument ?? null
      )
    );
  return [...inline, ...attached];
};

const actionsOf = (statements: Statement[], service: string): string[] =>
  [...new Set(statements.flatMap((statement) => statement.actions))]
    .filter((action) => action.startsWith(`${service}:`))
    .sort();

const TAG_CASES = [
  ['no RequiredTag', ''],
  ['RequiredTag rr:remediate=true', 'rr:remediate=true'],
  ['RequiredTag with spaces inside', 'team name=platform ops'],
] as const;

/** Services the role may reach at all. */
const ALLOWED_SERVICES = [
  'cloudtrail',
  'dynamodb',
  'events',
  'lambda',
  'logs',
  'secretsmanager',
  'sqs',
] as const;

describe.each(TAG_CASES)('the role with %s', (_case, requiredTag) => {
  const evaluation = bindTemplate(template, { parameters: { RequiredTag: requiredTag } });
  const statements = roleStatements(evaluation);

  it('grants exactly the Secrets Manager operations its code imports (no resume without functions)', () => {
    // Prepare: RotateSecret only with RotationFunctionArns (the translated template's test)
    const needed = secretsManagerActionsIn(src).filter(
      (action) => action !== 'secretsmanager:RotateSecret'
    );
    // Act
    const diff = diffActions(actionsOf(statements, 'secretsmanager'), needed);
    // Assess
    expect(needed.length).toBeGreaterThan(0);
    expect(diff).toEqual({ missing: [], extra: [] });
  });

  it('grants exactly the DynamoDB operations the Powertools persistence layer sends (plus any its code sends)', () => {
    // Prepare
    const needed = [
      ...dynamoDbActionsSentIn(readFileSync(POWERTOOLS_DYNAMODB_LAYER, 'utf8')),
      ...commandsImportedFrom(src, '@aws-sdk/client-dynamodb').map((op) => `dynamodb:${op}`),
      ...commandsImportedFrom(src, '@aws-sdk/lib-dynamodb').map((op) => `dynamodb:${op}`),
    ];
    // Act
    const diff = diffActions(actionsOf(statements, 'dynamodb'), needed);
    // Assess
    expect(needed.length).toBeGreaterThan(0);
    expect(diff).toEqual({ missing: [], extra: [] });
  });

  it.each([
    ['sqs', ['sqs:SendMessage'], ['{{FailureQueue.Arn}}']],
    ['logs', ['logs:CreateLogStream', 'logs:PutLogEvents'], ['{{FunctionLogGroup.Arn}}']],
    [
      'dynamodb',
      ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      ['{{IdempotencyTable.Arn}}'],
    ],
    ['events', ['events:PutEvents'], ['arn:aws:events:us-east-1:123456789012:event-bus/default']],
    [
      'secretsmanager',
      [
        'secretsmanager:CancelRotateSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      ['arn:aws:secretsmanager:us-east-1:123456789012:secret:*'],
    ],
  ] as const)('scopes %s to its own resources', (service, actions, resources) => {
    // Prepare (ListSecrets takes no resource but "*": its own test below)
    const forService = statements.filter(
      (statement) =>
        statement.actions.some((action) => action.startsWith(`${service}:`)) &&
        !isListSecretsOnly(statement)
    );
    // Act
    const granted = actionsOf(forService, service);
    const scopes = [...new Set(forService.flatMap((statement) => statement.resources))].sort();
    // Assess
    expect(granted).toEqual(actions);
    expect(scopes).toEqual(resources);
  });

  it('reaches no other service, and grants no wildcard or secret-value action', () => {
    // Prepare
    const actions = statements.flatMap((statement) => statement.actions);
    // Act
    const services = [...new Set(actions.map((action) => action.split(':')[0]))].sort();
    // Assess
    // lambda only with RotationFunctionArns (none here; the translated template's test)
    expect(services).toEqual(ALLOWED_SERVICES.filter((service) => service !== 'lambda'));
    expect(actions.filter(isWildcardAction)).toEqual([]);
    expect(actions.filter(isSecretValueAction)).toEqual([]);
    expect(statements.filter((statement) => statement.notAction)).toEqual([]);
    expect(
      statements
        .filter((statement) => !isListSecretsOnly(statement) && !isLookupEventsOnly(statement))
        .flatMap((s) => s.resources)
    ).not.toContain('*');
  });

  it('grants ListSecrets (the sweep) alone in its statement, the one action on "*"', () => {
    // Prepare
    const listing = statements.filter((statement) =>
      statement.actions.includes('secretsmanager:ListSecrets')
    );
    // Act
    const shapes = listing.map((statement) => ({
      actions: statement.actions,
      resources: statement.resources,
      condition: statement.condition,
    }));
    // Assess
    expect(shapes).toEqual([
      { actions: ['secretsmanager:ListSecrets'], resources: ['*'], condition: undefined },
    ]);
  });

  it('puts the RequiredTag condition on the writes, as the planner parses the tag', () => {
    // Prepare
    const tag = parseRequiredTag(requiredTag);
    const writes = statements.filter((statement) =>
      statement.actions.some((action) =>
        [
          'secretsmanager:CancelRotateSecret',
          'secretsmanager:RotateSecret',
          'secretsmanager:UpdateSecretVersionStage',
        ].includes(action)
      )
    );
    // Act
    const conditions = writes.map((statement) => statement.condition);
    // Assess
    expect(writes.length).toBeGreaterThan(0);
    expect(conditions).toEqual(
      writes.map(() =>
        tag === undefined
          ? undefined
          : { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } }
      )
    );
  });

  it('leaves DescribeSecret unconditioned so the planner can refuse out-of-scope secrets itself', () => {
    // Prepare
    const reads = statements.filter((statement) =>
      statement.actions.includes('secretsmanager:DescribeSecret')
    );
    // Act
    const conditioned = reads.filter((statement) => statement.condition !== undefined);
    // Assess
    expect(reads.length).toBe(1);
    expect(conditioned).toEqual([]);
  });
});

/** The sweep's ListSecrets statement: ListSecrets accepts no resource but "*". */
const isListSecretsOnly = (statement: { actions: readonly string[] }): boolean =>
  statement.actions.length === 1 && statement.actions[0] === 'secretsmanager:ListSecrets';

/** True for the failed-step history's statement: LookupEvents alone (it accepts only "*"). */
const isLookupEventsOnly = (statement: { actions: readonly string[] }): boolean =>
  statement.actions.length === 1 && statement.actions[0] === 'cloudtrail:LookupEvents';

describe('the function and its role', () => {
  const evaluation = bindTemplate(template);

  it('uses its own role: no SAM policy templates, no managed policies', () => {
    // Prepare
    const fn = deployedResource(evaluation, 'RemediatorFunction');
    const role = deployedResource(evaluation, 'RemediatorRole');
    // Act
    const samPolicies = fn.properties.Policies;
    // Assess
    expect(fn.properties.Role).toBe('{{RemediatorRole.Arn}}');
    expect(samPolicies).toBeUndefined();
    expect(role.properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets only Lambda assume the role', () => {
    // Prepare
    const role = deployedResource(evaluation, 'RemediatorRole');
    // Act
    const trust = role.properties.AssumeRolePolicyDocument;
    // Assess
    expect(trust).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
  });

  it('uses only AWS SDK clients whose permissions these tests derive', () => {
    // Prepare: the clients whose operations are derived above
    const derived = [
      '@aws-sdk/client-cloudtrail',
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-eventbridge',
      '@aws-sdk/client-secrets-manager',
    ];
    // Act
    const used = awsSdkPackagesIn(src);
    // Assess
    expect(used.filter((name) => !derived.includes(name))).toEqual([]);
  });

  it('starts only after the Secrets Manager policy exists', () => {
    // Prepare
    const fn = template.Resources.RemediatorFunction;
    // Act
    const dependsOn = [fn?.DependsOn ?? []].flat();
    // Assess
    expect(dependsOn).toContain('SecretsManagerPolicy');
  });
});

describe.each([
  ['the default bus', 'default', ['arn:aws:events:us-east-1:123456789012:event-bus/default']],
  [
    'a bus of this account',
    'ops-events',
    ['arn:aws:events:us-east-1:123456789012:event-bus/ops-events'],
  ],
  [
    'a central bus of another account (ARN)',
    'arn:aws:events:us-east-1:210987654321:event-bus/central',
    ['arn:aws:events:us-east-1:210987654321:event-bus/central'],
  ],
  ['no events (none)', 'none', []],
] as const)('the outcome events with EventBusName %s', (_case, eventBusName, buses) => {
  const statements = roleStatements(
    bindTemplate(template, { parameters: { EventBusName: eventBusName } })
  );
  const forEvents = statements.filter((statement) =>
    statement.actions.some((action) => action.startsWith('events:'))
  );

  it('grants exactly the EventBridge operations its code imports, on that bus only', () => {
    // Prepare
    const needed = eventBridgeActionsIn(src);
    // Act
    const diff = diffActions(actionsOf(forEvents, 'events'), buses.length === 0 ? [] : needed);
    const scopes = [...new Set(forEvents.flatMap((statement) => statement.resources))].sort();
    // Assess
    expect(needed).toEqual(['events:PutEvents']);
    expect(diff).toEqual({ missing: [], extra: [] });
    expect(scopes).toEqual(buses);
    expect(forEvents.filter((statement) => statement.condition !== undefined)).toEqual([]);
  });
});

describe.each([
  ['the default (none listed)', '', []],
  [
    'two functions listed',
    'arn:aws:lambda:us-east-1:123456789012:function:rotate-a,arn:aws:lambda:us-east-1:123456789012:function:rotate-b:live',
    [
      'arn:aws:lambda:us-east-1:123456789012:function:rotate-a',
      'arn:aws:lambda:us-east-1:123456789012:function:rotate-b:live',
    ],
  ],
] as const)('the rotation functions with RotationFunctionArns %s', (_case, arns, resources) => {
  const statements = roleStatements(
    bindTemplate(template, { parameters: { RotationFunctionArns: arns } })
  );
  const forLambda = statements.filter((statement) =>
    statement.actions.some((action) => action.startsWith('lambda:'))
  );

  it('grants exactly what RotateSecret needs of Lambda, on those functions only', () => {
    // Prepare
    const needed = rotationFunctionActionsIn(src);
    // Act
    const diff = diffActions(actionsOf(forLambda, 'lambda'), resources.length === 0 ? [] : needed);
    const scopes = [...new Set(forLambda.flatMap((statement) => statement.resources))].sort();
    // Assess
    expect(needed).toEqual(['lambda:InvokeFunction']);
    expect(diff).toEqual({ missing: [], extra: [] });
    expect(scopes).toEqual(resources);
  });
});

describe.each([
  ['on', ['cloudtrail:LookupEvents']],
  ['off', []],
] as const)('the failed-step history with FailedStepLookup %s', (lookup, granted) => {
  const statements = roleStatements(
    bindTemplate(template, { parameters: { FailedStepLookup: lookup } })
  );
  const forCloudTrail = statements.filter((statement) =>
    statement.actions.some((action) => action.startsWith('cloudtrail:'))
  );

  it('grants exactly the CloudTrail operations its code uses, alone on "*", or nothing', () => {
    // Prepare
    const needed = cloudTrailActionsIn(src);
    // Act
    const diff = diffActions(
      actionsOf(forCloudTrail, 'cloudtrail'),
      granted.length === 0 ? [] : needed
    );
    const shapes = forCloudTrail.map((statement) => ({
      actions: statement.actions,
      resources: statement.resources,
      condition: statement.condition,
    }));
    // Assess
    expect(needed).toEqual(['cloudtrail:LookupEvents']);
    expect(diff).toEqual({ missing: [], extra: [] });
    expect(shapes).toEqual(
      granted.length === 0
        ? []
        : [{ actions: [...granted], resources: ['*'], condition: undefined }]
    );
  });
});
