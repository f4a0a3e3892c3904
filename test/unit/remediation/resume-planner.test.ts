import { planRequest, planResume } from '../../../src/remediation/planner.js';
import type { LabelMap, SecretState } from '../../../src/remediation/types.js';
import { Rule } from '../../../src/remediation/types.js';
import { secretState } from '../../helpers/secret-state.js';

const PREV = 'a0000000-0000-4000-8000-000000000001';
const CUR = 'b0000000-0000-4000-8000-000000000002';
const PEND = 'c0000000-0000-4000-8000-000000000003';

const clean: LabelMap = { [PREV]: ['AWSPREVIOUS'], [CUR]: ['AWSCURRENT'] };

/** A secret after a remediation: rotation cancelled, labels clean. */
const state = (overrides: Partial<SecretState> = {}): SecretState =>
  secretState({ rotationEnabled: false, versionIdsToStages: clean, ...overrides });

const resume = { pendingAction: 'auto', intent: 'resume' } as const;
const tag = { key: 'rr', value: 'on' };

describe('planResume', () => {
  it.each([
    [
      'marked for deletion',
      { deletedDate: '2026-10-01T00:00:00.000Z' },
      Rule.MarkedForDeletion,
      'refused',
    ],
    ['a replica', { primaryRegion: 'us-west-2' }, Rule.Replica, 'refused'],
    ['out of scope (REQUIRED_TAG)', { tags: {} }, Rule.OutOfScope, 'refused'],
    [
      'stuck: AWSPENDING off AWSCURRENT',
      { versionIdsToStages: { ...clean, [PEND]: ['AWSPENDING'] }, tags: { rr: 'on' } },
      Rule.ResumeWhileStuck,
      'refused',
    ],
    ['managed by RDS', { owningService: 'rds', tags: { rr: 'on' } }, Rule.ResumeManaged, 'refused'],
    // its service is the way back, stuck or not: never "remediate first", which it would refuse
    [
      'managed by RDS and stuck',
      {
        owningService: 'rds',
        versionIdsToStages: { ...clean, [PEND]: ['AWSPENDING'] },
        tags: { rr: 'on' },
      },
      Rule.ResumeManaged,
      'refused',
    ],
    [
      'no rotation function',
      { rotationLambdaArn: undefined, rotationEnabled: undefined, tags: { rr: 'on' } },
      Rule.ResumeNoFunction,
      'refused',
    ],
    [
      'already rotating',
      { rotationEnabled: true, nextRotationDate: '2026-11-01T23:59:59.000Z', tags: { rr: 'on' } },
      Rule.AlreadyRotating,
      'already-rotating',
    ],
    [
      'AWSPENDING on AWSCURRENT, rotation off',
      {
        versionIdsToStages: { [PREV]: ['AWSPREVIOUS'], [CUR]: ['AWSCURRENT', 'AWSPENDING'] },
        tags: { rr: 'on' },
      },
      Rule.Resume,
      'resumed',
    ],
    ['rotation off, clean', { tags: { rr: 'on' } }, Rule.Resume, 'resumed'],
  ] as const)('%s: %s, %s', (_case, overrides, rule, outcome) => {
    // Prepare
    const secret = state(overrides as Partial<SecretState>);
    // Act
    const plan = planResume(secret, resume, { requiredTag: tag });
    // Assess
    expect({ rule: plan.decision.rule, outcome: plan.outcome }).toEqual({ rule, outcome });
    expect(plan.actions).toEqual(
      outcome === 'resumed' ? [{ operation: 'RotateSecret', rotateImmediately: false }] : []
    );
  });

  it.each([
    [undefined, false],
    [false, false],
    [true, true],
  ] as const)(
    'rotateImmediately %s: RotateSecret with RotateImmediately=%s, rotation expected on',
    (asked, sent) => {
      // Prepare
      const secret = state();
      // Act
      const plan = planResume(secret, { ...resume, rotateImmediately: asked });
      // Assess
      expect(plan.actions).toEqual([{ operation: 'RotateSecret', rotateImmediately: sent }]);
      expect(plan.expected).toEqual({ rotationEnabled: true, versionIdsToStages: clean });
      expect(plan.decision).toMatchObject({ requested: 'resume', resolved: 'resume' });
    }
  );

  it('names the owning service’s own way to rotate', () => {
    // Prepare
    const secret = state({ owningService: 'rds' });
    // Act
    const plan = planResume(secret, resume);
    // Assess
    expect(plan.reason).toContain('ModifyDBInstance');
  });

  it.each([
    ['resume', Rule.Resume],
    ['remediate', Rule.NoPending],
    [undefined, Rule.NoPending],
  ] as const)('planRequest with intent %s takes rule %s', (intent, rule) => {
    // Prepare
    const secret = state();
    // Act
    const plan = planRequest(secret, { pendingAction: 'auto', intent });
    // Assess
    expect(plan.decision.rule).toBe(rule);
  });
});
