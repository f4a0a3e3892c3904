/**
 * The shape of src/ that issues #12 and #22 set: no folder and no file imports one that imports it
 * back, exactly one module assembles the audit trail + core + idempotency + metrics chain, settings
 * are read in one place, the AWS plumbing (pacing, rate limiter, listings, sealed format, deadline
 * margin) lives under src/aws/ only, every function stays within {@link MAX_FUNCTION_LINES} lines,
 * and every error class is named as its `name`. Imports are read from the source text; functions
 * and classes from TypeScript's own syntax tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

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

/** The longest a function may be, counted from the line it starts on to the line it ends on. */
const MAX_FUNCTION_LINES = 60;

/** The syntax tree of a file of src/. */
const syntaxOf = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);

/** Every node of a syntax tree, depth first. */
const nodesOf = (root: ts.Node): ts.Node[] => {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return nodes;
};

/** The AWS plumbing that lives under src/aws/ only: each name → the file that declares it. */
const AWS_PLUMBING: Record<string, string> = {
  installPacing: 'aws/pacing.ts',
  withPacing: 'aws/pacing.ts',
  QuotaRateLimiter: 'aws/rate-limiter.ts',
  TokenBucket: 'aws/rate-limiter.ts',
  sharedLimiter: 'aws/rate-limiter.ts',
  SecretListing: 'aws/listing.ts',
  listVersions: 'aws/versions.ts',
  sealJson: 'aws/sealed-json.ts',
  openSealedJson: 'aws/sealed-json.ts',
  deadlineMarginMs: 'aws/deadline.ts',
};

/**
 * What only that plumbing uses: a pacing scope (AsyncLocalStorage), a middleware placed in a
 * client's stack, the Secrets Manager paginators, a digest (the sealed format).
 */
const AWS_PLUMBING_CODE =
  /\bAsyncLocalStorage\b|\.addRelativeTo\(|\bpaginateListSecret(s|VersionIds)\b|\bcreate(Hash|Hmac)\(/;

/** A file of src/ without its comment lines. */
const codeOf = (file: string): string =>
  read(file)
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line))
    .join('\n');

/** The names a file declares at its top level (classes, functions, variables). */
const topLevelNamesOf = (file: string): string[] =>
  syntaxOf(file).statements.flatMap((statement) => {
    if (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) {
      return statement.name === undefined ? [] : [statement.name.text];
    }
    if (!ts.isVariableStatement(statement)) return [];
    return statement.declarationList.declarations.flatMap((declaration) =>
      ts.isIdentifier(declaration.name) ? [declaration.name.text] : []
    );
  });

/** The kinds of node that are a function with a body of its own. */
type FunctionNode =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

const isFunctionNode = (node: ts.Node): node is FunctionNode =>
  ts.isFunctionDeclaration(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isArrowFunction(node) ||
  ts.isFunctionExpression(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node);

/** A function's name: its own, else the variable, property or class member it is assigned to. */
const nameOf = (node: FunctionNode, source: ts.SourceFile): string => {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const named = node.name ?? (node.parent as { name?: ts.Node }).name;
  return named === undefined ? '(anonymous)' : named.getText(source);
};

/** Every function of src/ with its length in lines and where it starts (`file:line name`). */
const functionLengths = (): { at: string; lines: number }[] =>
  sourceFiles().flatMap((file) => {
    const source = syntaxOf(file);
    return nodesOf(source)
      .filter(isFunctionNode)
      .map((node) => {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        return { at: `${file}:${start + 1} ${nameOf(node, source)}`, lines: end - start + 1 };
      });
  });

/** The `name` a class sets: `readonly name = '…'` or `this.name = '…'`; undefined when none. */
const declaredName = (node: ts.ClassDeclaration): string | undefined =>
  nodesOf(node).flatMap((child) => {
    if (ts.isPropertyDeclaration(child) && child.name.getText() === 'name') {
      return child.initializer !== undefined && ts.isStringLiteral(child.initializer)
        ? [child.initializer.text]
        : [];
    }
    if (
      ts.isBinaryExpression(child) &&
      child.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      child.left.getText() === 'this.name' &&
      ts.isStringLiteral(child.right)
    ) {
      return [child.right.text];
    }
    return [];
  })[0];

/** Every class of src/ that sets a `name`, as `class → name`. */
const namedClasses = (): { className: string; name: string }[] =>
  sourceFiles().flatMap((file) =>
    nodesOf(syntaxOf(file))
      .filter(ts.isClassDeclaration)
      .flatMap((node) => {
        const name = declaredName(node);
        return name === undefined ? [] : [{ className: node.name?.text ?? '', name }];
      })
  );

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

  it('keeps the pacing, the rate limiter, the listings, the sealed format and the deadline margin under src/aws/ only', () => {
    // Act: where each piece of plumbing is declared, and which files outside src/aws/ do its work
    const declaredIn = Object.fromEntries(
      Object.keys(AWS_PLUMBING).map((name) => [
        name,
        sourceFiles()
          .filter((file) => read(file).includes(name) && topLevelNamesOf(file).includes(name))
          .join(', '),
      ])
    );
    const outside = sourceFiles().filter(
      (file) => !file.startsWith('aws/') && AWS_PLUMBING_CODE.test(codeOf(file))
    );

    // Assess
    expect(declaredIn).toEqual(AWS_PLUMBING);
    expect(outside).toEqual([]);
  });

  it('reads the environment in one settings loader and the entry points only', () => {
    // Act
    const readers = sourceFiles().filter((file) => /process\.env\b/.test(codeOf(file)));

    // Assess
    expect(readers.sort()).toEqual(['cli/bin.ts', 'handler.ts']);
  });

  it(`keeps every function of src/ within ${MAX_FUNCTION_LINES} lines`, () => {
    // Act
    const lengths = functionLengths();

    // Assess: the walk finds functions at all, and none is longer
    expect(lengths.length).toBeGreaterThan(100);
    expect(lengths.filter((fn) => fn.lines > MAX_FUNCTION_LINES)).toEqual([]);
  });

  it('names every error class as the name it reports', () => {
    // Act
    const classes = namedClasses();

    // Assess
    expect(classes.length).toBeGreaterThan(5);
    expect(classes.filter(({ className, name }) => className !== name)).toEqual([]);
  });
});
