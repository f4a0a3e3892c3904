/**
 * Docs that cannot drift (issue 23, item 5): docs/deploy.md's parameters table lists exactly the
 * template's parameters, each with the template's default.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTemplate, REPO_ROOT } from '../../helpers/cfn.js';

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
