/**
 * Node's module compile cache (`NODE_COMPILE_CACHE`, `module.enableCompileCache`) and whether a
 * cache can be shipped to Lambda: which start-up flags change its key, whether it survives a move
 * of the bundle (plain and `NODE_COMPILE_CACHE_PORTABLE=1`), another user id, and a read-only
 * directory (as `/var/task` is).
 */
import { chmod, chown, cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runProbe, runTimed } from './processes.js';

/**
 * The options the Lambda Node.js runtime's bootstrap starts node with (as the public
 * reconstructions of `/var/runtime/bootstrap` show; the memory values here are those of a 256 MB
 * function). Each is checked for whether it changes the compile cache's key.
 */
export const LAMBDA_NODE_FLAGS = [
  '--expose-gc',
  '--max-http-header-size=81920',
  '--max-semi-space-size=12',
  '--max-old-space-size=230',
] as const;

/** What Node did with the compile cache for one file (from `NODE_DEBUG_NATIVE=COMPILE_CACHE`). */
export type CacheOutcome = 'accepted' | 'rejected' | 'missed' | 'disabled';

/**
 * Reads Node's compile cache debug output (`NODE_DEBUG_NATIVE=COMPILE_CACHE`) for `file`:
 * `accepted` (the code cache was used), `rejected` (found but refused by V8), `missed` (no entry:
 * compiled from source) or `disabled` (no cache directory could be used).
 */
export const cacheOutcome = (debugOutput: string, file: string): CacheOutcome => {
  const lines = debugOutput.split('\n').filter((line) => line.includes(file));
  if (lines.some((line) => / was accepted/.test(line))) return 'accepted';
  if (lines.some((line) => / was rejected/.test(line))) return 'rejected';
  if (lines.some((line) => /was not initialized|no such file|permission denied/.test(line))) {
    return 'missed';
  }
  return 'disabled';
};

/** The result of the shipping checks. */
export interface CompileCacheChecks {
  /** The cache key's V8 tag without flags, and the flags that change it. */
  baseTag: string;
  flagTags: { flag: string; tag: string; changesKey: boolean }[];
  /** The bundle moved to another directory, cache generated before the move. */
  moved: { plain: CacheOutcome; portable: CacheOutcome };
  /**
   * Root only (and only where the user `nobody` can read the project): another user id reusing
   * root's cache; a read-only cache made by the same user.
   */
  otherUser?: CacheOutcome;
  readOnlySameUser?: CacheOutcome;
}

const NOBODY = 65_534;

/** `v8.cachedDataVersionTag()` of `node` started with `flags`, as 8 hex digits. */
const v8Tag = async (node: string, flags: readonly string[], env: NodeJS.ProcessEnv) => {
  const finished = await runTimed(
    node,
    [...flags, '-p', "require('v8').cachedDataVersionTag().toString(16).padStart(8, '0')"],
    { env }
  );
  return finished.stdout.trim();
};

/** Requires `bundle` under `cacheDir` with debug output; returns what happened to the bundle. */
const probeCache = async (
  node: string,
  bundle: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
  extra: { portable?: boolean; nodeArgs?: readonly string[]; uid?: number } = {}
): Promise<CacheOutcome> => {
  const run = await runProbe({
    node,
    module: bundle,
    env: {
      ...env,
      NODE_COMPILE_CACHE: cacheDir,
      NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
      ...(extra.portable === true ? { NODE_COMPILE_CACHE_PORTABLE: '1' } : {}),
    },
    ...(extra.nodeArgs === undefined ? {} : { nodeArgs: extra.nodeArgs }),
    ...(extra.uid === undefined ? {} : { uid: extra.uid, gid: extra.uid }),
  });
  return cacheOutcome(run.stderr, bundle);
};

/** Makes every file and directory under `dir` readable by all (Lambda needs world-readable files). */
const makeWorldReadable = async (dir: string): Promise<void> => {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeWorldReadable(path);
    else await chmod(path, 0o444);
  }
};

/** Changes the owner of `dir` and everything in it. */
const chownTree = async (dir: string, uid: number): Promise<void> => {
  await chown(dir, uid, uid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, uid);
    else await chown(path, uid, uid);
  }
};

/**
 * Runs the shipping checks in `workDir` (created and removed here) against a copy of `bundle`.
 * The user-id checks run only when the driver runs as root (it then starts probes as `nobody`).
 */
export const checkCompileCache = async (
  node: string,
  bundle: string,
  workDir: string,
  env: NodeJS.ProcessEnv
): Promise<CompileCacheChecks> => {
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  try {
    const baseTag = await v8Tag(node, [], env);
    const flagTags = [];
    for (const flag of LAMBDA_NODE_FLAGS) {
      const tag = await v8Tag(node, [flag], env);
      flagTags.push({ flag, tag, changesKey: tag !== baseTag });
    }

    // Moving the bundle: generate at a/, move a/ to b/, require b/handler.js.
    const moved = { plain: 'disabled' as CacheOutcome, portable: 'disabled' as CacheOutcome };
    for (const mode of ['plain', 'portable'] as const) {
      const from = join(workDir, `${mode}-a`);
      const to = join(workDir, `${mode}-b`);
      await mkdir(from, { recursive: true });
      await cp(bundle, join(from, 'handler.js'));
      const portable = mode === 'portable';
      await probeCache(node, join(from, 'handler.js'), join(from, '.cache'), env, { portable });
      await rename(from, to);
      moved[mode] = await probeCache(node, join(to, 'handler.js'), join(to, '.cache'), env, {
        portable,
      });
    }

    const checks: CompileCacheChecks = { baseTag, flagTags, moved };
    if (process.getuid?.() === 0) {
      try {
        // Root's cache, then the same files required as another user.
        const shared = join(workDir, 'shared');
        await mkdir(shared, { recursive: true });
        await cp(bundle, join(shared, 'handler.js'));
        await probeCache(node, join(shared, 'handler.js'), join(shared, '.cache'), env);
        await makeWorldReadable(shared);
        await chmod(workDir, 0o755);
        checks.otherUser = await probeCache(
          node,
          join(shared, 'handler.js'),
          join(shared, '.cache'),
          env,
          { uid: NOBODY }
        );
        // The runtime's own user and flags generate it; then it becomes read-only, as in /var/task.
        const task = join(workDir, 'task');
        await mkdir(task, { recursive: true });
        await cp(bundle, join(task, 'handler.js'));
        await chownTree(task, NOBODY);
        const asRuntime = { portable: true, nodeArgs: ['--expose-gc'], uid: NOBODY } as const;
        await probeCache(node, join(task, 'handler.js'), join(task, '.cache'), env, asRuntime);
        await chownTree(task, 0);
        await makeWorldReadable(task);
        for (const dir of [task, join(task, '.cache')]) await chmod(dir, 0o555);
        checks.readOnlySameUser = await probeCache(
          node,
          join(task, 'handler.js'),
          join(task, '.cache'),
          env,
          asRuntime
        );
        await chmod(task, 0o755);
      } catch {
        // A project `nobody` cannot read (or a platform without setuid): left unchecked.
      }
    }
    return checks;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};
