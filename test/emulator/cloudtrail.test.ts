/**
 * CloudTrail's event history served beside Secrets Manager: LookupEvents through the real SDK
 * client, as the failed-step look-up sends it, and the RotationFailed records seeding leaves.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { rotationFailedMessage } from '../../emulator/secrets-manager/index.js';
import { useEmulator } from './support.js';

const under = useEmulator();
let cloudTrail: CloudTrailClient;
const HOUR_MS = 3_600_000;
/** A fixed instant, for inputs whose relation to the wall clock does not matter. */
const FIXED_NOW = Date.parse('2026-11-25T12:00:00.000Z');

beforeAll(() => {
  cloudTrail = new CloudTrailClient({
    endpoint: under.emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(() => cloudTrail.destroy());

beforeEach(() => {
  under.emulator.store.clear();
  under.emulator.setQuotas(false);
});

const lookUp = (input: ConstructorParameters<typeof LookupEventsCommand>[0] = {}) =>
  cloudTrail.send(new LookupEventsCommand(input));

const ROTATION_FAILED = [{ AttributeKey: 'EventName' as const, AttributeValue: 'RotationFailed' }];

describe('the RotationFailed record a seeded failure leaves', () => {
  it('has the shape Secrets Manager writes: SecretId, errorMessage naming the step, requestID', async () => {
    // Prepare
    const pendingCreatedAt = new Date(Date.now() - 2 * HOUR_MS);
    const seeded = under.emulator.store.seedFailedRotation({
      name: 'ct/orders',
      step: 'setSecret',
      pendingCreatedAt,
    });

    // Act
    const { Events = [] } = await lookUp({ LookupAttributes: ROTATION_FAILED });

    // Assess
    expect(Events).toHaveLength(1);
    const [event] = Events;
    expect(event?.EventName).toBe('RotationFailed');
    expect(event?.EventTime?.getTime()).toBe(pendingCreatedAt.getTime() + 1000);
    expect(JSON.parse(event?.CloudTrailEvent ?? '{}')).toMatchObject({
      eventName: 'RotationFailed',
      eventSource: 'secretsmanager.amazonaws.com',
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      readOnly: false,
      additionalEventData: { SecretId: seeded.arn },
      errorMessage: rotationFailedMessage('setSecret'),
      requestID: `Rotation-${seeded.arn}-${seeded.pendingVersionId}`,
    });
  });

  it('leaves none with failureRecord: false', async () => {
    // Prepare
    under.emulator.store.seedFailedRotation({
      name: 'ct/none',
      step: 'setSecret',
      failureRecord: false,
    });

    // Act
    const { Events = [] } = await lookUp();

    // Assess
    expect(Events).toEqual([]);
  });
});

describe('LookupEvents', () => {
  /** `count` records a minute apart, the newest a minute before `now`. */
  const seedRecords = (count: number, now: number) => {
    for (let i = 0; i < count; i += 1) {
      under.emulator.store.cloudTrail.record({
        secretId: `s-${i}`,
        secretArn: `s-${i}`,
        versionId: null,
        at: new Date(now - (count - i) * 60_000),
        errorMessage: rotationFailedMessage('testSecret'),
      });
    }
  };

  it('answers newest first, 50 a page by default, with a NextToken until the last page', async () => {
    // Prepare
    seedRecords(120, Date.now());

    // Act
    const pages = [];
    let token: string | undefined;
    do {
      const page = await lookUp({ LookupAttributes: ROTATION_FAILED, NextToken: token });
      pages.push(page);
      token = page.NextToken;
    } while (token !== undefined && pages.length < 10);

    // Assess
    expect(pages.map((page) => page.Events?.length)).toEqual([50, 50, 20]);
    const times = pages
      .flatMap((page) => page.Events ?? [])
      .map((e) => e.EventTime?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keeps to the time range, both ends included', async () => {
    // Prepare: one reading of the clock for the records and the range (two readings a
    // millisecond apart left the record at the start outside it), in whole seconds: the SDK sends
    // times as epoch seconds, and a millisecond fraction need not survive the round trip
    const now = Math.floor(Date.now() / 1000) * 1000;
    seedRecords(10, now);

    // Act: from the record 6 min before now to the one 2 min before, both ends on a record
    const { Events = [] } = await lookUp({
      StartTime: new Date(now - 6 * 60_000),
      EndTime: new Date(now - 2 * 60_000),
    });

    // Assess
    expect(Events.map((event) => event.EventTime?.getTime())).toEqual(
      [2, 3, 4, 5, 6].map((minutes) => now - minutes * 60_000)
    );
  });

  it.each([
    [
      'two lookup attributes',
      { LookupAttributes: [...ROTATION_FAILED, ...ROTATION_FAILED] },
      'InvalidLookupAttributesException',
    ],
    [
      'an unknown attribute',
      { LookupAttributes: [{ AttributeKey: 'Nope' as never, AttributeValue: 'x' }] },
      'InvalidLookupAttributesException',
    ],
    ['MaxResults above 50', { MaxResults: 51 }, 'InvalidMaxResultsException'],
    [
      'a start after the end',
      { StartTime: new Date(FIXED_NOW), EndTime: new Date(FIXED_NOW - 60_000) },
      'InvalidTimeRangeException',
    ],
  ])('refuses %s', async (_case, input, errorName) => {
    // Act
    const outcome = await lookUp(input).then(
      () => 'answered',
      (error: Error) => error.name
    );

    // Assess
    expect(outcome).toBe(errorName);
  });

  it('is rate-limited at its quota of 2 requests per second', async () => {
    // Prepare
    under.emulator.setQuotas(true);

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () =>
        lookUp().then(
          () => 'ok',
          (error: Error) => error.name
        )
      )
    );

    // Assess
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'ThrottlingException')).toHaveLength(2);
  });

  it('takes faults by its operation name, and records its calls', async () => {
    // Prepare
    under.emulator.faults.inject({
      operation: 'LookupEvents',
      kind: 'error',
      errorName: 'AccessDeniedException',
    });
    under.emulator.resetCalls();

    // Act
    const outcome = await lookUp().then(
      () => 'answered',
      (error: Error) => error.name
    );

    // Assess
    expect(outcome).toBe('AccessDeniedException');
    expect(under.emulator.calls.map((call) => call.operation)).toEqual(['LookupEvents']);
  });
});
