/**
 * Docs that cannot drift (issue 23, item 5): docs/deploy.md's parameters (each with the template's
 * default), IAM, metric outcomes and resources, and README.md's configuration table, each compared
 * with template.yaml or the code.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTemplate, REPO_ROOT } from '../../helpers/cfn.js';
import { EMITTED_OUTCOMES } from '../../helpers/outcomes.js';
import { envVarsReadIn } from './derive';

/** The rows of the Markdown table under `heading` in `text`: the cells of each line. */
const tableUnder = (text: string, heading: string): string[][] => {
  const after = text.slice(text.indexOf(`\n${heading}\n`) + heading.length + 2);
  const lines = after.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, '').trim()));
  }
  return rows;
};

/** A default as the docs write it: `value` in backticks, or `empty`. */
const documentedDefault = (value: unknown): string =>
  value === '' || value === undefined ? 'empty' : `\`${String(value)}\``;

const deployMd = readFileSync(resolve(REPO_ROOT, 'docs/deploy.md'), 'utf8');
const parameters = loadTemplate().Parameters ?? {};
const rows = tableUnder(deployMd, '## Parameters');

describe('docs/deploy.md, Parameters', () => {
  it('lists every parameter of template.yaml, and no other', () => {
    // Act
    const documented = rows.map(([name]) => (name ?? '').replace(/`/g, ''));

    // Assess
    expect([...documented].sort()).toEqual(Object.keys(parameters).sort());
  });

  it.each(Object.entries(parameters))('gives %s the template’s default', (name, parameter) => {
    // Act
    const row = rows.find(([cell]) => cell === `\`${name}\``);

    // Assess
    expect(row?.[1]).toBe(documentedDefault(parameter.Default));
  });
});

/** Every IAM statement of the template's policies (inline objects and JSON strings alike). */
const statementsOf = (value: unknown): { Sid?: string; Action?: string | string[] }[] => {
  if (typeof value === 'string') {
    return value.trimStart().startsWith('{"Version"') ? statementsOf(JSON.parse(value)) : [];
  }
  if (Array.isArray(value)) return value.flatMap(statementsOf);
  if (typeof value !== 'object' || value === null) return [];
  const statement = (value as { Statement?: unknown }).Statement;
  if (Array.isArray(statement)) return statement as { Sid?: string; Action?: string | string[] }[];
  // the role's trust policy grants nothing to the function
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'AssumeRolePolicyDocument' ? [] : statementsOf(inner)
  );
};

/**
 * The actions a table cell names, outside parentheses: `service:Action`, then bare `Action`s of
 * the same service.
 */
const actionsIn = (cell: string): string[] => {
  let service = '';
  // a parenthesis explains; the actions are the words outside it
  return [...cell.replace(/\([^)]*\)/g, '').matchAll(/`([a-z0-9]+:)?([A-Z][A-Za-z]+)`/g)].map(
    ([, prefix, action]) => {
      if (prefix !== undefined) service = prefix;
      return `${service}${action}`;
    }
  );
};

describe('docs/deploy.md, IAM', () => {
  const statements = statementsOf(
    Object.values(loadTemplate().Resources).map((resource) => resource.Properties)
  );
  const iamRows = tableUnder(deployMd, '## IAM');

  it('names every statement of the template (by its Sid), and no other', () => {
    // Act
    const documented = iamRows.map(([cell]) => /^`([A-Za-z]+)`/.exec(cell ?? '')?.[1]);

    // Assess
    expect([...new Set(documented)].sort()).toEqual(
      [...new Set(statements.map((statement) => statement.Sid))].sort()
    );
  });

  it('lists every action the template grants, and no other', () => {
    // Act
    const documented = iamRows.flatMap(([, actions]) => actionsIn(actions ?? ''));

    // Assess
    expect([...new Set(documented)].sort()).toEqual(
      [...new Set(statements.flatMap((statement) => [statement.Action ?? []].flat()))].sort()
    );
  });
});

describe('docs/deploy.md, metric outcomes', () => {
  it('lists every outcome the service records, and no other', () => {
    // Prepare
    const paragraph = deployMd.slice(deployMd.indexOf('Metrics (EMF, namespace'));
    const list = paragraph.slice(
      paragraph.indexOf('dimension `outcome`') + 'dimension `outcome`'.length,
      paragraph.indexOf(', or the error name')
    );

    // Act
    const documented = [...list.matchAll(/`([a-z-]+)`/g)].map(([, outcome]) => outcome);

    // Assess
    expect([...documented].sort()).toEqual([...EMITTED_OUTCOMES].sort());
  });
});

/** The names in backticks of a table's first column (`A`, `B` rule (SAM event) → A, B). */
const namesIn = (tableRows: readonly string[][]): string[] =>
  tableRows.flatMap(([cell]) =>
    [...(cell ?? '').matchAll(/`([A-Za-z0-9_]+)`/g)].map(([, n]) => n ?? '')
  );

describe('docs/deploy.md, resources', () => {
  const template = loadTemplate();
  const resourceRows = tableUnder(`\n${deployMd}`, '# Deploying and operating rotation-remediator');
  const events = Object.entries(
    (template.Resources.RemediatorFunction?.Properties?.Events ?? {}) as Record<
      string,
      { Type: string }
    >
  );

  it('lists every resource of template.yaml and every rule its function’s events make, and no other', () => {
    // Prepare: an HttpApi event adds a route to RemediationsApi, not a resource of its own
    const rules = events.filter(([, event]) => event.Type !== 'HttpApi').map(([name]) => name);

    // Act
    const documented = namesIn(resourceRows);

    // Assess
    expect([...documented].sort()).toEqual([...Object.keys(template.Resources), ...rules].sort());
  });
});

/**
 * Variables the settings loader reads that the README's configuration table leaves out on purpose,
 * each named elsewhere in the README (checked below).
 */
const NOT_IN_CONFIGURATION_TABLE = {
  SWEEP_GRACE_SECONDS:
    'the old name, read only to refuse it: the ROTATION_GRACE_SECONDS row says so',
  POWERTOOLS_IDEMPOTENCY_DISABLED: 'a local switch: the IDEMPOTENCY_TABLE_NAME row names it',
  AWS_LAMBDA_INITIALIZATION_TYPE:
    'set by Lambda, not by the operator: the paragraph under the table',
} as const;

/** Variables the table documents that src/settings.ts does not read (a library reads them). */
const READ_BY_LIBRARIES = {
  POWERTOOLS_LOG_LEVEL: 'the Powertools Logger reads it itself',
} as const;

describe('README.md, Configuration', () => {
  const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
  const read = envVarsReadIn(readFileSync(resolve(REPO_ROOT, 'src/settings.ts'), 'utf8'));

  it('lists exactly the variables the settings loader reads (and the library ones)', () => {
    // Prepare
    const expected = [
      ...read.filter((name) => !(name in NOT_IN_CONFIGURATION_TABLE)),
      ...Object.keys(READ_BY_LIBRARIES),
    ];

    // Act
    const documented = namesIn(tableUnder(readme, '## Configuration'));

    // Assess
    expect([...documented].sort()).toEqual([...expected].sort());
  });

  it.each(Object.keys(NOT_IN_CONFIGURATION_TABLE))(
    'names %s, which the loader reads, beside the table',
    (name) => {
      // Act
      const named = new RegExp(`\`${name}[\`=]`).test(readme);

      // Assess
      expect(read).toContain(name);
      expect(named).toBe(true);
    }
  );
});
