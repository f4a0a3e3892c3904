// The Lambda's build, one for every use: `npm run build` (dist/, what the tests, the demo and the
// benchmark run) and `sam build` (the Makefile's build-RemediatorFunction target, into SAM's
// artifacts folder) call buildLambda() with the same options, so what is measured is what deploys.
//
// handler.js holds what module init runs and what most events need. The modules of LAMBDA_PARTS,
// which src/ requires lazily, become files of their own beside it (parts/<name>.js): their code
// (the DynamoDB client and the idempotency utility, the EventBridge and CloudTrail clients, classic
// zod with the Powertools API Gateway schemas) is then neither read nor compiled at a cold start,
// only by the first invocation that needs it. A part is a separate bundle, so a module both files
// hold exists twice at run time; the build fails when such a module of src/ declares a class
// (`instanceof` would not recognise the other file's instances), see checkSharedModules().
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The lazily required modules built as files of their own: source → name under parts/. */
export const LAMBDA_PARTS = {
  'src/idempotency/powertools.ts': 'idempotency',
  'src/notifications/eventbridge.ts': 'eventbridge',
  'src/history/cloudtrail-lookup.ts': 'cloudtrail',
  'src/triggers/schemas/http.ts': 'http-schemas',
};

/** The options every Lambda file is built with (and the benchmark's floor, to compare like with like). */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
};

/** The part a source file is, if any (its path relative to the project). */
const partOf = (absolutePath) => LAMBDA_PARTS[relative(process.cwd(), absolutePath)];

/**
 * Rewrites a `require` of a part's module into a run-time `require` of its file, relative to the
 * output file `fromFile` (the handler, or another part).
 */
const partsExternal = (outdir, fromFile) => ({
  name: 'lambda-parts',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'require-call') return undefined;
      const source = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const part = partOf(source);
      if (part === undefined) return undefined;
      const target = join(outdir, 'parts', `${part}.js`);
      const path = `./${relative(dirname(fromFile), target)}`;
      return { path, external: true };
    });
  },
});

/** The `src/` modules of one bundle's metafile. */
const sourcesOf = (metafile) =>
  Object.values(metafile.outputs)
    .filter((output) => output.entryPoint !== undefined)
    .flatMap((output) => Object.keys(output.inputs))
    .filter((input) => input.startsWith('src/'));

/**
 * What would make two copies of a module differ from one: a class (`instanceof`), or state at
 * module scope (a `let`, or an object made with `new`, such as an AsyncLocalStorage or a WeakSet).
 */
const identityOf = (code) => {
  if (/^(export\s+)?(abstract\s+)?class\s/m.test(code)) return 'a class';
  if (/^(export\s+)?let\s/m.test(code)) return 'module state (let)';
  if (/^(export\s+)?(const|var)\s+[\w$]+(\s*:[^=\n]+)?\s*=\s*new\s/m.test(code))
    return 'module state (new)';
  return undefined;
};

/**
 * Fails when a `src/` module that declares a class or holds module state is in two of the files
 * (each file would have its own class, whose `instanceof` fails for the other's objects, or its own
 * state, which the other never sees), or
 * when a part's module is in another file than its own (imported statically somewhere).
 */
export const checkSharedModules = (bundles) => {
  const holders = new Map();
  for (const [file, metafile] of Object.entries(bundles)) {
    for (const source of sourcesOf(metafile))
      holders.set(source, [...(holders.get(source) ?? []), file]);
  }
  const problems = [...holders]
    .filter(([, files]) => files.length > 1)
    .flatMap(([source, files]) => {
      const kind = identityOf(readFileSync(source, 'utf8'));
      return kind === undefined ? [] : [`${source} (${kind}) is in ${files.join(', ')}`];
    });
  for (const [source, name] of Object.entries(LAMBDA_PARTS)) {
    const elsewhere = (holders.get(source) ?? []).filter((file) => file !== `parts/${name}.js`);
    if (elsewhere.length > 0)
      problems.push(`${source} (the part ${name}) is also in ${elsewhere.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `The Lambda's files share what they must not:\n  ${problems.join('\n  ')}\n` +
        'Keep the class out of the part (the handler passes what it needs), require a part only lazily, or drop it from LAMBDA_PARTS.'
    );
  }
};

/** Builds the Lambda into `outdir`: handler.js and parts/<name>.js, each with its source map. */
export const buildLambda = async ({ outdir, minify = false }) => {
  const handlerFile = join(outdir, 'handler.js');
  const files = [
    ['handler.js', 'src/handler.ts', handlerFile],
    ...Object.entries(LAMBDA_PARTS).map(([source, name]) => [
      `parts/${name}.js`,
      source,
      join(outdir, 'parts', `${name}.js`),
    ]),
  ];
  const results = await Promise.all(
    files.map(([, entryPoint, outfile]) =>
      build({
        ...LAMBDA_BUILD_OPTIONS,
        minify,
        entryPoints: [entryPoint],
        outfile,
        plugins: [partsExternal(outdir, outfile)],
      })
    )
  );
  checkSharedModules(
    Object.fromEntries(files.map(([name], index) => [name, results[index].metafile]))
  );
};

// Run directly (`node scripts/lambda-build.mjs <outdir>`, the Makefile's build-RemediatorFunction,
// which `sam build` runs with its artifacts folder): builds the Lambda into <outdir> and lists the
// files written. Imported (scripts/build.mjs), the module only exports.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = process.argv[2];
  if (outdir === undefined || outdir === '') {
    console.error(
      'usage: node scripts/lambda-build.mjs <outdir>\n' +
        'The output folder is missing: it gets handler.js and parts/<name>.js (sam build passes $ARTIFACTS_DIR).'
    );
    process.exit(2);
  }
  await buildLambda({ outdir });
  const written = ['handler.js', ...Object.values(LAMBDA_PARTS).map((name) => `parts/${name}.js`)];
  for (const file of written.flatMap((name) => [name, `${name}.map`])) {
    console.log(`${join(outdir, file)}  ${statSync(join(outdir, file)).size} bytes`);
  }
}
