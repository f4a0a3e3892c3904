import {
  bundleComposition,
  moduleSizes,
  packageOf,
  topLevelModules,
  wrappedModules,
} from '../../../scripts/bench/composition.js';

const BUNDLE = [
  'var __esm = () => {};', // 21 + 1 bytes: esbuild's runtime
  '// node_modules/sdk/index.js',
  'var require_sdk = 1;',
  '// src/handler.ts',
  'handler();',
  '// node_modules/dynamodb/index.js',
  'var init_dynamodb = 2;',
  '// src/sweep/sweep.ts',
  'var init_sweep = 3;',
].join('\n');

describe('moduleSizes', () => {
  it('gives each module the bytes from its marker to the next one', () => {
    // Act
    const sizes = moduleSizes(BUNDLE);

    // Assess
    expect([...sizes.keys()]).toEqual([
      '(esbuild runtime)',
      'node_modules/sdk/index.js',
      'src/handler.ts',
      'node_modules/dynamodb/index.js',
      'src/sweep/sweep.ts',
    ]);
    expect(sizes.get('(esbuild runtime)')).toBe('var __esm = () => {};'.length + 1);
    expect(sizes.get('src/handler.ts')).toBe('// src/handler.ts\nhandler();\n'.length);
    expect([...sizes.values()].reduce((a, b) => a + b, 0)).toBe(BUNDLE.length + 1);
  });
});

const PART = [
  'var __esm = () => {};',
  '// node_modules/@smithy/core/index.js',
  'var init_core = __esm({',
  '  "node_modules/@smithy/core/index.js"() {',
  '  }',
  '});',
  '// node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
  'var require_dist_cjs = __commonJS({',
  '  "node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js"(exports2, module2) {',
  '  }',
  '});',
  '// node_modules/@aws-lambda-powertools/idempotency/lib/esm/index.js',
  'var IdempotencyConfig = class {};',
  '// src/idempotency/powertools.ts',
  'module.exports = { makeIdempotent };',
].join('\n');

describe('wrappedModules and topLevelModules', () => {
  it('tell the modules run on first require from those run when the file is loaded', () => {
    // Act
    const wrapped = wrappedModules(PART);
    const topLevel = topLevelModules(PART);

    // Assess
    expect([...wrapped]).toEqual([
      'node_modules/@smithy/core/index.js',
      'node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
    ]);
    expect([...topLevel]).toEqual([
      'node_modules/@aws-lambda-powertools/idempotency/lib/esm/index.js',
      'src/idempotency/powertools.ts',
    ]);
  });
});

describe('bundleComposition', () => {
  it('splits the bytes into run at init, run only when writing, and never run', () => {
    // Prepare
    const sizes = moduleSizes(BUNDLE);
    const wrapped = new Set([
      'node_modules/sdk/index.js',
      'node_modules/dynamodb/index.js',
      'src/sweep/sweep.ts',
    ]);

    // Act
    const composition = bundleComposition(
      sizes,
      wrapped,
      new Set(['node_modules/sdk/index.js']),
      new Set(['node_modules/sdk/index.js', 'node_modules/dynamodb/index.js'])
    );

    // Assess
    const size = (name: string) => sizes.get(name) ?? 0;
    expect(composition).toEqual({
      total: BUNDLE.length + 1,
      ours: size('src/handler.ts') + size('src/sweep/sweep.ts'),
      atInit:
        size('(esbuild runtime)') + size('node_modules/sdk/index.js') + size('src/handler.ts'),
      writingOnly: size('node_modules/dynamodb/index.js'),
      neverRun: size('src/sweep/sweep.ts'),
      writingOnlyPackages: [{ name: 'dynamodb', bytes: size('node_modules/dynamodb/index.js') }],
      neverRunPackages: [{ name: 'src/sweep', bytes: size('src/sweep/sweep.ts') }],
    });
  });

  it('sums the bytes of each category by package, largest first', () => {
    // Prepare
    const sizes = new Map([
      ['node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js', 300],
      ['node_modules/@aws-sdk/client-dynamodb/dist-cjs/runtimeConfig.js', 50],
      ['node_modules/jmespath/jmespath.js', 400],
      ['src/sweep/sweep.ts', 10],
    ]);
    const wrapped = new Set(sizes.keys());

    // Act
    const composition = bundleComposition(
      sizes,
      wrapped,
      new Set(),
      new Set([
        'node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
        'node_modules/@aws-sdk/client-dynamodb/dist-cjs/runtimeConfig.js',
        'node_modules/jmespath/jmespath.js',
      ])
    );

    // Assess
    expect(composition.writingOnlyPackages).toEqual([
      { name: 'jmespath', bytes: 400 },
      { name: '@aws-sdk/client-dynamodb', bytes: 350 },
    ]);
    expect(composition.neverRunPackages).toEqual([{ name: 'src/sweep', bytes: 10 }]);
  });
});

describe('packageOf', () => {
  it.each([
    { module: 'node_modules/zod/v4/core/core.js', expected: 'zod' },
    {
      module: 'node_modules/@aws-sdk/client-secrets-manager/dist-cjs/index.js',
      expected: '@aws-sdk/client-secrets-manager',
    },
    {
      module: 'node_modules/@aws-sdk/core/node_modules/@smithy/core/dist-cjs/index.js',
      expected: '@smithy/core',
    },
    { module: 'src/sweep/sweep.ts', expected: 'src/sweep' },
    { module: 'src/handler.ts', expected: 'src' },
    { module: '(esbuild runtime)', expected: '(esbuild runtime)' },
  ])('puts $module in $expected', ({ module, expected }) => {
    // Act / Assess
    expect(packageOf(module)).toBe(expected);
  });
});
