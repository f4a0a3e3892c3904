/**
 * The shape of src/ that issue #12 set: no folder imports a folder that imports it back, exactly
 * one module assembles the audit trail + core + idempotency + metrics chain, settings are read in
 * one place, and the sweep's functions stay short. Read from the source text, as a reviewer would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../src');

/** Every .ts file under src/, relative to it. */
const sourceFiles = (dir = SRC): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [relative(SRC, join(dir, entry.name))]
        : []
  );

const read = (file: string): string => readFileSync(join(SRC, file), 'utf8');

/** The folder of src/ a file belongs to; a file at the top is a node of its own. */
const nodeOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] ?? file) : file);

/** Relative imports (static, type-only, dynamic and require) of a file, as files under src/. */
const importsOf = (file: string): string[] =>
  [...read(file).matchAll(/(?:from\s+|import\(|require\()\s*'(\.{1,2}\/[^']+)'/g)].map(
    ([, path = '']) => relative(SRC, resolve(SRC, dirname(file), path)).replace(/\.js$/, '.ts')
  );

/** The import graph of src/ with each file mapped to a node (its folder, or itself). */
const graphOf = (nodeOfFile: (file: string) => string): Map<string, Set<string>> => {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles()) {
    const from = nodeOfFile(file);
    for (const target of importsOf(file)) {
      const to = nodeOfFile(target);
      if (to === from) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
};

/** Cycles of an import graph (each as the path that closes it). */
const cyclesOf = (graph: Map<string, Set<string>>): string[][] => {
  const cycles: string[][] = [];
  const visit = (node: string, path: string[]): void => {
    for (const next of graph.get(node) ?? []) {
      if (next === path[0]) cycles.push([...path, next]);
      else if (!path.includes(next) && next > (path[0] ?? '')) visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return cycles;
};

/** Where a function starts: a `const` arrow, a `function`, or a class method. */
const FUNCTION_START = [
  /^(\s*)(?:export\s+)?const\s+(\w+)\s*=\s*(?:async\s*)?(?:\(|<)/,
  /^(\s*)(?:export\s+)?(?:async\s+)?function\*?\s+(\w+)/,
  /^(\s+)(?:public\s+|private\s+|static\s+)*(?:async\s+)?\*?(#?\w+)\(.*$/,
];

/**
 * The functions of a file with their lengths: from the line that starts one to the first later
 * line, at the same indentation, that closes it (`}`, `};`, `});`).
 */
const functionLengths = (file: string): { name: string; lines: number }[] => {
  const lines = read(file).split('\n');
  return lines.flatMap((line, index) => {
    const match = FUNCTION_START.map((pattern) => pattern.exec(line)).find((m) => m !== null);
    if (match === undefined || /^\s*(if|for|while|switch|return)\b/.test(line)) return [];
    const indent = match[1] ?? '';
    const end = lines.findIndex(
      (candidate, at) => at > index && new RegExp(`^${indent}\\}`).test(candidate)
    );
    return end > index ? [{ name: match[2] ?? '?', lines: end - index + 1 }] : [];
  });
};

describe('the architecture of src/', () => {
  it('has no folder that imports a folder importing it back (no cycle at all)', () => {
    // Act
    const cycles = cyclesOf(graphOf(nodeOf));

    // Assess
    expect(cycles).toEqual([]);
  });

  it('has no file that imports a file importing it back, lazily or by type (no cycle at all)', () => {
    // Act
    const cycles = cyclesOf(graphOf((file) => file));

    // Assess
    expect(cycles).toEqual([]);
  });

  it('assembles the audit trail + core + idempotency + metrics chain in exactly one module', () => {
    // Prepare: a module that opens an audit trail and runs the core assembles the chain
    const assemblers = sourceFiles().filter((file) => {
      const text = read(file);
      return /new AuditTrail\(/.test(text) && /\bremediate\(\s*\{/.test(text);
    });

    // Assess
    expect(assemblers).toEqual(['application/remediation-service.ts']);
  });

  it('reads the environment in one settings loader and the entry points only', () => {
    // Act
    const code = (file: string) =>
      read(file)
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line))
        .join('\n');
    const readers = sourceFiles().filter((file) => /process\.env\b/.test(code(file)));

    // Assess
    expect(readers.sort()).toEqual(['cli/bin.ts', 'handler.ts']);
  });

  it.each(['sweep/sweep.ts', 'sweep/examine.ts', 'sweep/listing.ts', 'sweep/tally.ts'])(
    'keeps every function of %s under 80 lines',
    (file) => {
      // Act
      const lengths = functionLengths(file);

      // Assess
      expect(lengths.length).toBeGreaterThan(0);
      expect(lengths.filter((fn) => fn.lines >= 80)).toEqual([]);
    }
  );
});
