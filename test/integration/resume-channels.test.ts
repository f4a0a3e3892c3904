/**
 * The resume command through its other channels and its scope: the HTTP body, the CLI's `resume`,
 * and a secret outside REQUIRED_TAG. Its own emulator: the emulator runs RotateSecret with
 * RotateImmediately=false as AWS documents it (moto 5.2 does not; resume.test.ts says so too).
 */
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import type { RemediationReport } from '../../src/remediation/types.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { runCliInProcess } from '../helpers/cli.js';
import { useOwnEmulator } from '../helpers/own-emulator.js';
import { loadSample } from '../helpers/samples.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator(
  'resume through HTTP, the CLI, and its scope',
  'moto 5.2 clears the rotation function on RotateSecret with RotateImmediately=false'
);

const own = useOwnEmulator('il-central-1', {
  ROTATION_FUNCTION_ARNS: 'arn:aws:lambda:il-central-1:123456789012:function:rotator',
});
let emulator: SecretsManagerEmulator;

beforeAll(() => {
  emulator = own.emulator;
});

beforeEach(() => emulator.store.clear());

/** A secret whose rotation a remediation cancelled (rotation off, a function stored). */
const cancelled = (name: string, tags: Record<string, string> = {}) =>
  emulator.store.seedCleanSecret({ name, rotationEnabled: false, tags });

const rotationOf = (arn: string) => emulator.store.describe(arn).RotationEnabled;

describe('resume through its channels', () => {
  it('the HTTP body {"resume": {...}} resumes, answering 200 with the report', async () => {
    // Prepare
    const secret = cancelled('rr-resume/http');
    const event = loadSample('http-api-v2-post.json');
    const { handler } = loadBundle();

    // Act
    const response = (await handler(
      { ...event, body: JSON.stringify({ resume: { secretId: secret.arn, reason: 'INC-15' } }) },
      lambdaContext()
    )) as { statusCode: number; body: string };

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 'resumed',
      decision: { rule: 'resume.rotate-secret' },
    });
    expect(rotationOf(secret.arn)).toBe(true);
  });

  it("the CLI's resume resumes, exit 0, and --dry-run changes nothing", async () => {
    // Prepare
    const secret = cancelled('rr-resume/cli');
    const env = own.cliEnv();
    const cli = (args: string[]) => runCliInProcess(args, env);

    // Act
    const dry = await cli(['resume', '--secret-id', secret.arn, '--dry-run', '--json']);
    const rotationAfterDryRun = rotationOf(secret.arn);
    const real = await cli(['resume', '--secret-id', secret.arn, '--json']);

    // Assess
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'planned', dryRun: true });
    expect(rotationAfterDryRun).toBe(false);
    expect(real.code).toBe(0);
    expect((JSON.parse(real.stdout) as RemediationReport).status).toBe('resumed');
    expect(rotationOf(secret.arn)).toBe(true);
  });
});

describe('resume and REQUIRED_TAG', () => {
  it.each<{ case: string; tags: Record<string, string>; status: string; rotation: boolean }>([
    {
      case: 'outside the scope: refused, nothing written',
      tags: {},
      status: 'refused',
      rotation: false,
    },
    {
      case: 'inside the scope: resumed',
      tags: { team: 'payments' },
      status: 'resumed',
      rotation: true,
    },
  ])('$case', async ({ tags, status, rotation }) => {
    // Prepare
    const secret = cancelled(`rr-resume/scope-${status}`, tags);
    process.env.REQUIRED_TAG = 'team=payments';
    const { handler } = loadBundle();
    delete process.env.REQUIRED_TAG;
    emulator.resetCalls();

    // Act
    const report = (await handler(
      { resume: { secretId: secret.arn } },
      lambdaContext()
    )) as RemediationReport;

    // Assess
    expect(report.status).toBe(status);
    if (status === 'refused') {
      expect(report.decision.rule).toBe('refuse.out-of-scope');
      expect(emulator.calls.map((call) => call.operation)).toEqual(['DescribeSecret']);
    }
    expect(rotationOf(secret.arn)).toBe(rotation);
  });
});
