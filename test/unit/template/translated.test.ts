/**
 * template.yaml as it deploys: translated by the SAM translator, then evaluated for parameter values.
 * A SAM property whose effect the translator decides (a Schedule event's State) is checked here, on
 * its output, not on the SAM source.
 */
import type { CfnObject, CfnTemplate } from '../../helpers/cfn';
import { bindTemplate, deployedResources, isObject, loadTemplate } from '../../helpers/cfn';
import { functionSourceText, rotationFunctionActionsIn, secretsManagerActionsIn } from './derive';
import { translateTemplate } from './sam-translate';

let translated: CfnTemplate;

beforeAll(async () => {
  translated = await translateTemplate(loadTemplate());
});

describe('the translated sweep schedule', () => {
  it.each([
    ['empty (no sweep)', '', 'DISABLED'],
    ['hourly', 'rate(1 hour)', 'ENABLED'],
    ['a cron expression', 'cron(0 3 * * ? *)', 'ENABLED'],
  ] as const)('with SweepSchedule %s: %s', (_case, schedule, state) => {
    // Prepare
    const evaluation = bindTemplate(translated, { parameters: { SweepSchedule: schedule } });
    // Act
    const rules = deployedResources(evaluation).filter(
      (resource) =>
        resource.type === 'AWS::Events::Rule' &&
        resource.properties.ScheduleExpression !== undefined
    );
    // Assess
    expect(rules.map((rule) => rule.properties.State)).toEqual([state]);
    if (schedule !== '') expect(rules[0]?.properties.ScheduleExpression).toBe(schedule);
  });
});

/** One Allow statement of the role's policies in a translated, evaluated template. */
interface Grant {
  actions: string[];
  resources: string[];
  condition: CfnObject | undefined;
}

const listOf = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

/** Every statement the role's policies (RolePolicy resources) grant, for these parameters. */
const grantsOf = (parameters: Record<string, string>): Grant[] =>
  deployedResources(bindTemplate(translated, { parameters }))
    .filter((resource) => resource.type === 'AWS::IAM::RolePolicy')
    .flatMap((resource) => {
      const document = resource.properties.PolicyDocument;
      const parsed: unknown = typeof document === 'string' ? JSON.parse(document) : document;
      const statements = isObject(parsed) ? parsed.Statement : [];
      return (Array.isArray(statements) ? statements : []).filter(isObject).map((statement) => ({
        actions: listOf(statement.Action),
        resources: listOf(statement.Resource),
        condition: isObject(statement.Condition) ? statement.Condition : undefined,
      }));
    });

const FUNCTIONS = [
  'arn:aws:lambda:us-east-1:123456789012:function:rotate-a',
  'arn:aws:lambda:us-east-1:123456789012:function:rotate-b:live',
];

describe('the translated role and the rotation functions', () => {
  const src = functionSourceText(loadTemplate(), 'RemediatorFunction');
  const resumeActions = [
    ...secretsManagerActionsIn(src).filter((action) => action === 'secretsmanager:RotateSecret'),
    ...rotationFunctionActionsIn(src),
  ];

  it('grants neither InvokeFunction nor RotateSecret when no function is configured', () => {
    // Prepare
    const grants = grantsOf({ RotationFunctionArns: '' });
    // Act
    const granted = grants.flatMap((grant) => grant.actions);
    // Assess
    expect(resumeActions).toEqual(['secretsmanager:RotateSecret', 'lambda:InvokeFunction']);
    expect(granted.filter((action) => resumeActions.includes(action))).toEqual([]);
  });

  it.each([
    ['no RequiredTag', '', {}],
    ['RequiredTag team=platform', 'team=platform', { 'aws:ResourceTag/team': 'platform' }],
  ] as const)(
    'limits both to the configured functions with %s',
    (_case, requiredTag, tagCondition) => {
      // Prepare
      const grants = grantsOf({
        RotationFunctionArns: FUNCTIONS.join(','),
        RequiredTag: requiredTag,
      });
      // Act
      const invoke = grants.filter((grant) => grant.actions.includes('lambda:InvokeFunction'));
      const rotate = grants.filter((grant) =>
        grant.actions.includes('secretsmanager:RotateSecret')
      );
      // Assess
      expect(invoke.map((grant) => grant.resources)).toEqual([FUNCTIONS]);
      expect(rotate.map((grant) => [grant.actions, grant.condition])).toEqual([
        [
          ['secretsmanager:RotateSecret'],
          { StringEquals: { 'secretsmanager:RotationLambdaARN': FUNCTIONS, ...tagCondition } },
        ],
      ]);
    }
  );
});
