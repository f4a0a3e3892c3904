/**
 * template.yaml against the AWS resource specification shipped by `@aws-cdk/aws-service-spec`
 * (see spec-validator.ts for what is and is not checked). The broken copies prove the validator
 * reports what it claims to; the patch checks keep the SAM corrections honest.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { SpecDatabase } from '@aws-cdk/service-spec-types';
import type { CfnObject, CfnTemplate } from '../../helpers/cfn';
import { isObject, loadTemplate } from '../../helpers/cfn';
import { SAM_SPEC_PATCHES, SpecValidator } from './spec-validator';

let db: SpecDatabase;
let validator: SpecValidator;

beforeAll(() => {
  db = loadAwsServiceSpecSync();
  validator = new SpecValidator(db);
});

/** The object at a dotted path of a template copy (creating nothing). */
const at = (template: CfnTemplate, path: string): CfnObject => {
  const found = path
    .split('.')
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), template);
  if (!isObject(found)) throw new Error(`no object at ${path}`);
  return found;
};

describe('template.yaml', () => {
  it('passes the resource specification', () => {
    // Prepare
    const template = loadTemplate();
    // Act
    const issues = validator.validate(template);
    // Assess
    expect(issues).toEqual([]);
  });

  it('uses only resource types the specification knows', () => {
    // Prepare
    const types = [
      ...new Set(Object.values(loadTemplate().Resources).map((resource) => resource.Type)),
    ];
    // Act
    const unknown = types.filter((type) => validator.resourceSpec(type) === undefined);
    // Assess
    expect(unknown).toEqual([]);
  });
});

describe('a broken copy of template.yaml', () => {
  const FN = 'Resources.RemediatorFunction.Properties';

  it.each([
    [
      'a misspelt CloudFormation property',
      (t: CfnTemplate) => {
        at(t, 'Resources.FailureQueue.Properties').SqsManagedSseEnable = true;
      },
      'Resources.FailureQueue.Properties.SqsManagedSseEnable',
      'unknown property',
    ],
    [
      'a nested property of the wrong type',
      (t: CfnTemplate) => {
        at(t, 'Resources.IdempotencyTable.Properties.TimeToLiveSpecification').Enabled = 'yes';
      },
      'Resources.IdempotencyTable.Properties.TimeToLiveSpecification.Enabled',
      'expected a boolean',
    ],
    [
      'a list where a map is expected',
      (t: CfnTemplate) => {
        at(t, 'Resources.IdempotencyTable.Properties').SSESpecification = [{ SSEEnabled: true }];
      },
      'Resources.IdempotencyTable.Properties.SSESpecification',
      'expected a SSESpecification map',
    ],
    [
      'a missing required property',
      (t: CfnTemplate) => {
        delete at(t, 'Resources.IdempotencyTable.Properties').KeySchema;
      },
      'Resources.IdempotencyTable.Properties.KeySchema',
      'is required',
    ],
    [
      'a non-numeric integer',
      (t: CfnTemplate) => {
        at(t, 'Resources.FunctionErrorsAlarm.Properties').Period = 'five minutes';
      },
      'Resources.FunctionErrorsAlarm.Properties.Period',
      'expected a integer',
    ],
    [
      'a misspelt SAM function property',
      (t: CfnTemplate) => {
        at(t, FN).Runtimee = 'nodejs24.x';
      },
      `${FN}.Runtimee`,
      'unknown property',
    ],
    [
      'a misspelt SAM event property',
      (t: CfnTemplate) => {
        const properties = at(t, `${FN}.Events.RotationFailed.Properties`);
        properties.Patern = properties.Pattern ?? null;
        delete properties.Pattern;
      },
      `${FN}.Events.RotationFailed.Properties.Patern`,
      'unknown property',
    ],
    [
      'an unknown SAM event type',
      (t: CfnTemplate) => {
        at(t, `${FN}.Events.RotationFailed`).Type = 'EventBridgeRules';
      },
      `${FN}.Events.RotationFailed.Properties`,
      'event Type EventBridgeRules is not in the spec',
    ],
    [
      'a misspelt SAM HttpApi auth property',
      (t: CfnTemplate) => {
        at(t, 'Resources.RemediationsApi.Properties.Auth').EnableIamAuthoriser = true;
      },
      'Resources.RemediationsApi.Properties.Auth.EnableIamAuthoriser',
      'unknown property',
    ],
    [
      'a wrong type in one branch of Fn::If',
      (t: CfnTemplate) => {
        at(t, FN).ReservedConcurrentExecutions = {
          'Fn::If': ['HasReservedConcurrency', [5], { Ref: 'AWS::NoValue' }],
        };
      },
      `${FN}.ReservedConcurrentExecutions[Fn::If true]`,
      'expected a number',
    ],
    [
      'an unknown resource type',
      (t: CfnTemplate) => {
        t.Resources.FailureQueue = { Type: 'AWS::SQS::Queues', Properties: {} };
      },
      'Resources.FailureQueue.Type',
      'unknown resource type',
    ],
    [
      'a GetAtt of an attribute the resource lacks',
      (t: CfnTemplate) => {
        at(t, 'Outputs.FailureQueueArn').Value = { 'Fn::GetAtt': ['FailureQueue', 'Arnn'] };
      },
      'Outputs.FailureQueueArn.Value',
      'has no attribute Arnn',
    ],
    [
      'a Ref to nothing',
      (t: CfnTemplate) => {
        at(t, `${FN}.Environment.Variables`).REQUIRED_TAG = { Ref: 'RequiredTags' };
      },
      `${FN}.Environment.Variables.REQUIRED_TAG`,
      'Ref to unknown RequiredTags',
    ],
    [
      'a Sub variable that is nothing',
      (t: CfnTemplate) => {
        at(t, 'Resources.FunctionErrorsAlarm.Properties').AlarmName = {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
          'Fn::Sub': '${StackName}-x',
        };
      },
      'Resources.FunctionErrorsAlarm.Properties.AlarmName',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the validator's message quotes Fn::Sub
      'Fn::Sub variable ${StackName} is unknown',
    ],
    [
      'an unknown condition',
      (t: CfnTemplate) => {
        at(t, 'Resources.RotationFailedAlarm').Condition = 'CreateAlarm';
      },
      'Resources.RotationFailedAlarm.Condition',
      'unknown condition CreateAlarm',
    ],
    [
      'a misspelt resource attribute',
      (t: CfnTemplate) => {
        at(t, 'Resources.IdempotencyTable').DeletionPolicies = 'Delete';
      },
      'Resources.IdempotencyTable.DeletionPolicies',
      'is not a resource attribute',
    ],
  ] as const)('reports %s', (_case, breakIt, path, message) => {
    // Prepare
    const template = loadTemplate();
    breakIt(template);
    // Act
    const issues = validator.validate(template);
    // Assess
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });
});

describe('SAM_SPEC_PATCHES', () => {
  it.each(
    SAM_SPEC_PATCHES.map((patch) => [`${patch.definition}.${patch.property}`, patch] as const)
  )('%s still corrects the spec (remove it once the spec catches up)', (_name, patch) => {
    // Prepare
    const resource = validator.resourceSpec(patch.resourceType);
    const definition = db
      .all('typeDefinition')
      .find(
        (candidate) =>
          candidate.name === patch.definition &&
          resource !== undefined &&
          db.follow('usesType', resource).some((link) => link.entity === candidate)
      );
    // Act
    const property = definition?.properties[patch.property];
    // Assess
    expect(resource).toBeDefined();
    expect(definition).toBeDefined();
    if (patch.add !== undefined) expect(property).toBeUndefined();
    if (patch.optional === true) expect(property?.required).toBe(true);
    expect(patch.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});
