/**
 * Facts derived from the code, for the template tests: which AWS operations the function sends and
 * which environment variables it reads. Everything is read from source text, so the tests follow
 * the code instead of a hand-kept list. "The function's code" is the module graph of the function's
 * entry point (esbuild's own metafile, the lazily required parts included), so local tools under
 * src/ (the CLI) do not count.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type { CfnTemplate } from '../../helpers/cfn';
import { REPO_ROOT } from '../../helpers/cfn';

/** The source tree of the function. */
export const SRC_DIR = resolve(REPO_ROOT, 'src');

/** The Powertools file whose DynamoDB commands the idempotency table must allow. */
export const POWERTOOLS_DYNAMODB_LAYER = resolve(
  REPO_ROOT,
  'node_modules/@aws-lambda-powertools/idempotency/lib/cjs/persistence/DynamoDBPersistenceLayer.js'
);

/** Every `.ts` file under `dir`, recursively, sorted. */
export const typeScriptFiles = (dir: string = SRC_DIR): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return typeScriptFiles(path);
      return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')
        ? [path]
        : [];
    })
    .sort();

/**
 * The src/ files esbuild bundles from `entryPoint` (relative to the repository root), including
 * modules loaded with a dynamic `import()`. Packages stay external: only our own files count.
 */
export const bundledSourceFiles = (entryPoint: string): string[] => {
  const { metafile } = buildSync({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile: 'derive-out.js',
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs)
    .filter((input) => input.startsWith('src/') && input.endsWith('.ts'))
    .map((input) => resolve(REPO_ROOT, input))
    .sort();
};

/**
 * The entry point of a SAM function (relative to the repository root): the source of the module its
 * `Handler` names. The function is built with `BuildMethod: makefile`: the Makefile's
 * `build-<LogicalId>` target runs scripts/lambda-build.mjs, which writes `<module>.js` at the top of
 * the artifacts from `src/<module>.ts` under `CodeUri` (handler.js from src/handler.ts), the parts
 * beside it. function.test.ts checks that against dist/handler.js's source map, and
 * test/integration/sam-build.test.ts runs the Makefile target itself.
 */
export const functionEntryPoint = (template: CfnTemplate, logicalId: string): string => {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Serverless::Function') {
    throw new Error(`${logicalId} is not an AWS::Serverless::Function`);
  }
  const buildMethod = resource.Metadata?.BuildMethod;
  if (buildMethod !== 'makefile') {
    throw new Error(`${logicalId} is built by ${String(buildMethod)}, not by the Makefile`);
  }
  const handler = String(resource.Properties?.Handler ?? '');
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`${logicalId} has no Handler of the form <module>.<export>`);
  const entryPoint = join(
    String(resource.Properties?.CodeUri ?? '.'),
    'src',
    `${handler.slice(0, dot)}.ts`
  );
  if (!existsSync(resolve(REPO_ROOT, entryPoint))) {
    throw new Error(`${logicalId}: no ${entryPoint} for the Handler ${handler}`);
  }
  return entryPoint;
};

/** The text of the function's own code: the src/ files bundled from its entry point. */
export const functionSourceText = (template: CfnTemplate, logicalId: string): string =>
  sourceText(bundledSourceFiles(functionEntryPoint(template, logicalId)));

/** The concatenated text of `files` (default: every `.ts` file under src/). */
export const sourceText = (files: readonly string[] = typeScriptFiles()): string =>
  files.map((path) => readFileSync(path, 'utf8')).join('\n');

/** Removes block comments and whole-line `//` comments (TSDoc mentions names it does not read). */
export const stripComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const unique = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** `Xxx` of a command or paginator name (`XxxCommand`, `paginateXxx`), else undefined. */
const operationOf = (name: string): string | undefined => {
  const match = /^(?:(\w+)Command|paginate(\w+))$/.exec(name.trim());
  return match?.[1] ?? match?.[2];
};

/**
 * The operations a source takes from a function returning the SDK module, required on first use
 * (src/aws/clients.ts `secretsManagerSdk`): `accessor().XxxCommand` and `{ XxxCommand } = accessor()`.
 */
const commandsTakenFrom = (code: string, accessor: string): string[] => {
  const found: string[] = [];
  for (const [, name = ''] of code.matchAll(new RegExp(`\\b${accessor}\\(\\)\\.(\\w+)`, 'g'))) {
    found.push(operationOf(name) ?? '');
  }
  const destructured = new RegExp(`\\{([^{}]*)\\}\\s*=\\s*${accessor}\\(\\)`, 'g');
  for (const [, names = ''] of code.matchAll(destructured)) {
    for (const name of names.split(',')) found.push(operationOf(name.split(':')[0] ?? '') ?? '');
  }
  return found.filter((operation) => operation !== '');
};

/**
 * The `XxxCommand` classes and `paginateXxx` paginators a source imports (as values, not
 * `import type`) from `module`, plus `ns.XxxCommand` / `ns.paginateXxx` uses of a namespace import
 * of it, plus what it takes from `accessor()` (see {@link commandsTakenFrom}). Returns the
 * operation names (`Xxx`), sorted.
 */
export const commandsImportedFrom = (
  source: string,
  module: string,
  accessor?: string
): string[] => {
  const code = stripComments(source);
  const quoted = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const named = new RegExp(`import\\s+(type\\s+)?\\{([^}]*)\\}\\s*from\\s*['"]${quoted}['"]`, 'g');
  const namespace = new RegExp(`import\\s+\\*\\s+as\\s+(\\w+)\\s+from\\s*['"]${quoted}['"]`, 'g');
  const found: string[] = [];
  for (const [, typeOnly, specifiers = ''] of code.matchAll(named)) {
    if (typeOnly !== undefined) continue;
    for (const specifier of specifiers.split(',')) {
      const [imported = ''] = specifier.trim().split(/\s+as\s+/);
      if (imported.startsWith('type ')) continue;
      const match = /^(?:(\w+)Command|paginate(\w+))$/.exec(imported.trim());
      const operation = match?.[1] ?? match?.[2];
      if (operation !== undefined) found.push(operation);
    }
  }
  for (const [, alias] of code.matchAll(namespace)) {
    for (const [, command, paginated] of code.matchAll(
      new RegExp(`\\b${alias}\\.(?:(\\w+)Command|paginate(\\w+))\\b`, 'g')
    )) {
      found.push(command ?? paginated ?? '');
    }
  }
  if (accessor !== undefined) found.push(...commandsTakenFrom(code, accessor));
  return unique(found);
};

/**
 * `secretsmanager:Xxx` for each `XxxCommand` (or paginator) imported from
 * `@aws-sdk/client-secrets-manager` or taken from `secretsManagerSdk()` (the SDK, loaded on first use).
 */
export const secretsManagerActionsIn = (source: string): string[] =>
  commandsImportedFrom(source, '@aws-sdk/client-secrets-manager', 'secretsManagerSdk').map(
    (operation) => `secretsmanager:${operation}`
  );

/** `events:Xxx` for each `XxxCommand` imported from `@aws-sdk/client-eventbridge` (service prefix `events`). */
export const eventBridgeActionsIn = (source: string): string[] =>
  commandsImportedFrom(source, '@aws-sdk/client-eventbridge').map(
    (operation) => `events:${operation}`
  );

/** `cloudtrail:Xxx` for each command or paginator imported from `@aws-sdk/client-cloudtrail`. */
export const cloudTrailActionsIn = (source: string): string[] =>
  commandsImportedFrom(source, '@aws-sdk/client-cloudtrail').map(
    (operation) => `cloudtrail:${operation}`
  );

/** `dynamodb:Xxx` for each `new XxxCommand(` / `new ns.XxxCommand(` a (compiled) source sends. */
export const dynamoDbActionsSentIn = (source: string): string[] =>
  unique(
    Array.from(
      stripComments(source).matchAll(/\bnew\s+(?:[\w$]+\.)?(\w+)Command\s*\(/g),
      ([, operation = '']) => `dynamodb:${operation}`
    )
  );

/** The AWS SDK v3 client packages (`@aws-sdk/client-*`, `@aws-sdk/lib-*`) a source imports. */
export const awsSdkPackagesIn = (source: string): string[] =>
  unique(
    Array.from(
      stripComments(source).matchAll(/from\s*['"](@aws-sdk\/(?:client|lib)-[\w-]+)['"]/g),
      ([, name = '']) => name
    )
  );

/**
 * The environment variables a source reads: `env.NAME`, `process.env.NAME`, `env['NAME']`, and the
 * Powertools helpers' `key: 'NAME'` (`getBooleanFromEnv({ key: 'NAME' })`).
 */
export const envVarsReadIn = (source: string): string[] => {
  const code = stripComments(source);
  const patterns = [
    /\benv\.([A-Z][A-Z0-9_]*)\b/g,
    /\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
    /\bkey:\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
  ];
  return unique(
    patterns.flatMap((pattern) => Array.from(code.matchAll(pattern), ([, name = '']) => name))
  );
};

/** What a policy lacks (`missing`) and what it grants beyond the need (`extra`). */
export interface ActionDiff {
  missing: string[];
  extra: string[];
}

/** Compares granted actions with needed ones (IAM action names are case-insensitive). */
export const diffActions = (granted: readonly string[], needed: readonly string[]): ActionDiff => {
  const has = (list: readonly string[], action: string): boolean =>
    list.some((entry) => entry.toLowerCase() === action.toLowerCase());
  return {
    missing: unique(needed.filter((action) => !has(granted, action))),
    extra: unique(granted.filter((action) => !has(needed, action))),
  };
};

/** True for an action with a wildcard: `*`, `service:*`, `service:Get*`, `service:Descr?be`. */
export const isWildcardAction = (action: string): boolean => /[*?]/.test(action);

/** Actions that touch a secret's value or its encryption: never granted to the remediator. */
export const isSecretValueAction = (action: string): boolean =>
  /^kms:/i.test(action) ||
  // RotateSecret is not one: it never reads or writes a value. It turns rotation on and starts the
  // rotation function, which reads and writes values with its own role, not the caller's.
  /^secretsmanager:(GetSecretValue|BatchGetSecretValue|PutSecretValue|UpdateSecret|CreateSecret)$/i.test(
    action
  );

/**
 * `lambda:InvokeFunction` when the code sends RotateSecret: Secrets Manager runs the rotation
 * function with the caller's permission to invoke it (a resume's test), else nothing.
 */
export const rotationFunctionActionsIn = (source: string): string[] =>
  secretsManagerActionsIn(source).includes('secretsmanager:RotateSecret')
    ? ['lambda:InvokeFunction']
    : [];
