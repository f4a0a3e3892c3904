/**
 * What an esbuild bundle (one file: `dist/handler.js`, or a part) is made of, by when its modules
 * run. Pure functions, unit-tested in `test/unit/bench/`.
 *
 * An unminified esbuild bundle marks the start of each module's code with a comment line holding
 * its path (`// node_modules/zod/v4/core/core.js`, `// src/handler.ts`). Modules esbuild wraps
 * (`__commonJS`, `__esm`) run when first required; their wrapper function is named by the same path,
 * which is how V8's coverage tells which ran. Modules not wrapped run with the bundle's top level.
 */

/** Bytes of each module of the bundle, by its path. */
export const moduleSizes = (bundle: string): Map<string, number> => {
  const sizes = new Map<string, number>();
  let current = '(esbuild runtime)';
  for (const line of bundle.split('\n')) {
    const marker = /^\/\/ ((?:node_modules|src|scripts|emulator|tools)\/\S+)$/.exec(line);
    if (marker?.[1] !== undefined) current = marker[1];
    sizes.set(current, (sizes.get(current) ?? 0) + line.length + 1);
  }
  return sizes;
};

/** The modules a bundle wraps (esbuild's `__esm` / `__commonJS`, each keyed by the module's path). */
export const wrappedModules = (bundle: string): Set<string> =>
  new Set(
    [
      ...bundle.matchAll(
        /__(?:esm|commonJS)\(\{\s*"((?:node_modules|src|scripts|emulator|tools)\/[^"]+)"\(/g
      ),
    ].map((match) => match[1] ?? '')
  );

/**
 * The modules that run with a bundle's top level, as soon as the file is loaded: those it marks
 * but does not wrap (the entry module and what it imports statically as ES modules).
 */
export const topLevelModules = (bundle: string): Set<string> => {
  const wrapped = wrappedModules(bundle);
  return new Set(
    [...moduleSizes(bundle).keys()].filter(
      (module) => module !== '(esbuild runtime)' && !wrapped.has(module)
    )
  );
};

/**
 * What a module belongs to: its package (`zod`, `@aws-sdk/client-dynamodb`), or for our own code
 * its folder (`src/sweep`; `src` for a file directly in it); anything else is its own name.
 */
export const packageOf = (module: string): string => {
  const parts = module.split('/');
  if (parts[0] === 'node_modules') {
    const last = parts.lastIndexOf('node_modules');
    const name = parts[last + 1] ?? module;
    return name.startsWith('@') ? `${name}/${parts[last + 2] ?? ''}` : name;
  }
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : 'src';
  return module;
};

/** Bytes of one package (see {@link packageOf}). */
export interface PackageBytes {
  name: string;
  bytes: number;
}

/** The bundle's bytes by when they run. */
export interface Composition {
  total: number;
  /** Our own modules (`src/`), whenever they run. */
  ours: number;
  /** Run by module init (every cold start). */
  atInit: number;
  /** Wrapped modules the writing path initialises and module init does not. */
  writingOnly: number;
  /** Wrapped modules no measured path initialised (the sweep, unused SDK parts, ...). */
  neverRun: number;
  /** The packages of `writingOnly`, largest first. */
  writingOnlyPackages: PackageBytes[];
  /** The packages of `neverRun`, largest first. */
  neverRunPackages: PackageBytes[];
}

/** Sums bytes by package, largest first (ties by name). */
const byPackage = (modules: ReadonlyArray<[string, number]>): PackageBytes[] => {
  const totals = new Map<string, number>();
  for (const [module, bytes] of modules) {
    const name = packageOf(module);
    totals.set(name, (totals.get(name) ?? 0) + bytes);
  }
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
};

/**
 * Splits the bundle by when its modules run: `wrapped` are the names of all module wrappers,
 * `atInit` those module init ran, `writing` those a writing invocation had run by its end.
 */
export const bundleComposition = (
  sizes: ReadonlyMap<string, number>,
  wrapped: ReadonlySet<string>,
  atInit: ReadonlySet<string>,
  writing: ReadonlySet<string>
): Composition => {
  const composition = { total: 0, ours: 0, atInit: 0, writingOnly: 0, neverRun: 0 };
  const writingOnly: [string, number][] = [];
  const neverRun: [string, number][] = [];
  for (const [module, bytes] of sizes) {
    composition.total += bytes;
    if (module.startsWith('src/')) composition.ours += bytes;
    if (!wrapped.has(module) || atInit.has(module)) composition.atInit += bytes;
    else if (writing.has(module)) writingOnly.push([module, bytes]);
    else neverRun.push([module, bytes]);
  }
  const sum = (modules: [string, number][]) =>
    modules.reduce((total, [, bytes]) => total + bytes, 0);
  return {
    ...composition,
    writingOnly: sum(writingOnly),
    neverRun: sum(neverRun),
    writingOnlyPackages: byPackage(writingOnly),
    neverRunPackages: byPackage(neverRun),
  };
};
