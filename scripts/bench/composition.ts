/**
 * What an esbuild bundle is made of, by when its modules run. Pure functions, unit-tested in
 * `test/unit/bench/`.
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
}

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
  const composition: Composition = { total: 0, ours: 0, atInit: 0, writingOnly: 0, neverRun: 0 };
  for (const [module, bytes] of sizes) {
    composition.total += bytes;
    if (module.startsWith('src/')) composition.ours += bytes;
    if (!wrapped.has(module) || atInit.has(module)) composition.atInit += bytes;
    else if (writing.has(module)) composition.writingOnly += bytes;
    else composition.neverRun += bytes;
  }
  return composition;
};
