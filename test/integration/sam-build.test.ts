/**
 * What `sam build` runs for the function, without SAM: the Makefile's build-RemediatorFunction
 * target (template.yaml `BuildMethod: makefile`), called the way SAM calls it (`make --makefile
 * <Makefile> build-<LogicalId>` from the project, ARTIFACTS_DIR set), into a temporary folder.
 * NPM_CI=true skips its `npm ci`: the checkout's node_modules are the ones package-lock.json pins.
 * The files it writes must be those `npm run build` wrote into dist/ (the same
 * scripts/lambda-build.mjs), byte for byte, and its handler.js must load beside its own parts.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProcessResult } from '../../tools/process.js';
import { runProcess } from '../../tools/process.js';
import { BUNDLE_PATH } from '../helpers/bundle.js';
import { REPO_ROOT } from '../helpers/cfn.js';

// The build bundles five files and the test spawns Node processes: allow for a loaded CI machine
// (jest's default is 5 s; the integration project's `testTimeout` is not applied per project).
jest.setTimeout(60_000);

const DIST = resolve(REPO_ROOT, 'dist');
const MAKEFILE = resolve(REPO_ROOT, 'Makefile');
const TARGET = 'build-RemediatorFunction';

/** Runs the function's target as SAM does, with `variables` on the command line. */
const make = (variables: Record<string, string>): Promise<ProcessResult> =>
  runProcess(
    'make',
    [
      '--makefile',
      MAKEFILE,
      TARGET,
      ...Object.entries(variables).map(([name, value]) => `${name}=${value}`),
    ],
    { cwd: REPO_ROOT }
  );

/** The code files of a build, relative to its folder: handler.js and parts/<name>.js. */
const codeFiles = (dir: string): string[] => {
  const parts = join(dir, 'parts');
  return [
    ...(existsSync(join(dir, 'handler.js')) ? ['handler.js'] : []),
    ...(existsSync(parts)
      ? readdirSync(parts)
          .filter((name) => name.endsWith('.js'))
          .map((name) => `parts/${name}`)
      : []),
  ].sort();
};

/** Runs in a fresh Node process: requires the built handler.js, then the parts beside it. */
const LOAD_SCRIPT = `
const { join } = require('node:path');
const dir = process.env.RR_ARTIFACTS;
const exported = (file) => {
  const module = require(join(dir, file));
  return Object.fromEntries(Object.entries(module).map(([name, value]) => [name, typeof value]));
};
const parts = JSON.parse(process.env.RR_PARTS);
const result = { handler: exported('handler.js'), parts: parts.map((file) => [file, exported(file)]) };
process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');
`;

interface Loaded {
  handler: Record<string, string>;
  parts: [string, Record<string, string>][];
}

let artifacts = '';
let build: ProcessResult;

beforeAll(async () => {
  if (!existsSync(BUNDLE_PATH)) {
    throw new Error('dist/handler.js is missing: run `npm run build` first (npm test does).');
  }
  artifacts = mkdtempSync(join(tmpdir(), 'rr-sam-build-'));
  build = await make({ ARTIFACTS_DIR: artifacts, NPM_CI: 'true' });
});

afterAll(() => {
  if (artifacts !== '') rmSync(artifacts, { recursive: true, force: true });
});

describe(`make ${TARGET} (what sam build runs)`, () => {
  it('succeeds and lists each file it wrote', () => {
    // Prepare: the build of beforeAll
    // Act
    const files = codeFiles(artifacts);
    // Assess
    expect({ code: build.code, stderr: build.stderr }).toEqual({
      code: 0,
      stderr: expect.any(String),
    });
    for (const file of files.flatMap((name) => [name, `${name}.map`])) {
      expect(build.stdout).toContain(join(artifacts, file));
    }
  });

  it('writes handler.js and parts/*.js, each with its source map', () => {
    // Prepare: the build of beforeAll
    // Act
    const files = codeFiles(artifacts);
    // Assess
    expect(files).toContain('handler.js');
    expect(files.filter((file) => file.startsWith('parts/')).length).toBeGreaterThan(0);
    expect(files.filter((file) => !existsSync(join(artifacts, `${file}.map`)))).toEqual([]);
  });

  it('writes every part handler.js requires beside it', () => {
    // Prepare
    const code = readFileSync(join(artifacts, 'handler.js'), 'utf8');
    // Act
    const required = [
      ...new Set(
        Array.from(
          code.matchAll(/require\(["']\.\/(parts\/[^"']+)["']\)/g),
          ([, file = '']) => file
        )
      ),
    ].sort();
    // Assess
    expect(required.length).toBeGreaterThan(0);
    expect(required).toEqual(codeFiles(artifacts).filter((file) => file.startsWith('parts/')));
  });

  it('writes the same code as npm run build wrote into dist/, byte for byte', () => {
    // Prepare: the build of beforeAll (source maps differ: they name the sources relative to
    // their own folder)
    const files = codeFiles(artifacts);
    // Act
    const different = files.filter((file) => {
      const built = join(DIST, file);
      return !existsSync(built) || !readFileSync(built).equals(readFileSync(join(artifacts, file)));
    });
    // Assess
    expect(files.length).toBeGreaterThan(1);
    expect(different).toEqual([]);
  });

  it('writes a handler.js that a fresh Node process loads, exporting the function handler', async () => {
    // Prepare
    const parts = codeFiles(artifacts).filter((file) => file.startsWith('parts/'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      RR_ARTIFACTS: artifacts,
      RR_PARTS: JSON.stringify(parts),
      AWS_REGION: 'us-east-1',
      IDEMPOTENCY_TABLE_NAME: 'rr-sam-build',
      EVENT_BUS_NAME: 'none',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    // Act
    const run = await runProcess(process.execPath, ['-e', LOAD_SCRIPT], { env, cwd: tmpdir() });
    // Assess
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const line = run.stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
    const loaded = JSON.parse(line?.slice('RESULT '.length) ?? '{}') as Loaded;
    expect(loaded.handler.handler).toBe('function');
    expect(loaded.parts.map(([file]) => file)).toEqual(parts);
  });
});

describe('without an output folder', () => {
  it.each([
    [
      'make with an empty ARTIFACTS_DIR',
      'make',
      [TARGET, 'ARTIFACTS_DIR=', 'NPM_CI=true'],
      'ARTIFACTS_DIR is empty',
    ],
    [
      'scripts/lambda-build.mjs without an argument',
      process.execPath,
      ['scripts/lambda-build.mjs'],
      'The output folder is missing',
    ],
  ])('%s fails with exit code 2 and says why', async (_case, command, args, message) => {
    // Prepare: the command line
    // Act
    const run = await runProcess(command, args, { cwd: REPO_ROOT });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
