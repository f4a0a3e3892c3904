/**
 * Resume is on only for the rotation functions the stack lists (issue 21, item 3): with
 * ROTATION_FUNCTION_ARNS empty the function refuses a resume itself, saying how to enable it,
 * before any AWS call; with it set, a secret whose rotation function is not listed is refused by
 * the planner. Through the built dist/handler.js, against an emulator of the file's own.
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import type { RemediationReport } from '../../src/remediation/types.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { useOwnEmulator } from '../helpers/own-emulator.js';
import { loadSample } from '../helpers/samples.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator('resume and ROTATION_FUNCTION_ARNS', 'counts every call the bundle makes');

const REGION = 'ap-southeast-4';
const ROTATOR = `arn:aws:lambda:${REGION}:123456789012:function:rotator`;
const OTHER = `arn:aws:lambda:${REGION}:123456789012:function:another-rotator`;

const own = useOwnEmulator(REGION);
let emulator: SecretsManagerEmulator;

beforeAll(() => {
  emulator = own.emulator;
});

beforeEach(() => emulator.store.clear());

/** A secret whose rotation a remediation cancelled: rotation off, the emulator's rotator stored. */
const cancelled = (name: string) =>
  emulator.store.seedCleanSecret({ name, rotationEnabled: false });

/** The bundle loaded with `ROTATION_FUNCTION_ARNS` set to `arns` (unset when undefined). */
const bundleWith = (arns: string | undefined) => {
  if (arns === undefined) delete process.env.ROTATION_FUNCTION_ARNS;
  else process.env.ROTATION_FUNCTION_ARNS = arns;
  const bundle = loadBundle();
  delete process.env.ROTATION_FUNCTION_ARNS;
  return bundle;
};

describe('no rotation functions configured: resume is off', () => {
  it.each([
    { case: 'unset', arns: undefined },
    { case: 'empty', arns: '' },
  ])('$case: a direct resume is refused before any AWS call', async ({ arns }) => {
    // Prepare
    const secret = cancelled('rr-resume-off/direct');
    const { handler } = bundleWith(arns);
    emulator.resetCalls();

    // Act
    const outcome = handler({ resume: { secretId: secret.arn } }, lambdaContext());

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'ResumeDisabled',
      message: expect.stringContaining('deploy the stack with RotationFunctionArns'),
    });
    expect(emulator.calls).toEqual([]);
    expect(emulator.store.describe(secret.arn).RotationEnabled).toBe(false);
  });

  it('an HTTP resume answers 403 ResumeDisabled, saying how to enable it', async () => {
    // Prepare
    const secret = cancelled('rr-resume-off/http');
    const { handler } = bundleWith(undefined);
    emulator.resetCalls();

    // Act
    const response = (await handler(
      {
        ...loadSample('http-api-v2-post.json'),
        body: JSON.stringify({ resume: { secretId: secret.arn } }),
      },
      lambdaContext()
    )) as { statusCode: number; body: string };

    // Assess
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'ResumeDisabled',
        message: expect.stringContaining('ROTATION_FUNCTION_ARNS is empty'),
      },
    });
    expect(emulator.calls).toEqual([]);
  });

  it('a remediation still runs', async () => {
    // Prepare
    const seeded = emulator.store.seedFailedRotation({
      name: 'rr-resume-off/fix',
      step: 'createSecret',
    });
    const { handler } = bundleWith(undefined);

    // Act
    const report = (await handler(
      { secretId: seeded.arn, dryRun: true },
      lambdaContext()
    )) as RemediationReport;

    // Assess
    expect(report.status).toBe('planned');
  });
});

describe('rotation functions configured', () => {
  it.each([
    {
      case: 'not listed: refused by the planner',
      arns: OTHER,
      status: 'refused',
      rule: 'refuse.resume-function-not-allowed',
      rotation: false,
    },
    {
      case: 'listed: resumed',
      arns: `${OTHER}, ${ROTATOR}`,
      status: 'resumed',
      rule: 'resume.rotate-secret',
      rotation: true,
    },
  ])('$case', async ({ arns, status, rule, rotation }) => {
    // Prepare
    const secret = cancelled(`rr-resume-on/${status}`);
    const { handler } = bundleWith(arns);
    emulator.resetCalls();

    // Act
    const report = (await handler(
      { resume: { secretId: secret.arn } },
      lambdaContext()
    )) as RemediationReport;

    // Assess
    expect(report).toMatchObject({ status, decision: { rule } });
    expect(emulator.store.describe(secret.arn).RotationEnabled).toBe(rotation);
    if (!rotation) {
      expect(report.reason).toContain(ROTATOR);
      expect(emulator.calls.map((call) => call.operation)).toEqual(['DescribeSecret']);
    }
  });
});
