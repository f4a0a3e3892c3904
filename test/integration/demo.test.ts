/**
 * `npm run demo` is `npm run build && node dist/demo.js`: this runs the second half (npm test has
 * built) and checks that the demo is a working smoke test: every case passes and it exits 0. That a
 * wrong end state makes it exit 1 is unit-tested with its check (`test/unit/demo/check.test.ts`).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProcessResult } from '../../tools/process.js';
import { runProcess, waitForLine } from '../../tools/process.js';
import { noteOwnEmulator } from '../helpers/secrets-manager-target.js';

noteOwnEmulator('npm run demo', 'the demo starts its own local AWS by design');

// Each test spawns Node processes: allow for a loaded CI machine (jest's default is 5 s; the
// integration project's `testTimeout` is not applied per project).
jest.setTimeout(60_000);

const DEMO = resolve(__dirname, '../../dist/demo.js');

const runDemo = (): Promise<ProcessResult> =>
  runProcess(process.execPath, [DEMO], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });

let demo: ProcessResult;

beforeAll(async () => {
  if (!existsSync(DEMO)) throw new Error('dist/demo.js is missing: run `npm run build` first.');
  demo = await runDemo();
});

describe('npm run demo', () => {
  it('exits 0 with every end state as expected, and nothing on stderr', () => {
    // Assess
    expect({ code: demo.code, stderr: demo.stderr }).toEqual({ code: 0, stderr: '' });
    expect(demo.stdout).toContain('16 cases: every end state as expected');
    expect(demo.stdout.match(/^ {3}check {5}ok: /gm)).toHaveLength(16);
    expect(demo.stdout).not.toContain('WRONG END STATE');
  });

  it.each([
    ['1. CloudWatch alarm', 'remediated · rule auto.discard · action auto → discard'],
    [
      '2. RotationFailed at createSecret',
      'remediated · rule auto.discard · action auto → discard · failed step createSecret',
    ],
    [
      '3. RotationFailed at setSecret',
      'remediated · rule auto.discard · action auto → discard · failed step setSecret',
    ],
    [
      '4. RotationFailed at testSecret',
      'needs-decision · rule auto.testSecret.hold · action auto → hold · failed step testSecret',
    ],
    [
      '5. RotationFailed at finishSecret',
      'remediated · rule auto.finishSecret.promote · action auto → promote · failed step finishSecret',
    ],
    [
      '6. HTTP call',
      'remediated · rule auto.discard · action auto → discard · failed step setSecret (history-exact) · HTTP 200',
    ],
    ['7. Direct command, dry run', 'planned · rule auto.discard'],
    ['8. Direct command, the real run', 'remediated · rule auto.discard'],
    ['9. Duplicate', 'already-clean · rule clean.no-pending'],
    ['10. A clean secret', 'already-clean · rule clean.pending-on-current'],
    ['11. A secret marked for deletion', 'refused · rule refuse.marked-for-deletion'],
    ['12. A secret managed by a service', 'refused · rule refuse.cancel-refused'],
    [
      '13. CloudWatch alarm for a rotation stuck at testSecret',
      'needs-decision · rule auto.testSecret.hold · action auto → hold · failed step testSecret (history-exact)',
    ],
    ['14. A rotation still in flight', 'deferred · rule defer.in-flight · action auto → none'],
    ['15. A stale event', 'stale · rule stale.event-older-than-pending · action auto → none'],
  ])('case %s prints its decision', (title, decision) => {
    // Prepare
    const block = demo.stdout.split('━━ ').find((part) => part.startsWith(title)) ?? '';

    // Assess
    expect(block).toContain(`   decision  ${decision}`);
    expect(block).toMatch(/^ {3}labels {4}version +before +after$/m);
    expect(block).toMatch(/^ {3}audit {5}remediation\.requested /m);
    expect(block).toMatch(/remediation\.completed +status=/);
  });

  it.each([
    [
      '14. A rotation still in flight',
      /evidence {2}.*no failure record · pending version \d+ s old/,
    ],
    ['15. A stale event', /evidence {2}.*event stale-older/],
  ])('case %s writes nothing and says why', (title, evidence) => {
    // Prepare
    const block = demo.stdout.split('━━ ').find((part) => part.startsWith(title)) ?? '';

    // Assess
    expect(block).toMatch(evidence);
    expect(block).not.toMatch(/secretsmanager\.call/);
    expect(block).toMatch(/[0-9a-f]{8} +AWSPENDING +AWSPENDING/);
  });

  it('shows the promotion in the label table and each call in the audit trail', () => {
    // Prepare
    const block = demo.stdout.split('━━ ').find((part) => part.startsWith('5. ')) ?? '';

    // Assess
    expect(block).toMatch(/[0-9a-f]{8} +AWSPENDING +→ +AWSCURRENT/);
    expect(block).toMatch(/[0-9a-f]{8} +AWSCURRENT +→ +AWSPREVIOUS/);
    expect(block).toMatch(/[0-9a-f]{8} +AWSPREVIOUS +→ +-/);
    expect(block.match(/secretsmanager\.call +\w+/g)).toEqual([
      'secretsmanager.call    CancelRotateSecret',
      'secretsmanager.call    UpdateSecretVersionStage',
      'secretsmanager.call    UpdateSecretVersionStage',
    ]);
  });

  it('says whether the duplicate was a replay', () => {
    // Assess
    expect(demo.stdout).toContain(
      'not a replay: the first run left nothing stuck, so there was nothing to repeat'
    );
  });

  it('on Ctrl-C stops the emulators and exits 130', async () => {
    // Prepare
    let child: ChildProcess | undefined;
    const finished = runProcess(process.execPath, [DEMO], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      onSpawn: (spawned) => {
        child = spawned;
      },
    });
    if (child === undefined) throw new Error('not spawned');
    await waitForLine(child, /^Secrets Manager emulator /);

    // Act
    child.kill('SIGINT');
    const result = await finished;

    // Assess
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('SIGINT: stopping the emulators');
    expect(result.stdout).not.toContain('cases: every end state as expected');
  });
});

describe('npm run demo, back to rotating', () => {
  it('resumes the decided testSecret secret and prints the report before and after', () => {
    // Prepare
    const block = demo.stdout.slice(demo.stdout.indexOf('━━ Back to rotating'));

    // Assess
    expect(block).toMatch(
      /^ {3}report {4}before {2}stuck \d+ · managed \d+ · overdue \d+ · off \d+ · never-rotated \d+ · rotating \d+$/m
    );
    expect(block).toContain('   resume    resumed · rule resume.rotate-secret');
    expect(block).toMatch(/^ {3}report {4}after {3}stuck \d+ /m);
    expect(block).toContain('   check     ok: resumed, off → ');
  });
});
