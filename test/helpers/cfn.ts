/**
 * CloudFormation-aware YAML for the template tests: the short-form intrinsic tags (`!Ref`, `!Sub`,
 * `!If`, ...) parsed into their long form (`{Ref: x}`, `{'Fn::Sub': ...}`), and a small evaluator
 * that resolves parameters, pseudo parameters, conditions and intrinsic functions the way
 * CloudFormation does, for the parameter values a test chooses. Resources stay symbolic:
 * `Ref X` becomes `{{X}}` and `GetAtt X.Attr` becomes `{{X.Attr}}`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CollectionTag, ScalarTag } from 'yaml';
import { parse } from 'yaml';

/** Root of the repository. */
export const REPO_ROOT = resolve(__dirname, '../..');

/** The SAM template. */
export const TEMPLATE_PATH = resolve(REPO_ROOT, 'template.yaml');

/** Any value of a parsed template. */
export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

/** A map of template values. */
export type CfnObject = { [key: string]: CfnValue };

/** One parameter declaration. */
export interface CfnParameter {
  Type: string;
  Default?: string | number;
  AllowedValues?: (string | number)[];
  AllowedPattern?: string;
  MinValue?: number;
  MaxValue?: number;
  Description?: string;
  ConstraintDescription?: string;
}

/** One resource declaration. */
export interface CfnResource {
  Type: string;
  Properties?: CfnObject;
  Condition?: string;
  DependsOn?: string | string[];
  Metadata?: CfnObject;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** One output declaration. */
export interface CfnOutput {
  Value: CfnValue;
  Description?: string;
  Condition?: string;
  Export?: CfnObject;
}

/** A parsed template (SAM or plain CloudFormation). */
export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Description?: string;
  Metadata?: CfnObject;
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, Record<string, CfnObject>>;
  Conditions?: Record<string, CfnValue>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
  [section: string]: unknown;
}

/** Short-form tag → long-form key, for every intrinsic function with a YAML short form. */
export const INTRINSIC_TAGS = {
  '!Ref': 'Ref',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Join': 'Fn::Join',
  '!FindInMap': 'Fn::FindInMap',
  '!Condition': 'Condition',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
} as const;

/** The long-form key of each intrinsic function (and `Condition`, inside conditions). */
export const INTRINSIC_KEYS: readonly string[] = [
  ...Object.values(INTRINSIC_TAGS),
  'Fn::Transform',
  'Fn::ToJsonString',
  'Fn::Length',
];

const toLongForm = (tag: keyof typeof INTRINSIC_TAGS, value: unknown): CfnObject => {
  const key = INTRINSIC_TAGS[tag];
  // `!GetAtt Resource.Attribute` is the short form of `Fn::GetAtt: [Resource, Attribute]`.
  if (key === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [key]: [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [key]: value as CfnValue };
};

/** Custom tags for the `yaml` package: each short form as a scalar, a sequence and a mapping. */
export const cloudFormationTags: (ScalarTag | CollectionTag)[] = (
  Object.keys(INTRINSIC_TAGS) as (keyof typeof INTRINSIC_TAGS)[]
).flatMap((tag) => [
  { tag, resolve: (value: string) => toLongForm(tag, value) } satisfies ScalarTag,
  {
    tag,
    collection: 'seq',
    resolve: (seq) => toLongForm(tag, seq.toJSON()),
  } satisfies CollectionTag,
  {
    tag,
    collection: 'map',
    resolve: (map) => toLongForm(tag, map.toJSON()),
  } satisfies CollectionTag,
]);

/** Parses template text with the CloudFormation tags. */
export const parseTemplate = (text: string): CfnTemplate =>
  parse(text, { customTags: cloudFormationTags, uniqueKeys: true }) as CfnTemplate;

/** Reads and parses a template file (default: the project's template.yaml). */
export const loadTemplate = (path: string = TEMPLATE_PATH): CfnTemplate =>
  parseTemplate(readFileSync(path, 'utf8'));

/** True for a plain (non-null, non-array) object. */
export const isObject = (value: unknown): value is CfnObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The intrinsic function a value is (`{Ref: x}` → `Ref`), or undefined for anything else. */
export const intrinsicName = (value: unknown): string | undefined => {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSIC_KEYS.includes(keys[0] ?? '') ? keys[0] : undefined;
};

/** Marks a value CloudFormation drops (`Ref: AWS::NoValue`). */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** What a value evaluates to: a template value, or {@link NO_VALUE}. */
export type Evaluated = CfnValue | typeof NO_VALUE;

/** Parameter values and pseudo parameters of one evaluation. */
export interface EvaluationInput {
  /** Parameter values (strings, as CloudFormation passes them); unset ones take their Default. */
  parameters?: Record<string, string>;
  /** Pseudo parameter values; see {@link DEFAULT_PSEUDO_PARAMETERS}. */
  pseudo?: Record<string, string>;
}

/** The pseudo parameters an evaluation uses unless told otherwise. */
export const DEFAULT_PSEUDO_PARAMETERS = {
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'us-east-1',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'rotation-remediator',
  'AWS::StackId':
    'arn:aws:cloudformation:us-east-1:123456789012:stack/rotation-remediator/00000000-0000-0000-0000-000000000000',
} as const;

/** A template bound to parameter values, with every condition decided. */
export interface Evaluation {
  template: CfnTemplate;
  parameters: Record<string, string>;
  pseudo: Record<string, string>;
  conditions: Record<string, boolean>;
}

const fail = (message: string): never => {
  throw new Error(message);
};

const asString = (value: Evaluated, where: string): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(`${where}: expected a string, got ${JSON.stringify(value)}`);
};

const asList = (value: Evaluated, where: string): CfnValue[] =>
  Array.isArray(value) ? value : fail(`${where}: expected a list, got ${JSON.stringify(value)}`);

/** Looks up a `Ref` target: parameter, pseudo parameter, or resource (symbolic `{{X}}`). */
const refValue = (evaluation: Evaluation, name: string): Evaluated => {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in evaluation.pseudo) return evaluation.pseudo[name] ?? '';
  if (evaluation.template.Parameters?.[name] !== undefined) {
    const raw = evaluation.parameters[name] ?? '';
    const type = evaluation.template.Parameters[name].Type;
    return type.startsWith('List<') || type === 'CommaDelimitedList'
      ? raw.split(',').map((part) => part.trim())
      : raw;
  }
  if (evaluation.template.Resources[name] !== undefined) return `{{${name}}}`;
  return fail(`Ref to an unknown name ${name}`);
};

const SUB_VARIABLE = /\$\{([^}]*)\}/g;

/** `Fn::Sub`: `${Name}`, `${Resource.Attr}`, `${!Literal}`. */
const substitute = (evaluation: Evaluation, text: string, variables: CfnObject): string =>
  text.replace(SUB_VARIABLE, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in variables) {
      return asString(evaluate(evaluation, variables[name] ?? null), `Fn::Sub \${${name}}`);
    }
    if (name.includes('.')) {
      const [resource = ''] = name.split('.', 1);
      if (evaluation.template.Resources[resource] === undefined) {
        fail(`Fn::Sub ${whole}: unknown resource ${resource}`);
      }
      return `{{${name}}}`;
    }
    return asString(refValue(evaluation, name), `Fn::Sub ${whole}`);
  });

/** Decides one named condition. */
export const conditionValue = (evaluation: Evaluation, name: string): boolean => {
  const decided = evaluation.conditions[name];
  if (decided !== undefined) return decided;
  const definition = evaluation.template.Conditions?.[name];
  if (definition === undefined) return fail(`unknown condition ${name}`);
  const value = evaluate(evaluation, definition);
  if (typeof value !== 'boolean') return fail(`condition ${name} is not a boolean`);
  evaluation.conditions[name] = value;
  return value;
};

const evaluateIntrinsic = (evaluation: Evaluation, name: string, argument: CfnValue): Evaluated => {
  const args = (count: number): CfnValue[] => {
    const list = asList(argument, name);
    return list.length === count ? list : fail(`${name}: expected ${count} arguments`);
  };
  switch (name) {
    case 'Ref':
      return refValue(evaluation, asString(argument, 'Ref'));
    case 'Condition':
      return conditionValue(evaluation, asString(argument, 'Condition'));
    case 'Fn::GetAtt': {
      const [resource, attribute] = args(2).map((part) => asString(part, name));
      if (evaluation.template.Resources[resource ?? ''] === undefined) {
        fail(`Fn::GetAtt on an unknown resource ${resource}`);
      }
      return `{{${resource}.${attribute}}}`;
    }
    case 'Fn::Sub': {
      if (typeof argument === 'string') return substitute(evaluation, argument, {});
      const [text, variables] = args(2);
      return substitute(
        evaluation,
        asString(text ?? null, name),
        isObject(variables) ? variables : fail('Fn::Sub: variables must be a map')
      );
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = args(3);
      return evaluate(
        evaluation,
        (conditionValue(evaluation, asString(condition ?? null, name)) ? whenTrue : whenFalse) ??
          null
      );
    }
    case 'Fn::Equals': {
      const [left, right] = args(2).map((part) => evaluate(evaluation, part));
      // CloudFormation compares the string forms (parameter values are strings).
      return asString(left ?? null, name) === asString(right ?? null, name);
    }
    case 'Fn::Not': {
      const operand = evaluate(evaluation, args(1)[0] ?? null);
      return typeof operand === 'boolean' ? !operand : fail('Fn::Not: expected a boolean');
    }
    case 'Fn::And':
      return asList(argument, name).every((part) => evaluate(evaluation, part) === true);
    case 'Fn::Or':
      return asList(argument, name).some((part) => evaluate(evaluation, part) === true);
    case 'Fn::Select': {
      const [index, list] = args(2);
      const items = asList(evaluate(evaluation, list ?? null), name);
      const at = Number(asString(evaluate(evaluation, index ?? null), name));
      return at >= 0 && at < items.length
        ? (items[at] ?? null)
        : fail(`Fn::Select: index ${at} out of range (${items.length} items)`);
    }
    case 'Fn::Split': {
      const [delimiter, text] = args(2);
      return asString(evaluate(evaluation, text ?? null), name).split(
        asString(delimiter ?? null, name)
      );
    }
    case 'Fn::Join': {
      const [delimiter, list] = args(2);
      return asList(evaluate(evaluation, list ?? null), name)
        .map((part) => asString(part, name))
        .join(asString(delimiter ?? null, name));
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = args(3).map((part) => asString(evaluate(evaluation, part), name));
      return (
        evaluation.template.Mappings?.[map ?? '']?.[top ?? '']?.[second ?? ''] ??
        fail(`Fn::FindInMap: no ${map}.${top}.${second}`)
      );
    }
    case 'Fn::Base64':
      return Buffer.from(asString(evaluate(evaluation, argument), name)).toString('base64');
    default:
      return fail(`${name} is not supported by this evaluator`);
  }
};

/**
 * Evaluates a template value: intrinsic functions are applied, `AWS::NoValue` entries disappear
 * from maps and lists, and references to resources stay symbolic (`{{X}}`, `{{X.Attr}}`).
 */
export const evaluate = (evaluation: Evaluation, value: CfnValue): Evaluated => {
  const intrinsic = intrinsicName(value);
  if (intrinsic !== undefined && isObject(value)) {
    return evaluateIntrinsic(evaluation, intrinsic, value[intrinsic] ?? null);
  }
  if (Array.isArray(value)) {
    return value
      .map((item) => evaluate(evaluation, item))
      .filter((item): item is CfnValue => item !== NO_VALUE);
  }
  if (isObject(value)) {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, evaluate(evaluation, item)] as const)
      .filter((entry): entry is readonly [string, CfnValue] => entry[1] !== NO_VALUE);
    return Object.fromEntries(entries);
  }
  return value;
};

/**
 * Binds a template to parameter values: defaults for the parameters not given, checked against
 * each parameter's AllowedValues, AllowedPattern and Min/MaxValue like CloudFormation does.
 */
export const bindTemplate = (template: CfnTemplate, input: EvaluationInput = {}): Evaluation => {
  const parameters: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(template.Parameters ?? {})) {
    const raw = input.parameters?.[name] ?? declaration.Default;
    if (raw === undefined) fail(`parameter ${name} has no value and no Default`);
    const value = String(raw);
    if (
      declaration.AllowedValues !== undefined &&
      !declaration.AllowedValues.map(String).includes(value)
    ) {
      fail(`parameter ${name}=${value} is not one of its AllowedValues`);
    }
    if (
      declaration.AllowedPattern !== undefined &&
      !new RegExp(`^(?:${declaration.AllowedPattern})$`).test(value)
    ) {
      fail(`parameter ${name}=${value} does not match its AllowedPattern`);
    }
    if (declaration.Type === 'Number') {
      const number = Number(value);
      if (value.trim() === '' || Number.isNaN(number)) fail(`parameter ${name} is not a number`);
      if (declaration.MinValue !== undefined && number < declaration.MinValue) {
        fail(`parameter ${name}=${value} is below its MinValue`);
      }
      if (declaration.MaxValue !== undefined && number > declaration.MaxValue) {
        fail(`parameter ${name}=${value} is above its MaxValue`);
      }
    }
    parameters[name] = value;
  }
  for (const name of Object.keys(input.parameters ?? {})) {
    if (template.Parameters?.[name] === undefined) fail(`unknown parameter ${name}`);
  }
  const evaluation: Evaluation = {
    template,
    parameters,
    pseudo: { ...DEFAULT_PSEUDO_PARAMETERS, ...input.pseudo },
    conditions: {},
  };
  for (const name of Object.keys(template.Conditions ?? {})) conditionValue(evaluation, name);
  return evaluation;
};

/** A resource as deployed for one evaluation: its properties evaluated. */
export interface DeployedResource {
  logicalId: string;
  type: string;
  properties: CfnObject;
  metadata: CfnObject;
}

/** The resources a stack gets for one evaluation (conditions applied, properties evaluated). */
export const deployedResources = (evaluation: Evaluation): DeployedResource[] =>
  Object.entries(evaluation.template.Resources)
    .filter(
      ([, resource]) =>
        resource.Condition === undefined || conditionValue(evaluation, resource.Condition)
    )
    .map(([logicalId, resource]) => ({
      logicalId,
      type: resource.Type,
      properties: evaluate(evaluation, resource.Properties ?? {}) as CfnObject,
      metadata: resource.Metadata ?? {},
    }));

/** The one deployed resource with this logical id (throws when absent). */
export const deployedResource = (evaluation: Evaluation, logicalId: string): DeployedResource =>
  deployedResources(evaluation).find((resource) => resource.logicalId === logicalId) ??
  fail(`resource ${logicalId} is not deployed with these parameters`);
