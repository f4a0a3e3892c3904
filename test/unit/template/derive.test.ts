/**
 * The deriving functions the template tests rely on, on fixture strings: they must find what the
 * code sends and reads (so a new call or variable makes the template tests fail), and nothing else.
 */
import {
  awsSdkPackagesIn,
  commandsImportedFrom,
  diffActions,
  dynamoDbActionsSentIn,
  envVarsReadIn,
  isSecretValueAction,
  isWildcardAction,
  rotationFunctionActionsIn,
  secretsManagerActionsIn,
} from './derive';

describe('rotationFunctionActionsIn', () => {
  it.each([
    [
      'RotateSecret sent',
      "import { RotateSecretCommand } from '@aws-sdk/client-secrets-manager';",
      ['lambda:InvokeFunction'],
    ],
    [
      'no RotateSecret',
      "import { CancelRotateSecretCommand } from '@aws-sdk/client-secrets-manager';",
      [],
    ],
  ] as const)('%s', (_case, source, expected) => {
    // Prepare: the source
    // Act
    const actions = rotationFunctionActionsIn(source);
    // Assess
    expect(actions).toEqual(expected);
  });
});

describe('secretsManagerActionsIn', () => {
  it.each([
    [
      'a named import',
      "import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';",
      ['secretsmanager:DescribeSecret'],
    ],
    [
      'a multi-line import with an alias and a type-only specifier',
      'import {\n  type DescribeSecretResponse,\n  GetSecretValueCommand as Get,\n  SecretsManagerClient,\n} from "@aws-sdk/client-secrets-manager";',
      ['secretsmanager:GetSecretValue'],
    ],
    [
      'an `import type` (no call can be made with it)',
      "import type { CancelRotateSecretCommand } from '@aws-sdk/client-secrets-manager';",
      [],
    ],
    [
      'a namespace import',
      "import * as sm from '@aws-sdk/client-secrets-manager';\nawait c.send(new sm.PutSecretValueCommand({}));",
      ['secretsmanager:PutSecretValue'],
    ],
    ['another client', "import { PutItemCommand } from '@aws-sdk/client-dynamodb';", []],
    [
      'a commented-out import',
      "/* import { RotateSecretCommand } from '@aws-sdk/client-secrets-manager'; */\n// import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';",
      [],
    ],
  ] as const)('finds %s', (_case, source, expected) => {
    // Prepare: the fixture source
    // Act
    const actions = secretsManagerActionsIn(source);
    // Assess
    expect(actions).toEqual(expected);
  });
});

describe('dynamoDbActionsSentIn', () => {
  it.each([
    [
      'compiled CommonJS (`new module_1.XCommand(`)',
      'await this.client.send(new client_dynamodb_1.GetItemCommand({ TableName }));\nawait this.client.send(new client_dynamodb_1.PutItemCommand(item));',
      ['dynamodb:GetItem', 'dynamodb:PutItem'],
    ],
    ['a bare class', 'client.send(new DeleteItemCommand(input))', ['dynamodb:DeleteItem']],
    ['a reference without `new`', 'const C = client_dynamodb_1.ScanCommand;', []],
  ] as const)('finds %s', (_case, source, expected) => {
    // Prepare: the fixture source
    // Act
    const actions = dynamoDbActionsSentIn(source);
    // Assess
    expect(actions).toEqual(expected);
  });
});

describe('envVarsReadIn', () => {
  it.each([
    ['process.env.NAME', 'const a = process.env.TABLE_NAME;', ['TABLE_NAME']],
    ['an injected env', 'const b = env.DEFAULT_ACTION?.trim();', ['DEFAULT_ACTION']],
    ['bracket access', "const c = env['LOG_LEVEL'];", ['LOG_LEVEL']],
    [
      'the Powertools helper style',
      "getBooleanFromEnv({ key: 'POWERTOOLS_X_DISABLED', defaultValue: false })",
      ['POWERTOOLS_X_DISABLED'],
    ],
    ['a name only in a comment', '/** Reads `env.NOT_READ` */\n// process.env.ALSO_NOT', []],
    ['a lower-case property', 'const d = env.region;', []],
  ] as const)('finds %s', (_case, source, expected) => {
    // Prepare: the fixture source
    // Act
    const names = envVarsReadIn(source);
    // Assess
    expect(names).toEqual(expected);
  });
});

describe('awsSdkPackagesIn', () => {
  it('lists client and lib packages, not core ones', () => {
    // Prepare
    const source = [
      "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
      "import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      "import { fromEnv } from '@aws-sdk/credential-providers';",
    ].join('\n');
    // Act
    const packages = awsSdkPackagesIn(source);
    // Assess
    expect(packages).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/lib-dynamodb',
    ]);
  });
});

describe('diffActions: both directions', () => {
  const code =
    "import { DescribeSecretCommand, CancelRotateSecretCommand } from '@aws-sdk/client-secrets-manager';";

  it.each([
    [
      'code gains a call the policy lacks',
      `${code}\nimport { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';`,
      ['secretsmanager:DescribeSecret', 'secretsmanager:CancelRotateSecret'],
      { missing: ['secretsmanager:GetSecretValue'], extra: [] },
    ],
    [
      'the policy grants more than the code sends',
      code,
      [
        'secretsmanager:DescribeSecret',
        'secretsmanager:CancelRotateSecret',
        'secretsmanager:ListSecrets',
      ],
      { missing: [], extra: ['secretsmanager:ListSecrets'] },
    ],
    [
      'they agree (IAM names are case-insensitive)',
      code,
      ['secretsmanager:describesecret', 'secretsmanager:CancelRotateSecret'],
      { missing: [], extra: [] },
    ],
  ] as const)('reports when %s', (_case, source, granted, expected) => {
    // Prepare
    const needed = secretsManagerActionsIn(source);
    // Act
    const diff = diffActions(granted, needed);
    // Assess
    expect(diff).toEqual(expected);
  });
});

describe('action classifiers', () => {
  it.each([
    ['*', true],
    ['secretsmanager:*', true],
    ['secretsmanager:Get*', true],
    ['secretsmanager:Describe?ecret', true],
    ['secretsmanager:DescribeSecret', false],
  ] as const)('isWildcardAction(%s) is %s', (action, expected) => {
    // Prepare: the action
    // Act
    const wildcard = isWildcardAction(action);
    // Assess
    expect(wildcard).toBe(expected);
  });

  it.each([
    ['secretsmanager:GetSecretValue', true],
    ['secretsmanager:BatchGetSecretValue', true],
    ['secretsmanager:PutSecretValue', true],
    ['kms:Decrypt', true],
    ['secretsmanager:DescribeSecret', false],
    ['secretsmanager:UpdateSecretVersionStage', false],
    // turns rotation on; the rotation function handles values with its own role
    ['secretsmanager:RotateSecret', false],
  ] as const)('isSecretValueAction(%s) is %s', (action, expected) => {
    // Prepare: the action
    // Act
    const touchesValue = isSecretValueAction(action);
    // Assess
    expect(touchesValue).toBe(expected);
  });
});

describe('commandsImportedFrom', () => {
  it('ignores look-alike module names', () => {
    // Prepare
    const source = "import { GetItemCommand } from '@aws-sdk/client-dynamodb-streams';";
    // Act
    const operations = commandsImportedFrom(source, '@aws-sdk/client-dynamodb');
    // Assess
    expect(operations).toEqual([]);
  });
});

describe('commandsImportedFrom with paginators', () => {
  it.each([
    [
      "import { paginateListSecrets, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';",
      ['DescribeSecret', 'ListSecrets'],
    ],
    [
      "import * as sm from '@aws-sdk/client-secrets-manager';\nsm.paginateListSecretVersionIds(c, {});",
      ['ListSecretVersionIds'],
    ],
    ["import type { paginateListSecrets } from '@aws-sdk/client-secrets-manager';", []],
  ] as const)('counts a paginator as its operation: %s', (source, expected) => {
    // Prepare: the source
    // Act
    const operations = commandsImportedFrom(source, '@aws-sdk/client-secrets-manager');
    // Assess
    expect(operations).toEqual(expected);
  });
});

describe('commandsImportedFrom with the SDK taken from an accessor (loaded on first use)', () => {
  it.each([
    [
      'const { CancelRotateSecretCommand, RotateSecretCommand } = sdk();',
      ['CancelRotateSecret', 'RotateSecret'],
    ],
    ['client.send(new (sdk().DescribeSecretCommand)({ SecretId }));', ['DescribeSecret']],
    ['const pages = sdk().paginateListSecrets({ client }, {});', ['ListSecrets']],
    ['new (sdk().SecretsManagerClient)({});', []],
    ['const { CancelRotateSecretCommand } = other();', []],
    ['// sdk().RotateSecretCommand is named in a comment only', []],
  ] as const)('%s', (source, expected) => {
    // Prepare: the source
    // Act
    const operations = commandsImportedFrom(source, '@aws-sdk/client-secrets-manager', 'sdk');
    // Assess
    expect(operations).toEqual(expected);
  });
});
