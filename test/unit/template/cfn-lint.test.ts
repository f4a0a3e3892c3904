/**
 * template.yaml through cfn-lint (the Python linter, with the SAM translator): no error and no
 * warning; informational findings are printed. Broken copies of the template, linted together with
 * it (two cfn-lint runs in parallel), prove that cfn-lint reports each kind of mistake the tests
 * claim it catches.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnObject, CfnTemplate } from '../../helpers/cfn';
import { isObject, loadTemplate, TEMPLATE_PATH } from '../../helpers/cfn';
import type { CfnLintFinding } from './cfn-lint';
import { CfnLintMissingError, formatFinding, runCfnLint } from './cfn-lint';

/** The object at a dotted path of a template copy (creating nothing). */
const at = (template: CfnTemplate, path: string): CfnObject => {
  const found = path
    .split('.')
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), template);
  if (!isObject(found)) throw new Error(`no object at ${path}`);
  return found;
};

const FN = 'Resources.RemediatorFunction.Properties';

/** What a broken copy must make cfn-lint report: an error of this rule, at this path. */
interface Expected {
  rule: string;
  /** Undefined for SAM transform errors (E0001), which cfn-lint reports without a path. */
  path?: string;
  message: string;
}

/** Each broken copy: what is broken, how (on the parsed template), and the error it must cause. */
const BROKEN_COPIES: readonly (readonly [string, (t: CfnTemplate) => void, Expected])[] = [
  [
    'a misspelt CloudFormation property',
    (t) => {
      at(t, 'Resources.FailureQueue.Properties').SqsManagedSseEnable = true;
    },
    {
      rule: 'E3002',
      path: 'Resources.FailureQueue.Properties.SqsManagedSseEnable',
      message: "'SqsManagedSseEnable' was unexpected",
    },
  ],
  [
    'a nested property of the wrong type',
    (t) => {
      at(t, 'Resources.IdempotencyTable.Properties.TimeToLiveSpecification').Enabled = 'yes';
    },
    {
      rule: 'E3012',
      path: 'Resources.IdempotencyTable.Properties.TimeToLiveSpecification.Enabled',
      message: "is not of type 'boolean'",
    },
  ],
  [
    'a list where a map is expected',
    (t) => {
      at(t, 'Resources.IdempotencyTable.Properties').SSESpecification = [{ SSEEnabled: true }];
    },
    {
      rule: 'E3012',
      path: 'Resources.IdempotencyTable.Properties.SSESpecification',
      message: "is not of type 'object'",
    },
  ],
  [
    'a missing required property',
    (t) => {
      delete at(t, 'Resources.IdempotencyTable.Properties').KeySchema;
    },
    {
      rule: 'E3003',
      path: 'Resources.IdempotencyTable.Properties',
      message: "'KeySchema' is a required property",
    },
  ],
  [
    'a non-numeric integer',
    (t) => {
      at(t, 'Resources.FunctionErrorsAlarm.Properties').Period = 'five minutes';
    },
    {
      rule: 'E3012',
      path: 'Resources.FunctionErrorsAlarm.Properties.Period',
      message: "is not of type 'integer'",
    },
  ],
  [
    'a misspelt SAM function property',
    (t) => {
      at(t, FN).Runtimee = 'nodejs24.x';
    },
    { rule: 'E0001', message: 'property Runtimee not defined' },
  ],
  [
    'a misspelt SAM event property',
    (t) => {
      const properties = at(t, `${FN}.Events.RotationFailed.Properties`);
      properties.Patern = properties.Pattern ?? null;
      delete properties.Pattern;
    },
    { rule: 'E0001', message: 'property Patern not defined' },
  ],
  [
    'an unknown SAM event type',
    (t) => {
      at(t, `${FN}.Events.RotationFailed`).Type = 'EventBridgeRules';
    },
    { rule: 'E0001', message: 'Event with id [RotationFailed] is invalid' },
  ],
  [
    'a misspelt SAM HttpApi auth property',
    (t) => {
      at(t, 'Resources.RemediationsApi.Properties.Auth').EnableIamAuthoriser = true;
    },
    {
      rule: 'E0001',
      message: "Resource with id [RemediationsApi] is invalid. Invalid value for 'Auth'",
    },
  ],
  [
    'a wrong type in one branch of Fn::If',
    (t) => {
      at(t, FN).ReservedConcurrentExecutions = {
        'Fn::If': ['HasReservedConcurrency', [5], { Ref: 'AWS::NoValue' }],
      };
    },
    {
      rule: 'E3012',
      path: `${FN}.ReservedConcurrentExecutions.Fn::If.1`,
      message: "is not of type 'integer'",
    },
  ],
  [
    'an unknown resource type',
    (t) => {
      t.Resources.FailureQueue = { Type: 'AWS::SQS::Queues', Properties: {} };
    },
    {
      rule: 'E3006',
      path: 'Resources.FailureQueue.Type',
      message: "Resource type 'AWS::SQS::Queues' does not exist",
    },
  ],
  [
    'a GetAtt of an attribute the resource lacks',
    (t) => {
      at(t, 'Outputs.FailureQueueArn').Value = { 'Fn::GetAtt': ['FailureQueue', 'Arnn'] };
    },
    {
      rule: 'E6101',
      path: 'Outputs.FailureQueueArn.Value.Fn::GetAtt.1',
      message: "'Arnn' is not one of",
    },
  ],
  [
    'a Ref to nothing',
    (t) => {
      at(t, `${FN}.Environment.Variables`).REQUIRED_TAG = { Ref: 'RequiredTags' };
    },
    {
      rule: 'E1020',
      path: `${FN}.Environment.Variables.REQUIRED_TAG.Ref`,
      message: "'RequiredTags' is not one of",
    },
  ],
  [
    'a Sub variable that is nothing',
    (t) => {
      at(t, 'Resources.FunctionErrorsAlarm.Properties').AlarmName = {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
        'Fn::Sub': '${StackName}-x',
      };
    },
    {
      rule: 'E1019',
      path: 'Resources.FunctionErrorsAlarm.Properties.AlarmName.Fn::Sub',
      message: "'StackName' is not one of",
    },
  ],
  [
    'an unknown condition',
    (t) => {
      at(t, 'Resources.RotationFailedAlarm').Condition = 'CreateAlarm';
    },
    {
      rule: 'E3015',
      path: 'Resources.RotationFailedAlarm.Condition',
      message: "'CreateAlarm' is not one of",
    },
  ],
  [
    'a misspelt resource attribute',
    (t) => {
      at(t, 'Resources.IdempotencyTable').DeletionPolicies = 'Delete';
    },
    {
      rule: 'E3001',
      path: 'Resources.IdempotencyTable.DeletionPolicies',
      message: "'DeletionPolicies' was unexpected",
    },
  ],
];

/** The YAML copy: template.yaml as text with one value changed (no round trip through a parser). */
const UNKNOWN_RUNTIME = {
  file: 'unknown-runtime.yaml',
  from: /^(\s+Runtime:) \S+$/m,
  to: '$1 nodejs99.x',
  expected: {
    rule: 'E3030',
    path: `${FN}.Runtime`,
    message: "'nodejs99.x' is not one of",
  },
} as const;

const UNBROKEN_COPY = 'unbroken.json';
const copyFile = (index: number): string => `broken-${String(index).padStart(2, '0')}.json`;

const failures = (findings: readonly CfnLintFinding[]): string[] =>
  findings.filter((finding) => finding.level !== 'Informational').map(formatFinding);

/** Writes every copy into `dir`: the unbroken JSON copy, the broken ones, the YAML one. */
const writeCopies = (dir: string): string[] => {
  const files = [UNBROKEN_COPY, ...BROKEN_COPIES.map((_row, index) => copyFile(index))];
  const breakers = [() => undefined, ...BROKEN_COPIES.map(([, breakIt]) => breakIt)];
  breakers.forEach((breakIt, index) => {
    const template = loadTemplate();
    breakIt(template);
    writeFileSync(join(dir, files[index] ?? ''), JSON.stringify(template, null, 2));
  });
  const yaml = readFileSync(TEMPLATE_PATH, 'utf8');
  const broken = yaml.replace(UNKNOWN_RUNTIME.from, UNKNOWN_RUNTIME.to);
  if (broken === yaml) throw new Error('template.yaml has no "Runtime:" line to break');
  writeFileSync(join(dir, UNKNOWN_RUNTIME.file), broken);
  return [...files, UNKNOWN_RUNTIME.file];
};

let dir: string;
let findings: CfnLintFinding[];

/** The findings of one linted file: `template.yaml`, or a copy by its name in the temp dir. */
const findingsOf = (file: string): CfnLintFinding[] => {
  const path = file === 'template.yaml' ? file : join(dir, file);
  return findings.filter((finding) => finding.file === path);
};

describe('cfn-lint', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cfn-lint-copies-'));
    const copies = writeCopies(dir).map((file) => join(dir, file));
    // From the repository root, as `cfn-lint template.yaml` runs; two halves in parallel (one run
    // costs ~1 s to start and ~0.3 s per template).
    const half = Math.ceil(copies.length / 2);
    const runs = await Promise.all([
      runCfnLint(['template.yaml', ...copies.slice(0, half)]),
      runCfnLint(copies.slice(half)),
    ]);
    findings = runs.flat();
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  describe('on template.yaml', () => {
    it('reports no error and no warning (informational findings are printed)', () => {
      // Prepare
      const original = findingsOf('template.yaml');
      const informational = original.filter((finding) => finding.level === 'Informational');
      // Act
      if (informational.length > 0) {
        process.stdout.write(
          `cfn-lint informational findings (not failures):\n${informational.map(formatFinding).join('\n')}\n`
        );
      }
      // Assess
      expect(failures(original)).toEqual([]);
    });
  });

  describe('on copies of template.yaml', () => {
    it('reports on the unbroken JSON copy exactly what it reports on template.yaml', () => {
      // Prepare: the copies differ from it only by what each one breaks
      const essence = ({ level, rule, path, message }: CfnLintFinding) =>
        `${level} ${rule} ${path}: ${message}`;
      // Act
      const copy = findingsOf(UNBROKEN_COPY).map(essence);
      // Assess
      expect(copy).toEqual(findingsOf('template.yaml').map(essence));
    });

    it.each(
      BROKEN_COPIES.map(([name, , expected], index) => [name, copyFile(index), expected] as const)
    )('reports %s', (_case, file, expected) => {
      // Prepare
      const copy = findingsOf(file);
      // Act
      const errors = copy.filter((finding) => finding.level === 'Error');
      // Assess
      expect(errors).toContainEqual(
        expect.objectContaining({
          rule: expected.rule,
          path: expected.path,
          message: expect.stringContaining(expected.message),
        })
      );
    });

    it('reports an unknown runtime (nodejs99.x) in a YAML copy', () => {
      // Prepare
      const copy = findingsOf(UNKNOWN_RUNTIME.file);
      // Act
      const errors = copy.filter((finding) => finding.level === 'Error');
      // Assess
      expect(errors).toContainEqual(
        expect.objectContaining({
          ...UNKNOWN_RUNTIME.expected,
          message: expect.stringContaining(UNKNOWN_RUNTIME.expected.message),
        })
      );
    });
  });
});

describe('runCfnLint without cfn-lint', () => {
  it.each([
    ['on CI', true, /not installed on this CI runner.*pip install cfn-lint/],
    ['locally', false, /not on PATH.*not skipped.*pip install cfn-lint/],
  ] as const)('fails %s with how to install it', async (_where, ci, message) => {
    // Prepare
    const command = 'cfn-lint-not-installed-here';
    // Act
    const run = runCfnLint(['template.yaml'], { command, ci });
    // Assess
    await expect(run).rejects.toThrow(CfnLintMissingError);
    await expect(run).rejects.toThrow(message);
  });
});
