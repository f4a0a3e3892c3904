// Builds the Lambda into dist/ (dist/handler.js and dist/parts/, SDK included; scripts/lambda-build.mjs,
// which `sam build` runs too).
// Beside it, the local tools (not part of the Lambda): dist/cli.js (the operator CLI, the package's
// `bin`), dist/demo.js (`npm run demo`) and dist/local.js (`npm run local`), dist/bench.js
// (`npm run bench`), dist/test-moto.js (`npm run test:moto`) and, in dist/bench/, what the benchmark
// runs beside dist/handler.js.
import { readdirSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { build } from 'esbuild';
import { buildLambda, LAMBDA_BUILD_OPTIONS } from './lambda-build.mjs';

await Promise.all([
  buildLambda({ outdir: 'dist', minify: process.env.BUILD_MINIFY === '1' }),
  build({
    entryPoints: {
      cli: 'src/cli/bin.ts',
      demo: 'scripts/demo.ts',
      local: 'scripts/local.ts',
      bench: 'scripts/bench.ts',
      'test-moto': 'tools/test-moto.ts',
      'dashboard-picture': 'tools/dashboard-picture.ts',
    },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // dynalite (a devDependency, with a native LevelDB binding) loads from node_modules at run time;
    // the demo and `npm run local` require dist/handler.js itself, never a copy.
    external: ['dynalite'],
    logLevel: 'warning',
  }),
  // The benchmark's own artefacts (docs/benchmarks.md says what each is for):
  // - the dependency floor, built exactly like dist/handler.js;
  // - the unbundled build (one CommonJS file per source file, requiring node_modules);
  // - the probe and the worker, the Node 24 processes that measure (Node built-ins only).
  build({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: ['scripts/bench/floor.ts'],
    outfile: 'dist/bench/floor.js',
  }),
  build({
    entryPoints: readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `src/${file}`),
    outdir: 'dist/bench/unbundled',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  }),
  build({
    entryPoints: { probe: 'scripts/bench/probe.ts', worker: 'scripts/bench/worker.ts' },
    outdir: 'dist/bench',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  }),
]);
await chmod('dist/cli.js', 0o755);
