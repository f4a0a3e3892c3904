/**
 * A secret outside REQUIRED_TAG answers an HTTP or CLI caller exactly as a secret that does not
 * exist (issue 21, item 6): same status or exit code, same body or output, nothing about the
 * secret, so the remediator is no existence oracle. The audit trail still records the refusal.
 * Through the built dist/handler.js and dist/cli.js, against an emulator of the file's own.
 */
import { resolve } from 'node:path';
import type { SecretsManagerEmulator } from '../../emulator/secrets-manager/index.js';
import { runProcess } from '../../tools/process.js';
import { lambdaContext, loadBundle } from '../helpers/bundle.js';
import { LogCapture } from '../helpers/log-capture.js';
import { useOwnEmulator } from '../helpers/own-emulator.js';
import { loadSample } from '../helpers/samples.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator('out of scope answers as not found', 'seeds stuck and tagged secrets directly');

jest.setTimeout(60_000);

const CLI = resolve(__dirname, '../../dist/cli.js');
const REQUIRED_TAG = 'team=payments';

const own = useOwnEmulator('eu-south-2', {
  POWERTOOLS_LOG_LEVEL: 'INFO',
  // resume is on (its rotation functions listed): a missing secret answers 404, not ResumeDisabled
  ROTATION_FUNCTION_ARNS: 'arn:aws:lambda:eu-south-2:123456789012:function:rotator',
});
let emulator: SecretsManagerEmulator;
const capture = new LogCapture();

beforeAll(() => {
  emulator = own.emulator;
});

afterAll(() => capture.stop());

/** A stuck rotation (AWSPENDING on its own version) of a secret without the required tag. */
const seedOutside = (name: string) => {
  const seeded = emulator.store.seedFailedRotation({
    name,
    step: 'finishSecret',
    tags: { team: 'other' },
  });
  return { ...seeded, pendingVersionId: seeded.pendingVersionId ?? 'none' };
};

/** The body of an HTTP command naming `secretId`. */
type Body = (secretId: string) => Record<string, unknown>;

describe('HTTP: a secret outside REQUIRED_TAG answers as a missing one', () => {
  it.each<{ case: string; file: string; body: Body }>([
    {
      case: 'HTTP API dry run',
      file: 'http-api-v2-post.json',
      body: (secretId) => ({ secretId, dryRun: true }),
    },
    {
      case: 'REST API remediation',
      file: 'http-rest-post.json',
      body: (secretId) => ({ secretId, pendingAction: 'discard' }),
    },
    {
      case: 'function URL resume',
      file: 'function-url-post.json',
      body: (secretId) => ({ resume: { secretId } }),
    },
  ])('$case', async ({ file, body }) => {
    // Prepare
    const outside = seedOutside(`rr-scope/http-${file.split('.')[0]}`);
    const missing = `rr-scope/absent-${file.split('.')[0]}`;
    process.env.REQUIRED_TAG = REQUIRED_TAG;
    const { handler } = loadBundle();
    delete process.env.REQUIRED_TAG;
    const ask = (secretId: string) =>
      handler(
        { ...loadSample(file), body: JSON.stringify(body(secretId)), isBase64Encoded: false },
        lambdaContext()
      ) as Promise<{ statusCode: number; body: string }>;

    // Act
    const missingResponse = await ask(missing);
    capture.reset();
    capture.start();
    const outsideResponse = await ask(outside.name);
    capture.stop();

    // Assess
    expect(missingResponse.statusCode).toBe(404);
    expect(outsideResponse).toEqual(missingResponse);
    expect(outsideResponse.body).not.toContain(outside.pendingVersionId);
    expect(capture.auditRecords()).toContainEqual(
      expect.objectContaining({ event: 'remediation.planned', rule: 'refuse.out-of-scope' })
    );
    expect(emulator.store.describe(outside.arn).VersionIdsToStages).toMatchObject({
      [outside.pendingVersionId]: ['AWSPENDING'],
    });
  });
});

describe('CLI: a secret outside REQUIRED_TAG answers as a missing one', () => {
  it.each<{ case: string; args: (secretId: string) => string[] }>([
    { case: 'remediate --dry-run', args: (id) => ['remediate', '--secret-id', id, '--dry-run'] },
    { case: 'remediate --json', args: (id) => ['remediate', '--secret-id', id, '--json'] },
    { case: 'resume', args: (id) => ['resume', '--secret-id', id] },
  ])('$case', async ({ case: name, args }) => {
    // Prepare
    const suffix = name.replace(/[^a-z]+/g, '-');
    const outside = seedOutside(`rr-scope/cli${suffix}`);
    const missing = `rr-scope/absent${suffix}`;
    const env = { ...own.cliEnv(), REQUIRED_TAG };
    const cli = (secretId: string) =>
      runProcess(process.execPath, [CLI, ...args(secretId)], { env });

    // Act
    const missingResult = await cli(missing);
    const outsideResult = await cli(outside.name);

    // Assess
    expect(missingResult.code).toBe(1);
    expect(missingResult.stderr).toMatch(/^rotation-remediator: SecretNotFound: /);
    expect({
      code: outsideResult.code,
      stdout: outsideResult.stdout.replaceAll(outside.name, missing),
      stderr: outsideResult.stderr.replaceAll(outside.name, missing),
    }).toEqual({
      code: missingResult.code,
      stdout: missingResult.stdout,
      stderr: missingResult.stderr,
    });
  });
});
