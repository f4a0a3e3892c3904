/**
 * Start-up of the built bundle: a misconfigured function refuses to load, with a clear message,
 * before it can act on any secret.
 */
import { loadBundle } from '../helpers/bundle.js';

describe('start-up of dist/handler.js', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    {
      name: 'no idempotency table',
      env: { IDEMPOTENCY_TABLE_NAME: undefined },
      mentions: 'IDEMPOTENCY_TABLE_NAME',
    },
    {
      name: 'bad default action',
      env: { IDEMPOTENCY_TABLE_NAME: 't', DEFAULT_PENDING_ACTION: 'maybe' },
      mentions: 'DEFAULT_PENDING_ACTION',
    },
    {
      name: 'bad required tag',
      env: { IDEMPOTENCY_TABLE_NAME: 't', REQUIRED_TAG: 'team' },
      mentions: 'REQUIRED_TAG',
    },
  ])('$name → ConfigurationError naming $mentions', ({ env, mentions }) => {
    // Prepare
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }

    // Act & Assess
    expect(() => loadBundle()).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        message: expect.stringContaining(mentions),
      })
    );
  });

  it('loads without a table when POWERTOOLS_IDEMPOTENCY_DISABLED is set', () => {
    // Prepare
    delete process.env.IDEMPOTENCY_TABLE_NAME;
    process.env.POWERTOOLS_IDEMPOTENCY_DISABLED = 'true';

    // Act
    const bundle = loadBundle();

    // Assess
    expect(typeof bundle.handler).toBe('function');
  });
});
