/**
 * A picture of the operator dashboard (template.yaml `OperatorDashboard`), drawn from its
 * definition: each widget a box on CloudWatch's 24-column grid with its title and the lines it
 * plots. `npm run dashboard:picture` writes docs/dashboard.svg; a test keeps it in step with the
 * template. No AWS call: the picture shows the layout, not data.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One widget of a CloudWatch dashboard body, as far as the picture needs it. */
interface Widget {
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title: string; metrics: unknown[][] };
}

const REPO = resolve(__dirname, '..');
/** Pixels per grid unit: CloudWatch's 24 columns, its rows. */
const COLUMN = 40;
const ROW = 30;

/** The dashboard body of template.yaml, its `${...}` placeholders named. */
export const dashboardBodyOf = (templateText: string): { widgets: Widget[] } => {
  const lines = templateText.split('\n');
  const start = lines.findIndex((line) => /^\s+DashboardBody: !Sub \|$/.test(line));
  if (start < 0) throw new Error('template.yaml has no DashboardBody: !Sub |');
  const indent = (lines[start + 1] ?? '').search(/\S/);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/) < indent) break;
    body.push(line.slice(indent));
  }
  return JSON.parse(body.join('\n').replace(/\$\{([^}]+)\}/g, '<$1>')) as { widgets: Widget[] };
};

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The label of one metric line: its `label`, or its metric name and dimension value. */
const labelOf = (line: unknown[]): string => {
  const options = line.find((part) => typeof part === 'object' && part !== null) as
    | { label?: string }
    | undefined;
  const strings = line.filter((part): part is string => typeof part === 'string');
  return options?.label ?? `${strings[1] ?? ''} ${strings.at(-1) ?? ''}`.trim();
};

/** One widget's box, title and up to six plotted lines. */
const widgetSvg = (widget: Widget): string => {
  const x = widget.x * COLUMN;
  const y = widget.y * ROW;
  const labels = widget.properties.metrics.map(labelOf);
  const shown = labels.length > 6 ? [...labels.slice(0, 5), `… ${labels.length - 5} more`] : labels;
  return [
    `<rect x="${x + 4}" y="${y + 4}" width="${widget.width * COLUMN - 8}" height="${widget.height * ROW - 8}" rx="4" fill="#ffffff" stroke="#aab7b8"/>`,
    `<text x="${x + 14}" y="${y + 26}" font-weight="bold">${escapeXml(widget.properties.title)}</text>`,
    ...shown.map(
      (label, index) =>
        `<text x="${x + 24}" y="${y + 50 + index * 18}" fill="#545b64">• ${escapeXml(label)}</text>`
    ),
  ].join('\n');
};

/** The whole dashboard as an SVG document. */
export const renderDashboardSvg = (body: { widgets: Widget[] }): string => {
  const height = Math.max(...body.widgets.map((w) => (w.y + w.height) * ROW)) + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${24 * COLUMN}" height="${height}" font-family="sans-serif" font-size="13">`,
    '<title>The rotation-remediator operator dashboard: its widgets and what each plots</title>',
    `<rect width="100%" height="100%" fill="#f2f3f3"/>`,
    ...body.widgets.map(widgetSvg),
    '</svg>',
    '',
  ].join('\n');
};

/** Path of the committed picture. */
export const PICTURE_PATH = resolve(REPO, 'docs/dashboard.svg');

if (require.main === module) {
  const svg = renderDashboardSvg(
    dashboardBodyOf(readFileSync(resolve(REPO, 'template.yaml'), 'utf8'))
  );
  writeFileSync(PICTURE_PATH, svg);
  process.stdout.write(`wrote ${PICTURE_PATH}\n`);
}
