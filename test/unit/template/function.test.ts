/**
 * The function resource: how sam build builds it (the Makefile), handler, runtime settings, and an
 * environment that is exactly what the code reads (derived from src/), with values the code accepts
 * at start-up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ClientSettings } from '../../../src/aws/clients';
import { dynamoDbClientSettings, secretsManagerClientSettings } from '../../../src/aws/clients';
import { ENTRY_RETRIES, eventBridgeClientSettings } from '../../../src/notifications/eventbridge';
import { BUNDLE_PATH, loadBundle } from '../../helpers/bundle';
import type { CfnObject, CfnTemplate } from '../../helpers/cfn';
import {
  bindTemplate,
  deployedResource,
  isObject,
  loadTemplate,
  REPO_ROOT,
} from '../../helpers/cfn';
import { envVarsReadIn, functionEntryPoint, functionSourceText } from './derive';

const template = loadTemplate();
const defaults = bindTemplate(template);
const fn = deployedResource(defaults, 'RemediatorFunction');

/** The SAM functions the template builds with a Makefile (`Metadata.BuildMethod: makefile`). */
const makefileFunctions = Object.entries(template.Resources)
  .filter(
    ([, resource]) =>
      resource.Type === 'AWS::Serverless::Function' && resource.Metadata?.BuildMethod === 'makefile'
  )
  .map(([logicalId, resource]) => ({
    logicalId,
    makefile: resolve(REPO_ROOT, String(resource.Properties?.CodeUri ?? '.'), 'Makefile'),
  }));

/** The targets a Makefile defines (`name:` at the start of a line; `:=` is an assignment). */
const makefileTargets = (text: string): string[] =>
  Array.from(text.matchAll(/^([\w.%/-]+)[ \t]*:(?!=)/gm), ([, name = '']) => name);

/** The recipe lines of a Makefile target (the tab-indented lines below its rule), trimmed. */
const recipeOf = (text: string, target: string): string[] => {
  const lines = text.split('\n');
  const rule = lines.findIndex((line) => line.startsWith(`${target}:`));
  const below = rule < 0 ? [] : lines.slice(rule + 1);
  const end = below.findIndex((line) => !line.startsWith('\t'));
  return (end < 0 ? below : below.slice(0, end)).map((line) => line.trim());
};

/** The Lambda's parts that `npm run build` wrote (dist/parts/*.js). */
const partFiles = (): string[] => {
  const folder = resolve(dirname(BUNDLE_PATH), 'parts');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.js'))
    .map((file) => resolve(folder, file));
};

/** The source files a built file's source map lists, as absolute paths. */
const mappedSources = (builtFile: string): string[] => {
  const map = JSON.parse(readFileSync(`${builtFile}.map`, 'utf8')) as { sources: string[] };
  return map.sources.map((source) => resolve(dirname(builtFile), source));
};

/**
 * Variables the stack sets on purpose although src/ does not (or not only) read them itself. Keep
 * this small and explained: everything else must be read by the code.
 */
const SET_FOR_LIBRARIES = {
  POWERTOOLS_SERVICE_NAME: 'Powertools Logger and Metrics (src/audit also falls back on it)',
  POWERTOOLS_LOG_LEVEL: 'Powertools Logger reads it itself',
  POWERTOOLS_METRICS_NAMESPACE: 'Powertools Metrics (src/audit/metrics.ts also passes it on)',
  NODE_OPTIONS: 'Node.js itself: --enable-source-maps for the bundled source map',
  AWS_ENDPOINT_URL_SECRETS_MANAGER:
    'the AWS SDK; empty (ignored) when deployed, declared so sam local invoke --env-vars can set it',
  AWS_ENDPOINT_URL_DYNAMODB:
    'the AWS SDK; empty (ignored) when deployed, declared so sam local invoke --env-vars can set it',
  AWS_ENDPOINT_URL_CLOUDTRAIL:
    'the AWS SDK; empty (ignored) when deployed, declared so sam local invoke --env-vars can set it',
  AWS_ENDPOINT_URL_EVENTBRIDGE:
    'the AWS SDK; empty (ignored) when deployed, declared so sam local invoke --env-vars can set it',
} as const;

/** Variables src/ reads that Lambda itself sets (reserved: a template may not set them). */
const SET_BY_LAMBDA = {
  AWS_LAMBDA_INITIALIZATION_TYPE:
    'on-demand, provisioned-concurrency or snap-start: whether the clients are made at init (src/settings.ts)',
} as const;

/** Variables src/ reads that the deployed stack must leave unset. */
const LEFT_UNSET = {
  POWERTOOLS_IDEMPOTENCY_DISABLED:
    'a switch for local experiments: the deployed function always uses the idempotency table',
  SWEEP_GRACE_SECONDS: 'the old name of ROTATION_GRACE_SECONDS, read only to refuse it by name',
} as const;

const environmentOf = (parameters: Record<string, string> = {}): Record<string, string> => {
  const resource = deployedResource(bindTemplate(template, { parameters }), 'RemediatorFunction');
  const environment = resource.properties.Environment;
  if (!isObject(environment) || !isObject(environment.Variables)) {
    throw new Error('RemediatorFunction has no Environment.Variables');
  }
  return Object.fromEntries(
    Object.entries(environment.Variables).map(([name, value]) => [name, String(value)])
  );
};

describe('build (sam build runs the Makefile)', () => {
  it("builds with the Makefile, not with SAM's esbuild builder (one file per entry point)", () => {
    // Prepare: the function's Metadata
    // Act
    const { BuildMethod, BuildProperties } = fn.metadata;
    // Assess
    expect(BuildMethod).toBe('makefile');
    expect(BuildProperties).toBeUndefined();
    expect(makefileFunctions.map(({ logicalId }) => logicalId)).toContain('RemediatorFunction');
  });

  it.each(makefileFunctions)(
    '$logicalId: its CodeUri holds a Makefile with a build-$logicalId target',
    ({ logicalId, makefile }) => {
      // Prepare
      const text = existsSync(makefile) ? readFileSync(makefile, 'utf8') : '';
      // Act
      const targets = makefileTargets(text);
      // Assess
      expect(existsSync(makefile)).toBe(true);
      expect(targets).toContain(`build-${logicalId}`);
    }
  );

  it('the target refuses an empty ARTIFACTS_DIR, installs, then runs scripts/lambda-build.mjs into it', () => {
    // Prepare
    const text = readFileSync(resolve(REPO_ROOT, 'Makefile'), 'utf8');
    // Act
    const recipe = recipeOf(text, 'build-RemediatorFunction');
    // Assess
    expect(recipe).toEqual([
      expect.stringContaining('test -n "$(ARTIFACTS_DIR)"'),
      '$(NPM_CI)',
      'node scripts/lambda-build.mjs "$(ARTIFACTS_DIR)"',
    ]);
    expect(text).toMatch(/^NPM_CI \?= npm ci --no-audit --no-fund$/m);
  });

  it.each<[string, CfnObject, string, string]>([
    [
      "SAM's esbuild builder",
      { BuildMethod: 'esbuild', BuildProperties: { EntryPoints: ['src/handler.ts'] } },
      'handler.handler',
      'built by esbuild, not by the Makefile',
    ],
    ['no build method', {}, 'handler.handler', 'built by undefined, not by the Makefile'],
    ['a Handler without an export', { BuildMethod: 'makefile' }, 'handler', 'no Handler'],
    [
      'a Handler naming no source',
      { BuildMethod: 'makefile' },
      'missing.handler',
      'no src/missing.ts',
    ],
  ])(
    'the template tests refuse to guess the entry point with %s',
    (_case, metadata, handler, message) => {
      // Prepare: a copy of the template with that build
      const copy = structuredClone(template) as CfnTemplate;
      const resource = copy.Resources.RemediatorFunction;
      if (resource === undefined || !isObject(resource.Properties)) throw new Error('no function');
      resource.Metadata = structuredClone(metadata);
      resource.Properties.Handler = handler;
      // Act
      const derive = (): string => functionEntryPoint(copy, 'RemediatorFunction');
      // Assess
      expect(derive).toThrow(message);
    }
  );
});

describe('the handler', () => {
  const entryPoint = functionEntryPoint(template, 'RemediatorFunction');
  const handler = String(fn.properties.Handler);
  const dot = handler.lastIndexOf('.');
  const moduleName = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  // `npm run build` writes dist/ with the Makefile's build (test/integration/sam-build.test.ts
  // compares the two byte for byte).
  const builtFile = resolve(REPO_ROOT, 'dist', `${moduleName}.js`);

  it('names handler.js at the top of the artifacts, built from src/handler.ts', () => {
    // Prepare: the Handler and CodeUri of the function
    // Act
    const file = `${moduleName}.js`;
    // Assess
    expect(file).toBe('handler.js');
    expect(entryPoint).toBe('src/handler.ts');
  });

  it('names an export of the entry point', () => {
    // Prepare
    const source = readFileSync(resolve(REPO_ROOT, entryPoint), 'utf8');
    // Act
    const exported = new RegExp(
      `export\\s+(const|let|async\\s+function|function)\\s+${exportName}\\b`
    );
    // Assess
    expect(source).toMatch(exported);
  });

  it('is the file the build writes from the entry point (dist/handler.js, its source map lists it)', () => {
    // Prepare: dist/handler.js and its source map
    // Act
    const sources = mappedSources(builtFile);
    // Assess
    expect(builtFile).toBe(BUNDLE_PATH);
    expect(sources).toContain(resolve(REPO_ROOT, entryPoint));
  });

  it("bundles the AWS SDK (in parts/aws.js): the function runs the version it was tested with, not the runtime's", () => {
    // Prepare: the Lambda's files (dist/handler.js and dist/parts/) and their source maps
    const files = [builtFile, ...partFiles()];
    // Act
    const sources = files.flatMap((file) => mappedSources(file));
    const requiringSdk = files.filter((file) =>
      /require\(["']@aws-sdk\/client-/.test(readFileSync(file, 'utf8'))
    );
    // Assess
    expect(mappedSources(resolve(dirname(builtFile), 'parts/aws.js'))).toContainEqual(
      expect.stringContaining('/node_modules/@aws-sdk/client-secrets-manager/')
    );
    expect(sources).toContainEqual(
      expect.stringContaining('/node_modules/@aws-sdk/client-dynamodb/')
    );
    expect(requiringSdk).toEqual([]);
  });

  it('is a function exported by the built bundle (dist/handler.js)', () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, environmentOf({ LogLevel: 'SILENT' }));
    try {
      // Act
      const bundle = loadBundle() as unknown as Record<string, unknown>;
      // Assess
      expect(typeof bundle[exportName]).toBe('function');
    } finally {
      process.env = saved;
    }
  });
});

describe('runtime settings', () => {
  it.each([
    ['Runtime', 'nodejs24.x'],
    ['Architectures', ['arm64']],
    ['MemorySize', 256],
    ['Timeout', 60],
    ['CodeUri', './'],
  ] as const)('%s is %j', (name, expected) => {
    // Prepare: the deployed function
    // Act
    const value = fn.properties[name];
    // Assess
    expect(value).toEqual(expected);
  });

  it('outlasts a Secrets Manager call and a DynamoDB call that spend every attempt, twice over', () => {
    // Prepare: the client settings of src/aws/clients.ts (a run stops at its first call that fails)
    const attemptsMs = (
      settings: typeof secretsManagerClientSettings | typeof dynamoDbClientSettings
    ) => settings.maxAttempts * (settings.connectionTimeout + settings.requestTimeout);
    const budgetMs = attemptsMs(secretsManagerClientSettings) + attemptsMs(dynamoDbClientSettings);
    // Act
    const timeoutMs = Number(fn.properties.Timeout) * 1000;
    // Assess
    expect(timeoutMs).toBeGreaterThanOrEqual(2 * budgetMs);
    expect(timeoutMs).toBeLessThanOrEqual(900_000);
  });

  it('leaves room after that for the outcome event, every PutEvents attempt and entry retry spent', () => {
    // Prepare: src/notifications/eventbridge.ts (the event is put after the remediation ends)
    const attemptsMs = (settings: ClientSettings) =>
      settings.maxAttempts * (settings.connectionTimeout + settings.requestTimeout);
    const remediationMs =
      2 * (attemptsMs(secretsManagerClientSettings) + attemptsMs(dynamoDbClientSettings));
    const pausesMs = Array.from(
      { length: ENTRY_RETRIES.retries },
      (_, round) => ENTRY_RETRIES.baseDelayMs * 2 ** round
    ).reduce((sum, ms) => sum + ms, 0);
    const eventMs = (ENTRY_RETRIES.retries + 1) * attemptsMs(eventBridgeClientSettings) + pausesMs;
    // Act
    const timeoutMs = Number(fn.properties.Timeout) * 1000;
    // Assess
    expect(timeoutMs).toBeGreaterThanOrEqual(remediationMs + eventMs);
  });

  it.each([
    ['0 leaves it unset', '0', undefined],
    ['5 reserves 5', '5', '5'],
  ] as const)('ReservedConcurrency %s', (_case, reserved, expected) => {
    // Prepare
    const evaluation = bindTemplate(template, { parameters: { ReservedConcurrency: reserved } });
    // Act
    const value = deployedResource(evaluation, 'RemediatorFunction').properties
      .ReservedConcurrentExecutions;
    // Assess
    expect(value).toBe(expected);
  });
});

describe('environment', () => {
  it('sets every variable the code reads and nothing it ignores (besides the library ones)', () => {
    // Prepare
    const read = envVarsReadIn(functionSourceText(template, 'RemediatorFunction'));
    const expected = [
      ...read.filter((name) => !(name in LEFT_UNSET) && !(name in SET_BY_LAMBDA)),
      ...Object.keys(SET_FOR_LIBRARIES),
    ];
    // Act
    const set = Object.keys(environmentOf());
    // Assess
    expect(read).toEqual(expect.arrayContaining(Object.keys(LEFT_UNSET)));
    expect(read).toEqual(expect.arrayContaining(Object.keys(SET_BY_LAMBDA)));
    expect([...new Set(set)].sort()).toEqual([...new Set(expected)].sort());
  });

  it.each([
    ['IDEMPOTENCY_TABLE_NAME', '{{IdempotencyTable}}'],
    ['IDEMPOTENCY_TTL_SECONDS', '3600'],
    ['POWERTOOLS_SERVICE_NAME', 'rotation-remediator'],
    ['POWERTOOLS_LOG_LEVEL', 'INFO'],
    ['POWERTOOLS_METRICS_NAMESPACE', 'RotationRemediator'],
    ['REQUIRED_TAG', ''],
    ['DEFAULT_PENDING_ACTION', 'auto'],
    ['ACT_ON_EVENTS', 'RotationFailed'],
    ['NODE_OPTIONS', '--enable-source-maps'],
    ['AWS_ENDPOINT_URL_SECRETS_MANAGER', ''],
    ['AWS_ENDPOINT_URL_DYNAMODB', ''],
    ['AWS_ENDPOINT_URL_CLOUDTRAIL', ''],
    ['AWS_ENDPOINT_URL_EVENTBRIDGE', ''],
    ['FAILED_STEP_LOOKUP', 'on'],
    ['EVENT_BUS_NAME', 'default'],
    ['ROTATION_GRACE_SECONDS', '3600'],
    ['UNKNOWN_STEP_ACTION', 'hold'],
    ['TRUSTED_EVENT_ACCOUNTS', ''],
    ['HTTP_API_ID', ''],
  ] as const)('%s defaults to %j', (name, expected) => {
    // Prepare: the default parameters
    // Act
    const value = environmentOf()[name];
    // Assess
    expect(value).toBe(expected);
  });

  it("passes the stack's own HTTP API id back in as HTTP_API_ID (its output, on the second deploy)", () => {
    // Prepare
    const outputs = (template as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    // Act
    const value = environmentOf({ HttpApiId: 'a1b2c3d4e5' }).HTTP_API_ID;
    // Assess
    expect(value).toBe('a1b2c3d4e5');
    expect(outputs.HttpApiId?.Value).toEqual({ Ref: 'RemediationsApi' });
  });

  it.each([
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ENDPOINT_URL_CLOUDTRAIL',
    'AWS_ENDPOINT_URL_EVENTBRIDGE',
  ])('leaves %s empty whatever the parameters (no endpoint override in AWS)', (name) => {
    // Prepare
    const variants: Record<string, string>[] = [
      {},
      { RequiredTag: 'a=b', LogLevel: 'DEBUG', ActOnEvents: 'RotationFailed' },
    ];
    // Act
    const values = variants.map((parameters) => environmentOf(parameters)[name]);
    // Assess
    expect(values).toEqual(['', '']);
  });

  const startUpCases = [
    ['the defaults', {}],
    ['a required tag', { RequiredTag: 'rr:remediate=true' }],
    ['two event names', { ActOnEvents: 'RotationFailed,TestRotationFailed' }],
    [
      'discard and the shortest TTL',
      { DefaultPendingAction: 'discard', IdempotencyTtlSeconds: '60' },
    ],
    ['no outcome events', { EventBusName: 'none' }],
    [
      'a central event bus by ARN',
      { EventBusName: 'arn:aws:events:us-east-1:210987654321:event-bus/central' },
    ],
  ] as const;
  it.each(startUpCases)(
    'starts the bundle without a configuration error with %s',
    (_case, parameters) => {
      // Prepare
      const saved = { ...process.env };
      Object.assign(process.env, environmentOf({ ...parameters, LogLevel: 'SILENT' }));
      try {
        // Act
        const load = (): unknown => loadBundle();
        // Assess
        expect(load).not.toThrow();
      } finally {
        process.env = saved;
      }
    }
  );
});
