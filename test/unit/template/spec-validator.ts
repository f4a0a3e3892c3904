/**
 * Checks a template against the AWS resource specification that `@aws-cdk/aws-service-spec` ships
 * (the database AWS CDK generates its L1 constructs from: every CloudFormation resource type from
 * the CloudFormation registry schemas, plus the AWS::Serverless::* types from the SAM
 * specification).
 *
 * What it checks: section and resource-attribute names; resource types exist; every property name
 * of every resource and nested property type exists; required properties are present; value shapes
 * (string, number, integer, boolean, list, map, nested type, union, tag) match, accepting what
 * CloudFormation coerces (`"5"` for a number); both branches of `Fn::If`; `Ref`, `Fn::GetAtt`
 * (with the attribute name), `Fn::Sub` variables, `DependsOn` and condition names resolve.
 *
 * What it does not check: value constraints (enums such as Runtime, patterns, min/max), rules that
 * span properties, the types intrinsic functions return, IAM policy semantics, SAM transform
 * semantics (what SAM generates, event source rules), and service behaviour. The SAM half of the
 * spec is an older snapshot than the SAM translator: {@link SAM_SPEC_PATCHES} lists, with sources,
 * the corrections this project needs.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type {
  Property,
  PropertyType,
  Resource,
  SpecDatabase,
  TypeDefinition,
} from '@aws-cdk/service-spec-types';
import type { CfnTemplate, CfnValue } from '../../helpers/cfn';
import { DEFAULT_PSEUDO_PARAMETERS, intrinsicName, isObject } from '../../helpers/cfn';

/** One finding: where and what. */
export interface SpecIssue {
  path: string;
  message: string;
}

/** A correction to the SAM part of the spec, with the reason and a source for it. */
export interface SpecPatch {
  /** The resource type whose property map (or nested type) is patched. */
  resourceType: string;
  /** The nested type definition's name; absent for the resource's own properties. */
  definition?: string;
  property: string;
  /** Adds the property with this type. */
  add?: PropertyType;
  /** Marks an existing property optional. */
  optional?: true;
  reason: string;
  source: string;
}

/**
 * Corrections to the spec's SAM snapshot, each confirmed by the SAM documentation. Keep this list
 * short and sourced: a patch hides a real difference between the spec and SAM.
 */
export const SAM_SPEC_PATCHES: readonly SpecPatch[] = [
  {
    resourceType: 'AWS::Serverless::HttpApi',
    definition: 'HttpApiAuth',
    property: 'EnableIamAuthorizer',
    add: { type: 'boolean' },
    reason:
      'Added to SAM in 2021 (aws/serverless-application-model#1924); the spec snapshot predates it.',
    source:
      'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapiauth.html',
  },
  {
    resourceType: 'AWS::Serverless::Function',
    definition: 'EventInvokeDestinationConfig',
    property: 'OnSuccess',
    optional: true,
    reason: 'SAM documents OnSuccess as optional (only one destination may be set).',
    source:
      'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokedestinationconfiguration.html',
  },
  {
    resourceType: 'AWS::Serverless::Function',
    definition: 'EventInvokeDestinationConfig',
    property: 'OnFailure',
    optional: true,
    reason: 'SAM documents OnFailure as optional (only one destination may be set).',
    source:
      'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokedestinationconfiguration.html',
  },
] as const;

/** The CloudFormation type a SAM resource's logical id keeps after the transform (for GetAtt). */
export const SAM_GENERATED_TYPES: Readonly<Record<string, string>> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::LayerVersion': 'AWS::Lambda::LayerVersion',
};

const TEMPLATE_SECTIONS = [
  'AWSTemplateFormatVersion',
  'Transform',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Rules',
  'Resources',
  'Outputs',
  'Globals',
] as const;

const RESOURCE_ATTRIBUTES = [
  'Type',
  'Properties',
  'Condition',
  'DependsOn',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
] as const;

const PARAMETER_TYPES =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:<>-]+|List<AWS::[A-Za-z0-9:<>-]+>)$/;

const describe = (value: unknown): string => {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
};

/** Validates templates against one loaded copy of the specification. */
export class SpecValidator {
  readonly #db: SpecDatabase;
  readonly #patches: readonly SpecPatch[];

  public constructor(db: SpecDatabase = loadAwsServiceSpecSync(), patches = SAM_SPEC_PATCHES) {
    this.#db = db;
    this.#patches = patches;
  }

  /** The spec's entry for a resource type, or undefined. */
  public resourceSpec(type: string): Resource | undefined {
    return this.#db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
  }

  /** Every issue of `template`; empty means it passed. */
  public validate(template: CfnTemplate): SpecIssue[] {
    const issues: SpecIssue[] = [];
    for (const section of Object.keys(template)) {
      if (!(TEMPLATE_SECTIONS as readonly string[]).includes(section)) {
        issues.push({ path: section, message: 'is not a template section' });
      }
    }
    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
      if (!PARAMETER_TYPES.test(parameter.Type)) {
        issues.push({ path: `Parameters.${name}.Type`, message: `unknown type ${parameter.Type}` });
      }
    }
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      issues.push(...this.#validateResource(template, logicalId, resource));
    }
    issues.push(...this.#validateReferences(template));
    return issues;
  }

  #validateResource(
    template: CfnTemplate,
    logicalId: string,
    resource: CfnTemplate['Resources'][string]
  ): SpecIssue[] {
    const path = `Resources.${logicalId}`;
    const issues: SpecIssue[] = [];
    for (const attribute of Object.keys(resource)) {
      if (!(RESOURCE_ATTRIBUTES as readonly string[]).includes(attribute)) {
        issues.push({ path: `${path}.${attribute}`, message: 'is not a resource attribute' });
      }
    }
    if (
      resource.Condition !== undefined &&
      template.Conditions?.[resource.Condition] === undefined
    ) {
      issues.push({
        path: `${path}.Condition`,
        message: `unknown condition ${resource.Condition}`,
      });
    }
    const dependsOn =
      typeof resource.DependsOn === 'string' ? [resource.DependsOn] : resource.DependsOn;
    for (const target of dependsOn ?? []) {
      if (template.Resources[target] === undefined) {
        issues.push({ path: `${path}.DependsOn`, message: `unknown resource ${target}` });
      }
    }
    if (resource.Type.startsWith('Custom::')) return issues;
    const spec = this.resourceSpec(resource.Type);
    if (spec === undefined) {
      return [
        ...issues,
        { path: `${path}.Type`, message: `unknown resource type ${resource.Type}` },
      ];
    }
    const properties = resource.Properties ?? {};
    if (!isObject(properties)) {
      return [...issues, { path: `${path}.Properties`, message: 'must be a map' }];
    }
    return [
      ...issues,
      ...this.#validateObject(`${path}.Properties`, properties, this.#properties(spec), spec),
    ];
  }

  /** The property map of a resource or nested type, with the patches applied. */
  #properties(owner: Resource, definition?: TypeDefinition): Record<string, Property> {
    const base = definition === undefined ? owner.properties : definition.properties;
    const patched: Record<string, Property> = { ...base };
    for (const patch of this.#patches) {
      if (
        patch.resourceType !== owner.cloudFormationType ||
        patch.definition !== definition?.name
      ) {
        continue;
      }
      if (patch.add !== undefined) patched[patch.property] = { type: patch.add };
      const existing = patched[patch.property];
      if (patch.optional === true && existing !== undefined) {
        patched[patch.property] = { ...existing, required: false };
      }
    }
    return patched;
  }

  #validateObject(
    path: string,
    value: Record<string, CfnValue>,
    properties: Record<string, Property>,
    owner: Resource
  ): SpecIssue[] {
    const issues: SpecIssue[] = [];
    for (const [name, item] of Object.entries(value)) {
      const property = properties[name];
      if (property === undefined) {
        issues.push({
          path: `${path}.${name}`,
          message: `unknown property (known: ${Object.keys(properties).sort().join(', ')})`,
        });
        continue;
      }
      const eventType = this.#samEventType(name, value, property, owner);
      if (eventType !== undefined) {
        issues.push(...eventType(`${path}.${name}`, item));
        continue;
      }
      const types = [property.type, ...(property.previousTypes ?? [])];
      const results = types.map((type) =>
        this.#validateValue(`${path}.${name}`, item, type, owner)
      );
      if (!results.some((result) => result.length === 0)) issues.push(...(results[0] ?? []));
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required === true && !(name in value)) {
        issues.push({ path: `${path}.${name}`, message: 'is required' });
      }
    }
    return issues;
  }

  /**
   * SAM event sources (`{Type, Properties}`): the spec types `Properties` as a union of every event
   * kind, so a typo would only say "matches none". The `Type` names the member (`<Type>Event`);
   * validating against that one gives precise messages, and an unknown `Type` is reported.
   */
  #samEventType(
    name: string,
    value: Record<string, CfnValue>,
    property: Property,
    owner: Resource
  ): ((path: string, item: CfnValue) => SpecIssue[]) | undefined {
    if (name !== 'Properties' || property.type.type !== 'union' || typeof value.Type !== 'string') {
      return undefined;
    }
    const wanted = `${value.Type}Event`;
    const members = property.type.types.flatMap((member) =>
      member.type === 'ref' ? [this.#db.get('typeDefinition', member.reference)] : []
    );
    if (members.length !== property.type.types.length) return undefined;
    const member = members.find((definition) => definition.name === wanted);
    if (member === undefined) {
      return (path) => [
        {
          path,
          message: `event Type ${value.Type} is not in the spec (known: ${members
            .map((definition) => definition.name.replace(/Event$/, ''))
            .join(', ')})`,
        },
      ];
    }
    return (path, item) =>
      isObject(item)
        ? this.#validateObject(path, item, this.#properties(owner, member), owner)
        : [{ path, message: `expected a ${member.name} map, got ${describe(item)}` }];
  }

  #validateValue(path: string, value: CfnValue, type: PropertyType, owner: Resource): SpecIssue[] {
    const intrinsic = intrinsicName(value);
    if (intrinsic !== undefined && isObject(value)) {
      if (intrinsic !== 'Fn::If') return [];
      const branches = Array.isArray(value[intrinsic]) ? (value[intrinsic] as CfnValue[]) : [];
      return branches
        .slice(1)
        .flatMap((branch, index) =>
          isObject(branch) && branch.Ref === 'AWS::NoValue'
            ? []
            : this.#validateValue(
                `${path}[Fn::If ${index === 0 ? 'true' : 'false'}]`,
                branch,
                type,
                owner
              )
        );
    }
    const mismatch = (expected: string): SpecIssue[] => [
      { path, message: `expected ${expected}, got ${describe(value)}` },
    ];
    switch (type.type) {
      case 'string':
      case 'date-time':
        return ['string', 'number', 'boolean'].includes(typeof value) ? [] : mismatch('a string');
      case 'number':
      case 'integer': {
        const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        if (typeof number !== 'number' || Number.isNaN(number)) return mismatch(`a ${type.type}`);
        return type.type === 'integer' && !Number.isInteger(number) ? mismatch('an integer') : [];
      }
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false'
          ? []
          : mismatch('a boolean');
      case 'json':
        return [];
      case 'null':
        return value === null ? [] : mismatch('null');
      case 'tag':
        return isObject(value) &&
          Object.keys(value).sort().join(',') === 'Key,Value' &&
          this.#validateValue(`${path}.Key`, value.Key ?? null, { type: 'string' }, owner)
            .length === 0
          ? []
          : mismatch('a tag {Key, Value}');
      case 'array':
        return Array.isArray(value)
          ? value.flatMap((item, index) =>
              this.#validateValue(`${path}[${index}]`, item, type.element, owner)
            )
          : mismatch('a list');
      case 'map':
        return isObject(value)
          ? Object.entries(value).flatMap(([key, item]) =>
              this.#validateValue(`${path}.${key}`, item, type.element, owner)
            )
          : mismatch('a map');
      case 'ref': {
        const definition = this.#db.get('typeDefinition', type.reference);
        return isObject(value)
          ? this.#validateObject(path, value, this.#properties(owner, definition), owner)
          : mismatch(`a ${definition.name} map`);
      }
      case 'union': {
        const results = type.types.map((member) => this.#validateValue(path, value, member, owner));
        if (results.some((result) => result.length === 0)) return [];
        const closest = [...results].sort((a, b) => a.length - b.length)[0] ?? [];
        return [
          { path, message: `matches none of the ${type.types.length} allowed shapes` },
          ...closest,
        ];
      }
      default:
        return [{ path, message: `spec type ${JSON.stringify(type)} is not understood` }];
    }
  }

  /** `Ref`, `Fn::GetAtt`, `Fn::Sub` and condition names, everywhere they can appear. */
  #validateReferences(template: CfnTemplate): SpecIssue[] {
    const issues: SpecIssue[] = [];
    const parameters = template.Parameters ?? {};
    const resources = template.Resources ?? {};
    const conditions = template.Conditions ?? {};
    const isRefTarget = (name: string): boolean =>
      name in parameters ||
      name in resources ||
      name in DEFAULT_PSEUDO_PARAMETERS ||
      name === 'AWS::NoValue' ||
      name === 'AWS::NotificationARNs';
    const checkAttribute = (path: string, resource: string, attribute: string): void => {
      const declared = resources[resource];
      if (declared === undefined) {
        issues.push({ path, message: `unknown resource ${resource}` });
        return;
      }
      if (declared.Type.startsWith('Custom::')) return;
      const spec = this.resourceSpec(SAM_GENERATED_TYPES[declared.Type] ?? declared.Type);
      if (spec !== undefined && !(attribute in spec.attributes)) {
        issues.push({
          path,
          message: `${declared.Type} has no attribute ${attribute} (known: ${Object.keys(spec.attributes).join(', ')})`,
        });
      }
    };
    const visit = (path: string, value: CfnValue): void => {
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) visit(`${path}[${index}]`, item);
        return;
      }
      if (!isObject(value)) return;
      const intrinsic = intrinsicName(value);
      const argument = intrinsic === undefined ? undefined : value[intrinsic];
      if (intrinsic === 'Ref' && typeof argument === 'string' && !isRefTarget(argument)) {
        issues.push({ path, message: `Ref to unknown ${argument}` });
      }
      if (intrinsic === 'Fn::GetAtt' && Array.isArray(argument)) {
        const [resource, attribute] = argument;
        if (typeof resource === 'string' && typeof attribute === 'string') {
          checkAttribute(path, resource, attribute);
        }
      }
      if ((intrinsic === 'Fn::If' || intrinsic === 'Condition') && argument !== undefined) {
        const name = Array.isArray(argument) ? argument[0] : argument;
        if (typeof name === 'string' && !(name in conditions)) {
          issues.push({ path, message: `unknown condition ${name}` });
        }
      }
      if (intrinsic === 'Fn::Sub' && argument !== undefined) {
        const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
        const local = isObject(variables) ? Object.keys(variables) : [];
        for (const [, name = ''] of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
          if (local.includes(name)) continue;
          const dot = name.indexOf('.');
          if (dot > 0) checkAttribute(path, name.slice(0, dot), name.slice(dot + 1));
          else if (!isRefTarget(name))
            issues.push({ path, message: `Fn::Sub variable \${${name}} is unknown` });
        }
      }
      for (const [key, item] of Object.entries(value)) visit(`${path}.${key}`, item);
    };
    for (const [name, condition] of Object.entries(conditions))
      visit(`Conditions.${name}`, condition);
    for (const [logicalId, resource] of Object.entries(resources)) {
      visit(`Resources.${logicalId}.Properties`, resource.Properties ?? {});
    }
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      if (output.Condition !== undefined && !(output.Condition in conditions)) {
        issues.push({
          path: `Outputs.${name}.Condition`,
          message: `unknown condition ${output.Condition}`,
        });
      }
      visit(`Outputs.${name}.Value`, output.Value);
    }
    return issues;
  }
}
