/**
 * The CLI's messages before any AWS call answers: usage, a missing region, a profile that gives no
 * credentials, and the flag names in validation messages. The CLI runs in this process with an
 * empty HOME (no ~/.aws) and the instance metadata service off: nothing here reaches a network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli.js';

let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'rr-cli-messages-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

/** The CLI with only `extra` besides an empty HOME and no metadata service. */
const cli = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
  runCliInProcess(args, {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });

const KEYS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } as const;

describe('usage: asked for, exit 0 with the usage; a usage error, exit 1 with one line', () => {
  it.each([[[]], [['--help']], [['help']], [['-h']], [['resume', '--help']], [['report', '-h']]])(
    '%j prints the usage and exits 0',
    async (args: string[]) => {
      // Act
      const result = await cli(args);

      // Assess
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Usage:\n {2}rotation-remediator remediate /);
    }
  );

  it.each([
    [['bogus'], /^rotation-remediator: Usage: Unknown command "bogus"/],
    [['status', '--bogus'], /^rotation-remediator: Usage: Unknown option '--bogus'/],
    [['decide'], /^rotation-remediator: Usage: decide needs exactly one of --promote/],
    [
      ['resume'],
      /^rotation-remediator: ValidationError: Invalid request: --secret-id: is required/,
    ],
  ])('%j exits 1 with one line and no usage', async (args: string[], message: RegExp) => {
    // Act
    const result = await cli(args, KEYS);

    // Assess
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/resume\.--secret-id|\w\.--/);
  });
});

describe('messages that say what to do', () => {
  it.each([
    [
      'no region: names --region',
      ['status', '--secret-id', 'app/db'],
      KEYS,
      /Region is missing\) Hint: no region: pass --region \(e\.g\. --region us-east-1\)/,
    ],
    [
      'an unknown profile: names it',
      ['status', '--secret-id', 'app/db', '--profile', 'nosuchprofile', '--region', 'us-east-1'],
      {},
      /Hint: the profile "nosuchprofile" \(--profile or AWS_PROFILE\) gave no credentials/,
    ],
  ])('%s', async (_label, args: string[], env: NodeJS.ProcessEnv, message: RegExp) => {
    // Act
    const result = await cli(args, env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
