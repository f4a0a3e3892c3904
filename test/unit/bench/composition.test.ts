import { bundleComposition, moduleSizes } from '../../../scripts/bench/composition.js';

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
    });
  });
});
