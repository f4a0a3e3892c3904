import type { RecordedEvent } from '../../../emulator/secrets-manager/index.js';
import { eventLines, exportLines } from '../../../scripts/local-output.js';

describe('npm run local: export lines', () => {
  it.each([
    [
      'AWS_DEFAULT_REGION beside AWS_REGION (AWS CLI v1 reads only the former)',
      { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local' },
      [
        'export AWS_REGION=us-east-1',
        'export AWS_DEFAULT_REGION=us-east-1',
        'export AWS_ACCESS_KEY_ID=local',
      ],
    ],
    [
      'an AWS_DEFAULT_REGION already given is not doubled',
      { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' },
      ['export AWS_REGION=us-east-1', 'export AWS_DEFAULT_REGION=us-east-1'],
    ],
  ] as const)('%s', (_label, env, expected) => {
    // Act
    const lines = exportLines(env);

    // Assess
    expect(lines).toEqual(expected);
  });
});

describe('npm run local: emitted events', () => {
  it('prints a needs-decision event in full, as pretty JSON with its decide commands', () => {
    // Prepare
    const decide = { promote: 'npx rotation-remediator decide --promote', discard: 'x' };
    const detail = { secret: { name: 'rr-demo/app-db' }, status: 'needs-decision', decide };
    const event: RecordedEvent = {
      eventId: 'e-1',
      eventBusName: 'default',
      source: 'rotation-remediator',
      detailType: 'Rotation Needs Decision',
      detailText: JSON.stringify(detail),
      detail,
      resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:rr-demo/app-db-AbCdEf'],
      at: 0,
    };

    // Act
    const lines = eventLines(event);

    // Assess
    expect(lines[0]).toBe('event Rotation Needs Decision rr-demo/app-db (bus default)');
    const printed = JSON.parse(lines.slice(1).join('\n')) as { detail: unknown };
    expect(printed.detail).toEqual(detail);
    expect(lines).toContain('    "decide": {');
  });
});
