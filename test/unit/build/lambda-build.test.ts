/**
 * The Lambda build's guard (scripts/lambda-build.mjs `checkSharedModules`): the parts are separate
 * bundles, so a module two files hold exists twice at run time. A copied class breaks `instanceof`
 * and copied module state is not shared (the sweep's pacing scope was one: the CloudTrail look-up's
 * copy never saw the sweep's limiter), so the build refuses both, and a part its handler imports
 * statically. The build script is an ES module: each case runs it in a child Node process.
 */
import { resolve } from 'node:path';
import { runProcess } from '../../../tools/process.js';

const ROOT = resolve(__dirname, '../../..');

/** An esbuild metafile with one output, built from `entryPoint`, holding `sources`. */
const metafileOf = (entryPoint: string, sources: string[]) => ({
  outputs: {
    out: { entryPoint, inputs: Object.fromEntries(sources.map((source) => [source, {}])) },
  },
});

/** Runs the guard on the bundles; resolves with its error message, or undefined when it passes. */
const check = async (bundles: Record<string, unknown>): Promise<string | undefined> => {
  const script = `
    import { checkSharedModules } from './scripts/lambda-build.mjs';
    try {
      checkSharedModules(${JSON.stringify(bundles)});
      process.stdout.write('PASSED');
    } catch (error) {
      process.stdout.write('FAILED ' + error.message);
    }`;
  const result = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
  });
  if (result.code !== 0) throw new Error(result.stderr);
  return result.stdout.startsWith('PASSED') ? undefined : result.stdout.slice('FAILED '.length);
};

describe('checkSharedModules', () => {
  it.each([
    [
      'module state made with new (an AsyncLocalStorage)',
      'src/aws/pacing.ts',
      'module state (new)',
    ],
    ['classes (the errors)', 'src/errors.ts', 'a class'],
    ['a class of the listing', 'src/aws/listing.ts', 'a class'],
  ])('refuses %s in two files', async (_what, source, kind) => {
    // Prepare
    const bundles = {
      'handler.js': metafileOf('src/handler.ts', ['src/handler.ts', source]),
      'parts/aws.js': metafileOf('<stdin>', ['src/history/cloudtrail-lookup.ts', source]),
    };
    // Act
    const message = await check(bundles);
    // Assess
    expect(message).toContain(`${source} (${kind}) is in handler.js, parts/aws.js`);
  });

  it.each([
    ['pure functions', 'src/aws/sdk-errors.ts'],
    ['constants and functions', 'src/aws/clients.ts'],
    ['the paginator guard', 'src/aws/token-guard.ts'],
  ])('accepts %s in two files', async (_what, source) => {
    // Prepare
    const bundles = {
      'handler.js': metafileOf('src/handler.ts', ['src/handler.ts', source]),
      'parts/aws.js': metafileOf('<stdin>', ['src/notifications/eventbridge.ts', source]),
    };
    // Act
    const message = await check(bundles);
    // Assess
    expect(message).toBeUndefined();
  });

  it.each([
    ["a part's module", 'src/idempotency/powertools.ts', 'src/idempotency/powertools.ts'],
    [
      "a part's package",
      'node_modules/@aws-sdk/client-secrets-manager/dist-cjs/index.js',
      '@aws-sdk/client-secrets-manager',
    ],
  ])('refuses %s in another file (imported statically somewhere)', async (_what, input, key) => {
    // Prepare
    const bundles = {
      'handler.js': metafileOf('src/handler.ts', ['src/handler.ts', input]),
      'parts/aws.js': metafileOf('<stdin>', [input]),
    };
    // Act
    const message = await check(bundles);
    // Assess
    expect(message).toContain(`${key} (of the part aws) is also in handler.js`);
  });
});
