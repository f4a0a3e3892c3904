/**
 * Docs that cannot drift (issue 23, item 5): docs/deploy.md's parameters table lists exactly the
 * template's parameters, each with the template's default.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTemplate, REPO_ROOT } from '../../helpers/cfn.js';
import { EMITTED_OUTCOMES } from '../../helpers/outcomes.js';

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
