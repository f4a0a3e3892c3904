import { loadSweepConfig, SWEEP_DEFAULTS } from '../../../src/settings.js';

describe('loadSweepConfig', () => {
  it('defaults to half of each quota, 8 at once', () => {
    // Act & Assess
    expect(loadSweepConfig({})).toEqual({ quotaShare: 0.5, concurrency: 8 });
    expect(SWEEP_DEFAULTS).toEqual(loadSweepConfig({}));
  });

  it.each([
    { env: { SWEEP_QUOTA_SHARE: '1' }, field: 'quotaShare', value: 1 },
    { env: { SWEEP_QUOTA_SHARE: '0.05' }, field: 'quotaShare', value: 0.05 },
    { env: { SWEEP_CONCURRENCY: '1' }, field: 'concurrency', value: 1 },
    { env: { SWEEP_CONCURRENCY: '32' }, field: 'concurrency', value: 32 },
  ] as const)('reads $field from $env', ({ env, field, value }) => {
    // Act & Assess
    expect(loadSweepConfig(env)[field]).toBe(value);
  });

  it.each([
    { SWEEP_QUOTA_SHARE: '0' },
    { SWEEP_QUOTA_SHARE: '-0.5' },
    { SWEEP_QUOTA_SHARE: '1.01' },
    { SWEEP_QUOTA_SHARE: '50%' },
    { SWEEP_QUOTA_SHARE: 'Infinity' },
    { SWEEP_CONCURRENCY: '0' },
    { SWEEP_CONCURRENCY: '33' },
    { SWEEP_CONCURRENCY: '2.5' },
  ])('refuses to start on %j, naming the variable', (env) => {
    // Act & Assess
    expect(() => loadSweepConfig(env)).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        message: expect.stringContaining(Object.keys(env)[0] ?? ''),
      })
    );
  });
});
