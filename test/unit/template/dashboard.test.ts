/**
 * The operator dashboard (template.yaml `OperatorDashboard`, issue 23 item 6): on by default, off
 * with `CreateDashboard=off`, and every metric it plots is one the code emits: the function's EMF
 * metrics (src/audit/metrics.ts) with the dimensions and outcome values the service records, or
 * the function's own AWS/Lambda metrics. cfn-lint checks the definition (cfn-lint.test.ts).
 */
import { readFileSync } from 'node:fs';
import { MetricName, SWEEP_GAUGES } from '../../../src/audit/metrics.js';
import { FAILURE_ERROR_NAMES } from '../../../src/notifications/detail.js';
import { emptyReportCounts } from '../../../src/report/classify.js';
import { OBSERVABILITY_DEFAULTS } from '../../../src/settings.js';
import {
  dashboardBodyOf,
  PICTURE_PATH,
  renderDashboardSvg,
} from '../../../tools/dashboard-picture.js';
import type { CfnObject } from '../../helpers/cfn.js';
import { bindTemplate, deployedResources, loadTemplate, TEMPLATE_PATH } from '../../helpers/cfn.js';
import { EMITTED_OUTCOMES } from '../../helpers/outcomes.js';

/** What the dashboard may plot as an `outcome`: the outcomes, and the failures' error names. */
const PLOTTABLE_OUTCOMES: readonly string[] = [...EMITTED_OUTCOMES, ...FAILURE_ERROR_NAMES];

/** The AWS/Lambda metrics of a function. */
const LAMBDA_METRICS = ['Errors', 'Throttles', 'Duration', 'Invocations'];

/** The dashboard's body with the given parameters; undefined when it is not deployed. */
const dashboardOf = (parameters: Record<string, string> = {}) => {
  const template = loadTemplate();
  const resource = deployedResources(bindTemplate(template, { parameters })).find(
    (r) => r.logicalId === 'OperatorDashboard'
  );
  if (resource === undefined) return undefined;
  return JSON.parse(String(resource.properties.DashboardBody)) as {
    widgets: { properties: { title: string; metrics: (string | CfnObject)[][] } }[];
  };
};

/** Every metric line of the dashboard: namespace, name and dimensions. */
const plotted = (body: NonNullable<ReturnType<typeof dashboardOf>>) =>
  body.widgets.flatMap((widget) =>
    widget.properties.metrics.map((line) => {
      const [namespace, name, ...rest] = line.filter((part) => typeof part === 'string');
      const dimensions: Record<string, string> = {};
      for (let at = 0; at + 1 < rest.length; at += 2)
        dimensions[rest[at] ?? ''] = rest[at + 1] ?? '';
      return { widget: widget.properties.title, namespace, name, dimensions };
    })
  );

describe('the operator dashboard', () => {
  it.each([
    { parameters: { CreateDashboard: 'on' }, deployed: true },
    { parameters: { CreateDashboard: 'off' }, deployed: false },
  ])('is deployed: $deployed with $parameters', ({ parameters, deployed }) => {
    // Act
    const body = dashboardOf(parameters);

    // Assess
    expect(body !== undefined).toBe(deployed);
  });

  it('plots only metrics the code emits, with the dimensions it emits them with', () => {
    // Prepare
    const body = dashboardOf({ MetricsNamespace: 'RR' });
    if (body === undefined) throw new Error('no dashboard');

    // Act
    const lines = plotted(body);

    // Assess
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      if (line.namespace === 'AWS/Lambda') {
        expect({ ...line, known: LAMBDA_METRICS.includes(line.name ?? '') }).toMatchObject({
          known: true,
        });
        expect(Object.keys(line.dimensions)).toEqual(['FunctionName']);
        continue;
      }
      expect(line).toMatchObject({ namespace: 'RR' });
      expect(Object.values(MetricName)).toContain(line.name);
      expect(line.dimensions.service).toBe(OBSERVABILITY_DEFAULTS.serviceName);
      if (line.name === MetricName.NotificationsFailed) {
        expect(Object.keys(line.dimensions)).toEqual(['service']);
      } else if (line.name === MetricName.SweepSecrets) {
        expect(SWEEP_GAUGES as readonly string[]).toContain(line.dimensions.count);
      } else if (line.name === MetricName.ReportSecrets) {
        expect(Object.keys(emptyReportCounts())).toContain(line.dimensions.class);
      } else {
        expect(PLOTTABLE_OUTCOMES).toContain(line.dimensions.outcome);
      }
    }
  });

  it.each([
    'Remediations by outcome',
    'Held: needs-decision and deferred',
    'Failures',
    'Notifications failed',
    'Runs: sweeps and reports',
    'Function errors and throttles',
    'Function duration (ms)',
    'Sweep: stuck, remediated, remaining',
    'Fleet report: secrets per class',
  ])('has the widget "%s"', (title) => {
    // Act
    const titles = dashboardOf()?.widgets.map((widget) => widget.properties.title);

    // Assess
    expect(titles).toContain(title);
  });

  it('is pictured in docs/dashboard.svg, drawn from its current definition', () => {
    // Prepare
    const template = readFileSync(TEMPLATE_PATH, 'utf8');

    // Act
    const picture = renderDashboardSvg(dashboardBodyOf(template));

    // Assess: `npm run dashboard:picture` redraws it after a change to the dashboard
    expect(readFileSync(PICTURE_PATH, 'utf8')).toBe(picture);
    expect(picture.match(/font-weight="bold"/g)).toHaveLength(dashboardOf()?.widgets.length ?? 0);
  });
});
