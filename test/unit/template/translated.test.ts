/**
 * template.yaml as it deploys: translated by the SAM translator, then evaluated for parameter values.
 * A SAM property whose effect the translator decides (a Schedule event's State) is checked here, on
 * its output, not on the SAM source.
 */
import type { CfnTemplate } from '../../helpers/cfn';
import { bindTemplate, deployedResources, loadTemplate } from '../../helpers/cfn';
import { translateTemplate } from './sam-translate';

let translated: CfnTemplate;

beforeAll(async () => {
  translated = await translateTemplate(loadTemplate());
});

describe('the translated sweep schedule', () => {
  it.each([
    ['empty (no sweep)', '', 'DISABLED'],
    ['hourly', 'rate(1 hour)', 'ENABLED'],
    ['a cron expression', 'cron(0 3 * * ? *)', 'ENABLED'],
  ] as const)('with SweepSchedule %s: %s', (_case, schedule, state) => {
    // Prepare
    const evaluation = bindTemplate(translated, { parameters: { SweepSchedule: schedule } });
    // Act
    const rules = deployedResources(evaluation).filter(
      (resource) =>
        resource.type === 'AWS::Events::Rule' &&
        resource.properties.ScheduleExpression !== undefined
    );
    // Assess
    expect(rules.map((rule) => rule.properties.State)).toEqual([state]);
    if (schedule !== '') expect(rules[0]?.properties.ScheduleExpression).toBe(schedule);
  });
});
