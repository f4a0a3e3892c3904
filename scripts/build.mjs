// Bundles src/handler.ts into the single CommonJS file dist/handler.js, SDK included.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/handler.ts'],
  outfile: 'dist/handler.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.env.BUILD_MINIFY === '1',
  logLevel: 'warning',
});
