import {
  loadConfig,
  loadIdempotencySettings,
  loadNotificationSettings,
  loadSettings,
  parseRequiredTag,
} from '../../src/settings.js';

describe('loadConfig', () => {
  it('defaults to auto, every secret in scope, RotationFailed', () => {
    // Act
    const config = loadConfig({});

    // Assess
    expect(config).toEqual({
      requiredTag: undefined,
      defaultPendingAction: 'auto',
      actOnEvents: ['RotationFailed'],
      failedStepLookup: true,
      policy: { graceSeconds: 3600, unknownStepAction: 'hold' },
      trustedEventAccounts: [],
    });
  });

  it.each([
    { env: { DEFAULT_PENDING_ACTION: 'discard' }, field: 'defaultPendingAction', value: 'discard' },
    {
      env: { REQUIRED_TAG: 'remediate=yes' },
      field: 'requiredTag',
      value: { key: 'remediate', value: 'yes' },
    },
    {
      env: { REQUIRED_TAG: ' team = db=1 ' },
      field: 'requiredTag',
      value: { key: 'team', value: 'db=1' },
    },
    {
      env: { ACT_ON_EVENTS: 'RotationFailed, TestRotationFailed' },
      field: 'actOnEvents',
      value: ['RotationFailed', 'TestRotationFailed'],
    },
    {
      env: { ROTATION_GRACE_SECONDS: '0', UNKNOWN_STEP_ACTION: 'discard' },
      field: 'policy',
      value: { graceSeconds: 0, unknownStepAction: 'discard' },
    },
    {
      env: { ROTATION_GRACE_SECONDS: ' 900 ', UNKNOWN_STEP_ACTION: ' HOLD ' },
      field: 'policy',
      value: { graceSeconds: 900, unknownStepAction: 'hold' },
    },
    {
      env: { TRUSTED_EVENT_ACCOUNTS: '111122223333, 444455556666' },
      field: 'trustedEventAccounts',
      value: ['111122223333', '444455556666'],
    },
  ])('reads $field', ({ env, field, value }) => {
    // Act
    const config = loadConfig(env);

    // Assess
    expect(config[field as keyof typeof config]).toEqual(value);
  });

  it.each([
    { env: { DEFAULT_PENDING_ACTION: 'yolo' }, mentions: 'DEFAULT_PENDING_ACTION' },
    { env: { REQUIRED_TAG: 'novalue' }, mentions: 'REQUIRED_TAG' },
    { env: { REQUIRED_TAG: '=x' }, mentions: 'REQUIRED_TAG' },
    { env: { ACT_ON_EVENTS: ' , ' }, mentions: 'ACT_ON_EVENTS' },
    { env: { ACT_ON_EVENTS: 'Rotation Failed' }, mentions: 'ACT_ON_EVENTS' },
    // a promote is a person's decision for one version, never a fleet-wide default
    {
      env: { DEFAULT_PENDING_ACTION: 'promote' },
      mentions: 'DEFAULT_PENDING_ACTION=promote is refused',
    },
    { env: { ROTATION_GRACE_SECONDS: '-1' }, mentions: 'ROTATION_GRACE_SECONDS' },
    { env: { ROTATION_GRACE_SECONDS: '1.5' }, mentions: 'ROTATION_GRACE_SECONDS' },
    { env: { ROTATION_GRACE_SECONDS: 'an hour' }, mentions: 'ROTATION_GRACE_SECONDS' },
    { env: { ROTATION_GRACE_SECONDS: '2592001' }, mentions: 'ROTATION_GRACE_SECONDS' },
    {
      env: { SWEEP_GRACE_SECONDS: '60' },
      mentions: 'SWEEP_GRACE_SECONDS is now ROTATION_GRACE_SECONDS',
    },
    { env: { UNKNOWN_STEP_ACTION: 'guess' }, mentions: 'UNKNOWN_STEP_ACTION' },
    { env: { TRUSTED_EVENT_ACCOUNTS: '1234' }, mentions: 'TRUSTED_EVENT_ACCOUNTS' },
    { env: { TRUSTED_EVENT_ACCOUNTS: '*' }, mentions: 'TRUSTED_EVENT_ACCOUNTS' },
  ])('refuses to start on $env', ({ env, mentions }) => {
    // Act & Assess
    expect(() => loadConfig(env)).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        message: expect.stringContaining(mentions),
      })
    );
  });

  it('treats an empty REQUIRED_TAG as unset', () => {
    // Act & Assess
    expect(parseRequiredTag('  ')).toBeUndefined();
  });
});

describe('loadIdempotencySettings', () => {
  afterEach(() => {
    delete process.env.POWERTOOLS_IDEMPOTENCY_DISABLED;
  });

  it('requires IDEMPOTENCY_TABLE_NAME and says how to turn idempotency off', () => {
    // Act & Assess
    expect(() => loadIdempotencySettings({})).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        message: expect.stringMatching(/IDEMPOTENCY_TABLE_NAME.*POWERTOOLS_IDEMPOTENCY_DISABLED/s),
      })
    );
  });

  it.each([
    {
      env: { IDEMPOTENCY_TABLE_NAME: 't' },
      settings: { tableName: 't', expiresAfterSeconds: 3600 },
    },
    {
      env: { IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_TTL_SECONDS: '600' },
      settings: { tableName: 't', expiresAfterSeconds: 600 },
    },
  ])('reads $env', ({ env, settings }) => {
    // Act & Assess
    expect(loadIdempotencySettings(env)).toEqual(settings);
  });

  it.each(['abc', '1.5', '10', '-3'])('refuses IDEMPOTENCY_TTL_SECONDS=%s', (ttl) => {
    // Act & Assess
    expect(() =>
      loadIdempotencySettings({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_TTL_SECONDS: ttl })
    ).toThrow(expect.objectContaining({ name: 'ConfigurationError' }));
  });

  it.each(['true', '1', ' YES '])('is off when POWERTOOLS_IDEMPOTENCY_DISABLED=%s', (value) => {
    // Prepare
    const env = { POWERTOOLS_IDEMPOTENCY_DISABLED: value };

    // Act & Assess
    expect(loadIdempotencySettings(env)).toBeUndefined();
  });

  it('reads its env argument, not the process environment', () => {
    // Prepare
    process.env.POWERTOOLS_IDEMPOTENCY_DISABLED = 'true';

    // Act & Assess
    try {
      expect(() => loadIdempotencySettings({})).toThrow('IDEMPOTENCY_TABLE_NAME is required');
    } finally {
      delete process.env.POWERTOOLS_IDEMPOTENCY_DISABLED;
    }
  });
});

describe('loadSettings', () => {
  it('reads every concern from the one record', () => {
    // Prepare
    const env = {
      REQUIRED_TAG: 'team=payments',
      SWEEP_CONCURRENCY: '4',
      IDEMPOTENCY_TABLE_NAME: 'locks',
      IDEMPOTENCY_TTL_SECONDS: '600',
      POWERTOOLS_SERVICE_NAME: 'rr-test',
      POWERTOOLS_METRICS_NAMESPACE: 'RR',
      ROTATION_FUNCTION_ARNS: 'arn:aws:lambda:us-east-1:123456789012:function:rotator',
    };

    // Act
    const settings = loadSettings(env);

    // Assess
    expect(settings).toEqual({
      remediator: {
        requiredTag: { key: 'team', value: 'payments' },
        defaultPendingAction: 'auto',
        actOnEvents: ['RotationFailed'],
        failedStepLookup: true,
        policy: { graceSeconds: 3600, unknownStepAction: 'hold' },
        trustedEventAccounts: [],
      },
      sweep: { quotaShare: 0.5, concurrency: 4 },
      idempotency: { tableName: 'locks', expiresAfterSeconds: 600 },
      observability: { serviceName: 'rr-test', metricsNamespace: 'RR' },
      notifications: { eventBusName: 'default', decisionReminderSeconds: 86_400 },
      startup: { loadClientsAtInit: false },
      resume: { rotationFunctionArns: ['arn:aws:lambda:us-east-1:123456789012:function:rotator'] },
    });
  });

  it.each([
    [{ IDEMPOTENCY_TABLE_NAME: 't', SWEEP_QUOTA_SHARE: '2' }, 'SWEEP_QUOTA_SHARE'],
    [{ IDEMPOTENCY_TABLE_NAME: 't', DEFAULT_PENDING_ACTION: 'burn' }, 'DEFAULT_PENDING_ACTION'],
    [{}, 'IDEMPOTENCY_TABLE_NAME'],
    [{ IDEMPOTENCY_TABLE_NAME: 't', ROTATION_FUNCTION_ARNS: 'rotator' }, 'ROTATION_FUNCTION_ARNS'],
    [{ IDEMPOTENCY_TABLE_NAME: 't', HTTP_API_ID: 'https://api' }, 'HTTP_API_ID'],
  ])('refuses a bad value of any concern: %j', (env, variable) => {
    // Act & Assess
    expect(() => loadSettings(env)).toThrow(variable);
  });

  it('takes the defaults of logs and metrics', () => {
    // Act
    const { observability } = loadSettings({ POWERTOOLS_IDEMPOTENCY_DISABLED: 'true' });

    // Assess
    expect(observability).toEqual({
      serviceName: 'rotation-remediator',
      metricsNamespace: 'RotationRemediator',
    });
  });
});

describe('FAILED_STEP_LOOKUP', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['on', true],
    [' OFF ', false],
  ])('%j turns the look-up %s', (value, expected) => {
    // Act
    const config = loadConfig({ FAILED_STEP_LOOKUP: value });

    // Assess
    expect(config.failedStepLookup).toBe(expected);
  });

  it.each(['yes', 'disabled', '0'])('refuses %j', (value) => {
    // Act & Assess
    expect(() => loadConfig({ FAILED_STEP_LOOKUP: value })).toThrow(
      'FAILED_STEP_LOOKUP must be on or off.'
    );
  });
});

describe('loadNotificationSettings', () => {
  it.each([
    { raw: undefined, eventBusName: 'default' },
    { raw: '', eventBusName: 'default' },
    { raw: ' ops-events ', eventBusName: 'ops-events' },
    { raw: 'aws.partner/example.com/123/feed', eventBusName: 'aws.partner/example.com/123/feed' },
    {
      raw: 'arn:aws:events:eu-west-1:210987654321:event-bus/central',
      eventBusName: 'arn:aws:events:eu-west-1:210987654321:event-bus/central',
    },
    { raw: 'none', eventBusName: undefined },
  ])('reads EVENT_BUS_NAME=$raw as $eventBusName', ({ raw, eventBusName }) => {
    // Act
    const settings = loadNotificationSettings({ EVENT_BUS_NAME: raw });

    // Assess
    expect(settings).toEqual({ eventBusName, decisionReminderSeconds: 86_400 });
  });

  it.each([
    { raw: '3600', seconds: 3600 },
    { raw: undefined, seconds: 86_400 },
  ])('reads DECISION_REMINDER_SECONDS=$raw as $seconds', ({ raw, seconds }) => {
    // Act
    const settings = loadNotificationSettings({ DECISION_REMINDER_SECONDS: raw });

    // Assess
    expect(settings.decisionReminderSeconds).toBe(seconds);
  });

  it.each(['59', '1.5', 'soon', '2592001'])(
    'refuses to start on DECISION_REMINDER_SECONDS=%s',
    (raw) => {
      // Act & Assess
      expect(() => loadNotificationSettings({ DECISION_REMINDER_SECONDS: raw })).toThrow(
        expect.objectContaining({
          name: 'ConfigurationError',
          message: expect.stringContaining('DECISION_REMINDER_SECONDS'),
        })
      );
    }
  );

  it.each([
    'bus with spaces',
    'arn:aws:events:eu-west-1:2109876543:event-bus/short-account',
    'arn:aws:sns:eu-west-1:210987654321:topic',
    'x'.repeat(257),
  ])('refuses to start on EVENT_BUS_NAME=%s', (raw) => {
    // Act & Assess
    expect(() => loadNotificationSettings({ EVENT_BUS_NAME: raw })).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        message: expect.stringContaining('EVENT_BUS_NAME'),
      })
    );
  });
});

describe('AWS_LAMBDA_INITIALIZATION_TYPE', () => {
  it.each([
    [undefined, false],
    ['on-demand', false],
    ['provisioned-concurrency', true],
    [' snap-start ', true],
    ['lambda-managed-instances', false],
    ['something-new', false],
  ])('%j makes the clients at init: %s', (value, expected) => {
    // Act
    const { startup } = loadSettings({
      POWERTOOLS_IDEMPOTENCY_DISABLED: 'true',
      AWS_LAMBDA_INITIALIZATION_TYPE: value,
    });

    // Assess
    expect(startup.loadClientsAtInit).toBe(expected);
  });
});
