import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ValidationError } from '../../../src/errors.js';
import { selectTrigger, triggers } from '../../../src/triggers/index.js';
import type { TriggerAdapter } from '../../../src/triggers/types.js';
import {
  CANARY,
  CANARY_JUNK,
  decodeBody,
  EVENTS_DIR,
  encodeBody,
  loadSample,
  readExpectations,
  SAMPLE_SECRET_ARN,
  SAMPLE_SECRET_NAME,
  sampleFiles,
  scalarLeaves,
  setAt,
  substituteSecret,
  testConfig,
} from '../../helpers/samples.js';

const expectations = readExpectations();
const expectationOf = (file: string) => {
  const row = expectations.find((candidate) => candidate.file === file);
  if (row === undefined) throw new Error(`${file} is not in events/README.md`);
  return row;
};

/** Runs an adapter like the handler: toRequest, and on failure toErrorResponse. */
const run = (adapter: TriggerAdapter, event: unknown): { text: string; failed: boolean } => {
  try {
    const result = adapter.toCommand(event, undefined, testConfig());
    return { text: JSON.stringify(result), failed: false };
  } catch (error) {
    let response: unknown;
    try {
      response = adapter.toErrorResponse(error);
    } catch (rethrown) {
      response = rethrown instanceof Error ? `${rethrown.name}: ${rethrown.message}` : rethrown;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { text: `${message}\n${JSON.stringify(response)}`, failed: true };
  }
};

describe('triggers', () => {
  it('are in detection order, with the direct command last', () => {
    // Act
    const names = triggers.map((adapter) => adapter.name);

    // Assess
    expect(names).toEqual([
      'http',
      'alarm-eventbridge',
      'alarm-action',
      'rotation-failed',
      'sweep',
      'report',
      'direct',
    ]);
  });
});

describe('events/README.md', () => {
  it('lists every sample exactly once, and only samples that exist', () => {
    // Act
    const listed = expectations.map((row) => row.file);

    // Assess
    expect([...listed].sort()).toEqual(sampleFiles());
    expect(new Set(listed).size).toBe(listed.length);
    for (const file of listed) expect(existsSync(join(EVENTS_DIR, file))).toBe(true);
  });

  it.each(expectations)(
    '$file: expected "$expected" is a known outcome',
    ({ outcome, trigger, httpStatus }) => {
      // Assess
      expect([
        'remediated',
        'already-clean',
        'planned',
        'needs-decision',
        'refused',
        'ignored',
        'swept',
        'reported',
      ]).toContain(outcome);
      expect(httpStatus === undefined).toBe(trigger !== 'http');
    }
  );
});

describe('detection: every sample matches exactly one adapter, the one README names', () => {
  it.each(sampleFiles())('%s', (file) => {
    // Prepare
    const event = loadSample(file);

    // Act
    const matching = triggers
      .filter((adapter) => adapter.matches(event))
      .map((adapter) => adapter.name);
    const selected = selectTrigger(event).name;

    // Assess
    expect(matching).toEqual([expectationOf(file).trigger]);
    expect(selected).toBe(expectationOf(file).trigger);
  });
});

describe('every sample turns into what README expects', () => {
  it.each(sampleFiles())('%s', (file) => {
    // Prepare
    const event = loadSample(file);
    const { outcome } = expectationOf(file);

    // Act
    const result = selectTrigger(event).toCommand(event, undefined, testConfig());

    // Assess
    if (outcome === 'ignored') {
      expect(result.kind).toBe('ignore');
      return;
    }
    if (outcome === 'swept') {
      expect(result.kind).toBe('sweep');
      return;
    }
    if (outcome === 'reported') {
      expect(result.kind).toBe('report');
      return;
    }
    expect(result.kind).toBe('remediate');
    if (result.kind !== 'remediate') return;
    expect([SAMPLE_SECRET_NAME, SAMPLE_SECRET_ARN]).toContain(result.request.secretId);
    expect(result.request.dryRun).toBe(outcome === 'planned');
    expect(result.request.trigger).toBe(expectationOf(file).trigger);
  });

  it.each(sampleFiles())('%s: substituteSecret reaches every mention of the secret', (file) => {
    // Prepare
    const secret = {
      name: 'it-1234/app-db',
      arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:it-1234/app-db-XyZ123',
    };
    const event = substituteSecret(loadSample(file), secret);

    // Act
    const result = selectTrigger(event).toCommand(event, undefined, testConfig());
    const text =
      JSON.stringify(event) + JSON.stringify(event.body === undefined ? '' : decodeBodySafe(event));

    // Assess
    expect(text).not.toContain('rr-demo/app-db');
    if (result.kind === 'remediate')
      expect([secret.name, secret.arn]).toContain(result.request.secretId);
  });
});

const decodeBodySafe = (event: Record<string, unknown>): unknown => {
  try {
    return decodeBody(event);
  } catch {
    return '';
  }
};

describe('detection is mutually exclusive', () => {
  const keyValues: Record<string, unknown[]> = {
    secretId: [SAMPLE_SECRET_NAME, 42],
    sweep: [{}, { dryRun: true }, null],
    report: [{}, { includePendingAge: true }, null],
    resume: [{ secretId: SAMPLE_SECRET_NAME }],
    source: ['aws.cloudwatch', 'aws.secretsmanager', 'aws.s3', 7],
    'detail-type': [
      'CloudWatch Alarm State Change',
      'AWS Service Event via CloudTrail',
      'AWS API Call via CloudTrail',
    ],
    detail: [{}],
    alarmData: [{}, null],
    alarmArn: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:a'],
    httpMethod: ['POST', 'GET', 1],
    resource: ['/'],
    version: ['2.0', '1.0', '0'],
    requestContext: [
      {},
      { http: { method: 'POST' } },
      { http: {}, domainName: 'x.lambda-url.us-east-1.on.aws' },
      { elb: {} },
      'ctx',
    ],
  };
  const eventArbitrary = fc
    .subarray(Object.keys(keyValues))
    .chain((keys) =>
      fc
        .tuple(...keys.map((key) => fc.constantFrom(...(keyValues[key] ?? []))))
        .map((values) => Object.fromEntries(keys.map((key, index) => [key, values[index]])))
    );

  it('no event built from the discriminating keys matches two adapters', () => {
    // Act & Assess
    fc.assert(
      fc.property(eventArbitrary, (event) => {
        expect(triggers.filter((adapter) => adapter.matches(event)).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 }
    );
  });

  it('no arbitrary value matches two adapters, and matches never throws', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (event) => {
        expect(triggers.filter((adapter) => adapter.matches(event)).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1000 }
    );
  });

  it.each(sampleFiles())('%s plus a top-level secretId is only a direct command', (file) => {
    // Prepare
    const event = { ...loadSample(file), secretId: SAMPLE_SECRET_NAME };

    // Act
    const matching = triggers
      .filter((adapter) => adapter.matches(event))
      .map((adapter) => adapter.name);

    // Assess
    expect(matching).toEqual(['direct']);
  });
});

describe('selectTrigger: events of no supported shape', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['undefined', undefined, 'a undefined'],
    ['an array', [loadSample('direct.json')], 'an array of 1'],
    ['a string', `{"secretId":"${CANARY}"}`, 'a string of 28 characters'],
    ['a number', 42, 'a number'],
    ['an empty object', {}, 'an object'],
    [
      'an S3 notification',
      { Records: [{ eventSource: 'aws:s3', s3: { object: { key: CANARY } } }] },
      'an object',
    ],
    [
      'another EventBridge source',
      { ...loadSample('rotation-succeeded.json'), source: CANARY },
      'an object',
    ],
    [
      'a CloudWatch event of another type',
      { ...loadSample('alarm-eventbridge-ok.json'), 'detail-type': CANARY },
      'an object',
    ],
    [
      'an ALB request',
      {
        httpMethod: 'POST',
        path: CANARY,
        requestContext: { elb: { targetGroupArn: CANARY } },
        body: CANARY,
      },
      'an object',
    ],
    ['a SecretId in the wrong case', { SecretId: CANARY }, 'an object'],
  ])('%s', (_label, event, described) => {
    // Act
    const act = () => selectTrigger(event);

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(`Unsupported event: ${described} that matches no known trigger`);
    expect(() => selectTrigger(event)).not.toThrow(new RegExp(CANARY));
  });
});

describe('no planted canary reaches an error message or error response', () => {
  const plantings = (file: string): { label: string; event: unknown }[] => {
    const event = loadSample(file);
    const leaves = scalarLeaves(event);
    const perLeaf = leaves.flatMap((path) => [
      { label: `${path.join('.')}=canary`, event: setAt(event, path, CANARY) },
      { label: `${path.join('.')}=junk`, event: setAt(event, path, CANARY_JUNK) },
    ]);
    const inBody =
      typeof event.body === 'string'
        ? scalarLeaves(decodeBody(event)).flatMap((path) => [
            {
              label: `body:${path.join('.')}=junk`,
              event: {
                ...event,
                body: encodeBody(event, setAt(decodeBody(event), path, CANARY_JUNK)),
              },
            },
            {
              label: `body:${path.join('.')}=[canary]`,
              event: {
                ...event,
                body: encodeBody(event, setAt(decodeBody(event), path, [CANARY])),
              },
            },
          ])
        : [];
    return [...perLeaf, ...inBody];
  };

  it.each(sampleFiles())('%s, one field at a time', (file) => {
    // Prepare
    const cases = plantings(file);
    let failures = 0;

    for (const { label, event } of cases) {
      // Act
      let text: string;
      let failed: boolean;
      try {
        ({ text, failed } = run(selectTrigger(event), event));
      } catch (error) {
        ({ text, failed } = { text: (error as Error).message, failed: true });
      }

      // Assess
      if (failed) {
        failures += 1;
        if (text.includes(CANARY)) throw new Error(`${file} ${label} echoed the canary: ${text}`);
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});
