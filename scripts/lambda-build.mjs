// The Lambda's build, one for every use: `npm run build` (dist/, what the tests, the demo and the
// benchmark run) and `sam build` (the Makefile's build-RemediatorFunction target, into SAM's
// artifacts folder) call buildLambda() with the same options, so what is measured is what deploys.
//
// handler.js holds what module init runs and what every event needs. The modules of LAMBDA_PARTS,
// which src/ requires lazily, are built into files of their own beside it (parts/<part>.js): their
// code is neither read nor compiled at a cold start, only by the first invocation that needs it.
// Modules of one part share one copy of what they import: every AWS client is in the part `aws`,
// so the SDK's core (@smithy/*, @aws-sdk/core) is compiled once, by the first call to AWS.
//
// A part is a separate bundle, so a module that two files hold exists twice at run time; the build
// fails when such a module of src/ declares a class (`instanceof` would not recognise the other
// file's instances) or holds module state (the other file would not see it): checkSharedModules().
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * The lazily required modules that live in files of their own: module (a source file of the
 * project, or a package) → its part, the file parts/<part>.js.
 */
export const LAMBDA_PARTS = {
  // every AWS client, and what uses one: a call to AWS loads the part
  '@aws-sdk/client-secrets-manager': 'aws',
  'src/history/cloudtrail-lookup.ts': 'aws',
  'src/notifications/eventbridge.ts': 'aws',
  'src/idempotency/powertools.ts': 'aws',
  // classic zod and the Powertools API Gateway schemas: HTTP events only
  'src/triggers/schemas/http.ts': 'http-schemas',
};

/** The parts' names. */
const partNames = () => [...new Set(Object.values(LAMBDA_PARTS))];

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

/** The key of a required module in LAMBDA_PARTS: a project-relative source path, or the package. */
const moduleKey = (path, resolveDir) =>
  path.startsWith('.')
    ? relative(process.cwd(), resolve(resolveDir, path.replace(/\.js$/, '.ts')))
    : path;

/** The namespace of the stand-ins that take a module from its part's file at run time. */
const STAND_IN = 'lambda-part';

/**
 * Rewrites a `require` of another part's module into a stand-in that requires that part's file at
 * run time (relative to `fromFile`, the output file) and takes the module from it.
 */
const partsExternal = (outdir, fromFile, ownPart) => ({
  name: 'lambda-parts',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.namespace === STAND_IN) return { path: args.path, external: true };
      if (args.kind !== 'require-call') return undefined;
      const key = moduleKey(args.path, args.resolveDir);
      const part = LAMBDA_PARTS[key];
      if (part === undefined || part === ownPart) return undefined;
      return { path: key, namespace: STAND_IN, pluginData: { part } };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: STAND_IN }, (args) => {
      const file = `./${relative(dirname(fromFile), join(outdir, 'parts', `${args.pluginData.part}.js`))}`;
      return {
        contents: `module.exports = require(${JSON.stringify(file)})[${JSON.stringify(args.path)}];\n`,
        loader: 'js',
      };
    });
  },
});

/** The entry of a part: each of its modules as a getter, initialised when first taken. */
const partEntry = (part) =>
  Object.entries(LAMBDA_PARTS)
    .filter(([, name]) => name === part)
    .map(
      ([key]) =>
        `Object.defineProperty(exports, ${JSON.stringify(key)}, { enumerable: true, get: () => require(${JSON.stringify(key.startsWith('src/') ? `./${key}` : key)}) });`
    )
    .join('\n');

/** The modules (`src/...`, `node_modules/...`) of one bundle's metafile. */
const inputsOf = (metafile) =>
  Object.values(metafile.outputs)
    .filter((output) => output.entryPoint !== undefined)
    .flatMap((output) => Object.keys(output.inputs));

/**
 * What would make two copies of a module differ from one: a class (`instanceof`), or state at
 * module scope (a `let`, or an object made with `new`, such as an AsyncLocalStorage or a WeakSet).
 */
const identityOf = (code) => {
  if (/^(export\s+)?(abstract\s+)?class\s/m.test(code)) return 'a class';
  if (/^(export\s+)?let\s/m.test(code)) return 'module state (let)';
  // a RegExp constant is a value, not state: two copies match alike
  if (/^(export\s+)?(const|var)\s+[\w$]+(\s*:[^=\n]+)?\s*=\s*new\s(?!RegExp\()/m.test(code))
    return 'module state (new)';
  return undefined;
};

/**
 * Fails when a `src/` module that declares a class or holds module state is in two of the files
 * (each file would have its own class, whose `instanceof` fails for the other's objects, or its own
 * state, which the other never sees), or when a part's module (or package) is in another file than
 * its part's (imported statically somewhere).
 */
export const checkSharedModules = (bundles) => {
  const holders = new Map();
  for (const [file, metafile] of Object.entries(bundles)) {
    for (const input of inputsOf(metafile))
      holders.set(input, [...(holders.get(input) ?? []), file]);
  }
  const problems = [...holders]
    .filter(([input, files]) => input.startsWith('src/') && files.length > 1)
    .flatMap(([source, files]) => {
      const kind = identityOf(readFileSync(source, 'utf8'));
      return kind === undefined ? [] : [`${source} (${kind}) is in ${files.join(', ')}`];
    });
  for (const [key, name] of Object.entries(LAMBDA_PARTS)) {
    const inputs = key.startsWith('src/')
      ? [key]
      : [...holders.keys()].filter((input) => input.startsWith(`node_modules/${key}/`));
    const elsewhere = [...new Set(inputs.flatMap((input) => holders.get(input) ?? []))].filter(
      (file) => file !== `parts/${name}.js`
    );
    if (elsewhere.length > 0) {
      problems.push(`${key} (of the part ${name}) is also in ${elsewhere.join(', ')}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `The Lambda's files share what they must not:\n  ${problems.join('\n  ')}\n` +
        'Keep the class out of the part (the handler passes what it needs), require a part only lazily, or drop it from LAMBDA_PARTS.'
    );
  }
};

/** Builds the Lambda into `outdir`: handler.js and parts/<part>.js, each with its source map. */
export const buildLambda = async ({ outdir, minify = false }) => {
  const handlerFile = join(outdir, 'handler.js');
  const files = [
    { name: 'handler.js', outfile: handlerFile, entry: { entryPoints: ['src/handler.ts'] } },
    ...partNames().map((part) => ({
      name: `parts/${part}.js`,
      outfile: join(outdir, 'parts', `${part}.js`),
      part,
      entry: {
        stdin: { contents: partEntry(part), resolveDir: process.cwd(), sourcefile: `part ${part}` },
      },
    })),
  ];
  const results = await Promise.all(
    files.map(({ outfile, part, entry }) =>
      build({
        ...LAMBDA_BUILD_OPTIONS,
        ...entry,
        minify,
        outfile,
        plugins: [partsExternal(outdir, outfile, part)],
      })
    )
  );
  checkSharedModules(
    Object.fromEntries(files.map(({ name }, index) => [name, results[index].metafile]))
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
  const written = ['handler.js', ...partNames().map((part) => `parts/${part}.js`)];
  for (const file of written.flatMap((name) => [name, `${name}.map`])) {
    console.log(`${join(outdir, file)}  ${statSync(join(outdir, file)).size} bytes`);
  }
}
