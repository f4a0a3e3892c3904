/**
 * The incident-automation examples in docs/: the payload each one sends must pass the function's
 * strict command schema (unknown keys are rejected), and each must fail when the function fails.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { RemediationInProgress } from '../../../src/errors';
import { commandSchema } from '../../../src/triggers/command-schema';
import type { CfnObject, CfnValue } from '../../helpers/cfn';
import { isObject, REPO_ROOT } from '../../helpers/cfn';

const readDoc = (name: string): string => readFileSync(resolve(REPO_ROOT, 'docs', name), 'utf8');
const readSample = (name: string): CfnObject =>
  JSON.parse(readFileSync(resolve(REPO_ROOT, 'events', name), 'utf8')) as CfnObject;

const COMMAND_KEYS = Object.keys(commandSchema.shape).sort();
const EXECUTION_ID = '6c1f2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

describe('docs/ssm-automation.yaml', () => {
  const doc = parse(readDoc('ssm-automation.yaml')) as CfnObject;
  const steps = (doc.mainSteps ?? []) as CfnObject[];
  const parameters = doc.parameters as Record<string, CfnObject>;
  const invokeSteps = steps.filter((step) => step.action === 'aws:invokeLambdaFunction');
  const [invoke] = invokeSteps;
  const payloadTemplate = String((invoke?.inputs as CfnObject | undefined)?.Payload);

  /** The payload SSM sends for these parameter values (each `{{ Name }}` substituted). */
  const payloadFor = (values: Record<string, string>): unknown =>
    JSON.parse(
      payloadTemplate.replace(/\{\{\s*([\w:]+)\s*\}\}/g, (_whole, name: string) => {
        if (name === 'automation:EXECUTION_ID') return EXECUTION_ID;
        const value = values[name] ?? parameters[name]?.default;
        if (value === undefined) throw new Error(`no value for {{ ${name} }}`);
        return String(value);
      })
    );

  const accepts = (name: string, value: string): boolean =>
    new RegExp(String(parameters[name]?.allowedPattern)).test(value);

  it('is an Automation document (schemaVersion 0.3) with one aws:invokeLambdaFunction step', () => {
    // Prepare: the document
    // Act
    const count = invokeSteps.length;
    // Assess
    expect(doc.schemaVersion).toBe('0.3');
    expect(count).toBe(1);
    expect(invoke?.inputs).toMatchObject({ InvocationType: 'RequestResponse' });
  });

  const sample = readSample('ssm-automation.json');
  it.each([
    ['the sample secret ARN with defaults', { SecretId: String(sample.secretId) }],
    ['a secret name, a dry run', { SecretId: 'rr-demo/app-db', DryRun: 'true' }],
    ['promote', { SecretId: 'rr-demo/app-db', PendingAction: 'promote' }],
    [
      'discard, explicitly not a dry run',
      { SecretId: 'rr-demo/app-db', PendingAction: 'discard', DryRun: 'false' },
    ],
    ['the longest reason', { SecretId: 'rr-demo/app-db', Reason: 'r'.repeat(900) }],
  ] as const)('sends a command the function accepts: %s', (_case, values) => {
    // Prepare
    const payload = payloadFor(values);
    // Act
    const parsed = commandSchema.safeParse(payload);
    // Assess
    expect(parsed.success).toBe(true);
    expect(Object.keys(payload as object).sort()).toEqual(
      COMMAND_KEYS.filter((key) => key !== 'expectedPendingVersionId')
    );
  });

  it.each([
    ['Reason', 'say "hi"', false],
    ['Reason', 'C:\\path', false],
    ['Reason', 'line\nbreak', false],
    ['Reason', 'INC-1234: rotation stuck', true],
    ['SecretId', 'rr-demo/app-db', true],
    [
      'SecretId',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:rr-demo/app-db-AbCdEf',
      true,
    ],
    ['SecretId', 'x", "dryRun": false, "y": "', false],
  ] as const)(
    'parameter %s %j is accepted: %s (JSON cannot be broken)',
    (name, value, expected) => {
      // Prepare: the parameter's allowedPattern
      // Act
      const accepted = accepts(name, value);
      // Assess
      expect(accepted).toBe(expected);
    }
  );

  it('fails the execution when the function returns an error', () => {
    // Prepare
    const index = invoke === undefined ? -1 : steps.indexOf(invoke);
    const check = steps[index + 1];
    const script = String((check?.inputs as CfnObject | undefined)?.Script);
    // Act
    const reads = (check?.inputs as CfnObject | undefined)?.InputPayload;
    // Assess
    expect(invoke).toMatchObject({ onFailure: 'Abort', isCritical: true });
    expect(check).toMatchObject({
      action: 'aws:executeScript',
      onFailure: 'Abort',
      isCritical: true,
    });
    expect(reads).toEqual({ Payload: `{{ ${String(invoke?.name)}.Payload }}` });
    expect(script).toMatch(/if "errorType" in body:\s*\n\s*raise Exception/);
  });
});

/** Evaluates the JSONPath subset the state machine uses against a state input and context. */
const evaluatePath = (path: string, input: CfnValue, context: CfnObject): CfnValue => {
  const [root, ...keys] = path.split('.');
  const start = root === '$$' ? context : root === '$' ? input : undefined;
  if (start === undefined) throw new Error(`unsupported path ${path}`);
  return keys.reduce<CfnValue>((node, key) => {
    if (!isObject(node) || !(key in node)) throw new Error(`States.Runtime: ${path} not found`);
    return node[key] ?? null;
  }, start);
};

/** Evaluates a `Parameters`/`Payload` template: `key.$` fields and the intrinsics used. */
const evaluateParameters = (template: CfnValue, input: CfnValue, context: CfnObject): CfnValue => {
  if (!isObject(template)) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => {
      if (!key.endsWith('.$')) return [key, evaluateParameters(value, input, context)];
      const expression = String(value);
      const merge = /^States\.JsonMerge\((\S+), (\S+), false\)$/.exec(expression);
      const format = /^States\.Format\('([^']*)', (\S+)\)$/.exec(expression);
      let result: CfnValue;
      if (merge !== null) {
        const [left, right] = [merge[1], merge[2]].map((path) =>
          evaluatePath(String(path), input, context)
        );
        result = { ...(left as CfnObject), ...(right as CfnObject) };
      } else if (format !== null) {
        result = String(format[1]).replace(
          '{}',
          String(evaluatePath(String(format[2]), input, context))
        );
      } else {
        result = evaluatePath(expression, input, context);
      }
      return [key.slice(0, -2), result];
    })
  );
};

describe('docs/step-functions.asl.json', () => {
  const machine = JSON.parse(readDoc('step-functions.asl.json')) as CfnObject;
  const states = machine.States as Record<string, CfnObject>;
  const [taskName, task] =
    Object.entries(states).find(
      ([, state]) => state.Resource === 'arn:aws:states:::lambda:invoke'
    ) ?? [];
  const context = {
    Execution: {
      Id: 'arn:aws:states:us-east-1:123456789012:execution:rr-demo-rotation-recovery:0f9e8d7c',
    },
  };

  /** Runs the Pass states from StartAt up to the task and returns the task's Lambda payload. */
  const payloadFor = (input: CfnObject): CfnValue => {
    let name = String(machine.StartAt);
    let data: CfnValue = input;
    while (name !== taskName) {
      const state = states[name];
      if (state?.Type !== 'Pass') throw new Error(`unexpected state ${name} before the task`);
      data = evaluateParameters(state.Parameters ?? null, data, context);
      name = String(state.Next);
    }
    const parameters = evaluateParameters(task?.Parameters ?? null, data, context) as CfnObject;
    return parameters.Payload ?? null;
  };

  it('invokes the function from the FunctionArn substitution', () => {
    // Prepare: the task
    // Act
    const functionName = (task?.Parameters as CfnObject | undefined)?.FunctionName;
    // Assess
    expect(taskName).toBeDefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL definition substitution, not JS
    expect(functionName).toBe('${RemediatorFunctionArn}');
  });

  it.each([
    ['the sample command', readSample('step-functions.json')],
    ['only a secret id', { secretId: 'rr-demo/app-db' }],
    ['a dry run', { secretId: 'rr-demo/app-db', dryRun: true, pendingAction: 'promote' }],
    ['extra input keys (not passed on)', { secretId: 'rr-demo/app-db', ticket: 'INC-1234' }],
  ] as const)('sends a command the function accepts for %s', (_case, input) => {
    // Prepare
    const payload = payloadFor(input as CfnObject);
    // Act
    const parsed = commandSchema.safeParse(payload);
    // Assess
    expect(parsed.success).toBe(true);
  });

  it('retries RemediationInProgress, the name the function throws it with', () => {
    // Prepare
    const name = new RemediationInProgress('busy').name;
    // Act
    const retried = ((task?.Retry ?? []) as CfnObject[]).flatMap(
      (retrier) => retrier.ErrorEquals as string[]
    );
    // Assess
    expect(retried).toContain(name);
  });

  it('catches every other error into a Fail state', () => {
    // Prepare
    const [catcher] = (task?.Catch ?? []) as CfnObject[];
    // Act
    const target = states[String(catcher?.Next)];
    // Assess
    expect(catcher?.ErrorEquals).toEqual(['States.ALL']);
    expect(target?.Type).toBe('Fail');
  });

  it('has no dangling transitions', () => {
    // Prepare
    const targets = [
      machine.StartAt,
      ...Object.values(states).flatMap((state) => [
        state.Next,
        ...((state.Catch ?? []) as CfnObject[]).map((catcher) => catcher.Next),
      ]),
    ].filter((target) => target !== undefined);
    // Act
    const dangling = targets.filter((target) => !(String(target) in states));
    // Assess
    expect(dangling).toEqual([]);
  });
});
