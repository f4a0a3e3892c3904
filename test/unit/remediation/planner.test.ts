import { applyActionToLabels, planRemediation } from '../../../src/remediation/planner.js';
import type {
  LabelMap,
  PendingAction,
  PlannedAction,
  RotationStep,
  SecretState,
} from '../../../src/remediation/types.js';
import { Rule } from '../../../src/remediation/types.js';

const PREV = 'a0000000-0000-4000-8000-000000000001';
const CUR = 'b0000000-0000-4000-8000-000000000002';
const PEND = 'c0000000-0000-4000-8000-000000000003';
const OTHER = 'd0000000-0000-4000-8000-000000000004';

const stuckLabels: LabelMap = {
  [PREV]: ['AWSPREVIOUS'],
  [CUR]: ['AWSCURRENT'],
  [PEND]: ['AWSPENDING'],
};

const state = (overrides: Partial<SecretState> = {}): SecretState => ({
  arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf',
  name: 'app/db',
  rotationEnabled: true,
  rotationLambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotator',
  lastRotatedDate: '2026-10-01T00:00:00.000Z',
  nextRotationDate: '2026-11-01T00:00:00.000Z',
  deletedDate: undefined,
  owningService: undefined,
  primaryRegion: undefined,
  tags: {},
  versionIdsToStages: stuckLabels,
  ...overrides,
});

const request = (
  pendingAction: PendingAction = 'auto',
  failedStep?: RotationStep,
  expectedPendingVersionId?: string
) => ({
  pendingAction,
  ...(failedStep === undefined ? {} : { failedStep }),
  ...(expectedPendingVersionId === undefined ? {} : { expectedPendingVersionId }),
});

const cancel: PlannedAction = { operation: 'CancelRotateSecret' };
const discardPending: PlannedAction = {
  operation: 'UpdateSecretVersionStage',
  versionStage: 'AWSPENDING',
  removeFrom: PEND,
};
const promoteCurrent: PlannedAction = {
  operation: 'UpdateSecretVersionStage',
  versionStage: 'AWSCURRENT',
  moveTo: PEND,
  removeFrom: CUR,
};
const discarded: LabelMap = { [PREV]: ['AWSPREVIOUS'], [CUR]: ['AWSCURRENT'] };
const promoted: LabelMap = { [CUR]: ['AWSPREVIOUS'], [PEND]: ['AWSCURRENT'] };

describe('planRemediation: pending action × failed step', () => {
  it.each<{
    pendingAction: PendingAction;
    failedStep: RotationStep | undefined;
    outcome: string;
    resolved: string;
    rule: string;
    actions: PlannedAction[];
    labels: LabelMap;
  }>([
    // auto follows the step table of the reference
    {
      pendingAction: 'auto',
      failedStep: 'createSecret',
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.AutoDiscard,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    {
      pendingAction: 'auto',
      failedStep: 'setSecret',
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.AutoDiscard,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    {
      pendingAction: 'auto',
      failedStep: 'testSecret',
      outcome: 'needs-decision',
      resolved: 'hold',
      rule: Rule.AutoTestHold,
      actions: [cancel],
      labels: stuckLabels,
    },
    {
      pendingAction: 'auto',
      failedStep: 'finishSecret',
      outcome: 'remediated',
      resolved: 'promote',
      rule: Rule.AutoFinishPromote,
      actions: [cancel, promoteCurrent, discardPending],
      labels: promoted,
    },
    {
      pendingAction: 'auto',
      failedStep: undefined,
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.AutoDiscard,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    // an explicit discard wins over the step
    {
      pendingAction: 'discard',
      failedStep: 'createSecret',
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.DiscardRequested,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    {
      pendingAction: 'discard',
      failedStep: 'setSecret',
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.DiscardRequested,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    {
      pendingAction: 'discard',
      failedStep: 'testSecret',
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.DiscardRequested,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    {
      pendingAction: 'discard',
      failedStep: 'finishSecret',
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.DiscardRequested,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    {
      pendingAction: 'discard',
      failedStep: undefined,
      outcome: 'remediated',
      resolved: 'discard',
      rule: Rule.DiscardRequested,
      actions: [cancel, discardPending],
      labels: discarded,
    },
    // an explicit promote wins too, except where the pending version may hold no value
    {
      pendingAction: 'promote',
      failedStep: 'createSecret',
      outcome: 'refused',
      resolved: 'none',
      rule: Rule.PromoteUnsafeAfterCreate,
      actions: [],
      labels: stuckLabels,
    },
    {
      pendingAction: 'promote',
      failedStep: 'setSecret',
      outcome: 'remediated',
      resolved: 'promote',
      rule: Rule.PromoteRequested,
      actions: [cancel, promoteCurrent, discardPending],
      labels: promoted,
    },
    {
      pendingAction: 'promote',
      failedStep: 'testSecret',
      outcome: 'remediated',
      resolved: 'promote',
      rule: Rule.PromoteRequested,
      actions: [cancel, promoteCurrent, discardPending],
      labels: promoted,
    },
    {
      pendingAction: 'promote',
      failedStep: 'finishSecret',
      outcome: 'remediated',
      resolved: 'promote',
      rule: Rule.PromoteRequested,
      actions: [cancel, promoteCurrent, discardPending],
      labels: promoted,
    },
    {
      pendingAction: 'promote',
      failedStep: undefined,
      outcome: 'remediated',
      resolved: 'promote',
      rule: Rule.PromoteRequested,
      actions: [cancel, promoteCurrent, discardPending],
      labels: promoted,
    },
  ])(
    '$pendingAction after $failedStep → $resolved ($rule)',
    ({ pendingAction, failedStep, outcome, resolved, rule, actions, labels }) => {
      // Prepare
      const stuck = state();

      // Act
      const plan = planRemediation(stuck, request(pendingAction, failedStep));

      // Assess
      expect(plan.outcome).toBe(outcome);
      expect(plan.decision).toEqual({
        requested: pendingAction,
        resolved,
        rule,
        failedStep: failedStep ?? null,
        failedStepSource: failedStep === undefined ? 'unknown' : 'event',
      });
      expect(plan.needsFailedStep).toBe(failedStep === undefined && pendingAction !== 'discard');
      expect(plan.actions).toEqual(actions);
      expect(plan.expected.versionIdsToStages).toEqual(labels);
      expect(plan.expected.rotationEnabled).toBe(actions.length === 0);
      expect(plan.pendingVersionId).toBe(PEND);
      expect(plan.currentVersionId).toBe(CUR);
    }
  );
});

describe('planRemediation: after a failed test rotation', () => {
  it.each<{
    case: string;
    secret: Partial<SecretState>;
    rule: string | undefined;
    actions: PlannedAction[];
  }>([
    {
      case: 'its AWSPENDING left behind',
      secret: {},
      rule: Rule.TestRotationFailedDiscard,
      actions: [cancel, discardPending],
    },
    {
      case: 'no AWSPENDING left, rotation on',
      secret: { versionIdsToStages: { [CUR]: ['AWSCURRENT'] } },
      rule: Rule.TestRotationFailedCancel,
      actions: [cancel],
    },
    {
      case: 'nothing left to do',
      secret: { versionIdsToStages: { [CUR]: ['AWSCURRENT'] }, rotationEnabled: false },
      rule: Rule.NoPending,
      actions: [],
    },
    {
      case: 'a secret marked for deletion',
      secret: { deletedDate: '2026-01-01' },
      rule: Rule.MarkedForDeletion,
      actions: [],
    },
  ])('$case → $rule', ({ secret, rule, actions }) => {
    // Act
    const plan = planRemediation(state(secret), {
      ...request('discard', 'testSecret'),
      testRotationFailed: true,
    });

    // Assess
    expect(plan.decision.rule).toBe(rule);
    expect(plan.actions).toEqual(actions);
  });
});

describe('planRemediation: the failed step and where it came from', () => {
  it.each<{ source: 'history' | 'event' | undefined; expected: string }>([
    { source: 'history', expected: 'history' },
    { source: 'event', expected: 'event' },
    { source: undefined, expected: 'event' },
  ])('a step from $source is reported as from $expected', ({ source, expected }) => {
    // Act
    const plan = planRemediation(state(), {
      ...request('auto', 'testSecret'),
      failedStepSource: source,
    });

    // Assess
    expect(plan.decision.failedStepSource).toBe(expected);
    expect(plan.needsFailedStep).toBe(false);
  });

  it.each<{ case: string; secret: Partial<SecretState>; pendingAction: PendingAction }>([
    {
      case: 'a secret marked for deletion',
      secret: { deletedDate: '2026-01-01' },
      pendingAction: 'auto',
    },
    {
      case: 'a clean secret',
      secret: { versionIdsToStages: { [CUR]: ['AWSCURRENT'] } },
      pendingAction: 'auto',
    },
    { case: 'a managed secret', secret: { owningService: 'rds' }, pendingAction: 'auto' },
    { case: 'an explicit discard', secret: {}, pendingAction: 'discard' },
  ])('$case needs no failed step', ({ secret, pendingAction }) => {
    // Act
    const plan = planRemediation(state(secret), request(pendingAction));

    // Assess
    expect(plan.needsFailedStep).toBe(false);
    expect(plan.decision.failedStepSource).toBe('unknown');
  });
});

describe('planRemediation: refusals make no call', () => {
  it.each<{
    name: string;
    secret: Partial<SecretState>;
    options?: Parameters<typeof planRemediation>[2];
    expected?: string;
    rule: string;
    mentions: string;
  }>([
    {
      name: 'marked for deletion',
      secret: { deletedDate: '2026-11-20T00:00:00.000Z' },
      rule: Rule.MarkedForDeletion,
      mentions: 'marked for deletion',
    },
    {
      name: 'replica',
      secret: { primaryRegion: 'eu-west-1' },
      rule: Rule.Replica,
      mentions: 'eu-west-1',
    },
    {
      name: 'no tags, tag required',
      secret: {},
      options: { requiredTag: { key: 'remediate', value: 'yes' } },
      rule: Rule.OutOfScope,
      mentions: 'remediate=yes',
    },
    {
      name: 'tag with another value',
      secret: { tags: { remediate: 'no' } },
      options: { requiredTag: { key: 'remediate', value: 'yes' } },
      rule: Rule.OutOfScope,
      mentions: 'remediate=yes',
    },
    {
      name: 'expected pending version differs',
      secret: {},
      expected: OTHER,
      rule: Rule.PendingVersionMismatch,
      mentions: OTHER,
    },
    {
      name: 'pending moved since the first plan',
      secret: {},
      options: { pinned: { pendingVersionId: OTHER, currentVersionId: CUR } },
      rule: Rule.PendingChanged,
      mentions: OTHER,
    },
    {
      name: 'current moved since the first plan',
      secret: {},
      options: { pinned: { pendingVersionId: PEND, currentVersionId: OTHER } },
      rule: Rule.CurrentChanged,
      mentions: OTHER,
    },
    {
      name: 'deletion wins over a stuck managed secret',
      secret: { deletedDate: '2026-11-20T00:00:00.000Z', owningService: 'rds' },
      rule: Rule.MarkedForDeletion,
      mentions: 'restore',
    },
  ])('$name → refused ($rule)', ({ secret, options, expected, rule, mentions }) => {
    // Prepare
    const input = state(secret);

    // Act
    const plan = planRemediation(input, request('auto', 'setSecret', expected), options);

    // Assess
    expect(plan.outcome).toBe('refused');
    expect(plan.decision.rule).toBe(rule);
    expect(plan.decision.resolved).toBe('none');
    expect(plan.actions).toEqual([]);
    expect(plan.expected.versionIdsToStages).toEqual(input.versionIdsToStages);
    expect(plan.reason).toContain(mentions);
  });

  it('accepts a secret that carries the required tag', () => {
    // Prepare
    const tagged = state({ tags: { remediate: 'yes', team: 'db' } });

    // Act
    const plan = planRemediation(tagged, request('auto', 'setSecret'), {
      requiredTag: { key: 'remediate', value: 'yes' },
    });

    // Assess
    expect(plan.outcome).toBe('remediated');
    expect(plan.actions).toEqual([cancel, discardPending]);
  });

  it('accepts the expected pending version when it matches', () => {
    // Act
    const plan = planRemediation(state(), request('discard', undefined, PEND));

    // Assess
    expect(plan.outcome).toBe('remediated');
    expect(plan.decision.rule).toBe(Rule.DiscardRequested);
  });
});

describe('planRemediation: clean and legal states', () => {
  it.each<{ name: string; labels: LabelMap; rotationEnabled: boolean | undefined; rule: string }>([
    {
      name: 'no AWSPENDING, rotation on',
      labels: { [CUR]: ['AWSCURRENT'] },
      rotationEnabled: true,
      rule: Rule.NoPending,
    },
    {
      name: 'no AWSPENDING, rotation off',
      labels: { [CUR]: ['AWSCURRENT'], [PREV]: ['AWSPREVIOUS'] },
      rotationEnabled: false,
      rule: Rule.NoPending,
    },
    {
      name: 'no AWSPENDING, rotation never configured',
      labels: { [CUR]: ['AWSCURRENT'] },
      rotationEnabled: undefined,
      rule: Rule.NoPending,
    },
    {
      name: 'AWSPENDING on AWSCURRENT (legal after success)',
      labels: { [CUR]: ['AWSCURRENT', 'AWSPENDING'], [PREV]: ['AWSPREVIOUS'] },
      rotationEnabled: true,
      rule: Rule.PendingOnCurrent,
    },
  ])('$name → already-clean, no call', ({ labels, rotationEnabled, rule }) => {
    // Prepare
    const clean = state({ versionIdsToStages: labels, rotationEnabled });

    // Act
    const plans = (['auto', 'discard', 'promote'] as const).map((action) =>
      planRemediation(clean, request(action, 'finishSecret', PEND))
    );

    // Assess
    for (const plan of plans) {
      expect(plan.outcome).toBe('already-clean');
      expect(plan.decision.rule).toBe(rule);
      expect(plan.actions).toEqual([]);
      expect(plan.expected).toEqual({ rotationEnabled, versionIdsToStages: labels });
    }
  });
});

describe('planRemediation: rotation state decides the cancel', () => {
  it.each<{ rotationEnabled: boolean | undefined; cancels: boolean }>([
    { rotationEnabled: true, cancels: true },
    { rotationEnabled: false, cancels: false },
    { rotationEnabled: undefined, cancels: false },
  ])('RotationEnabled=$rotationEnabled → cancel: $cancels', ({ rotationEnabled, cancels }) => {
    // Act
    const plan = planRemediation(state({ rotationEnabled }), request('auto', 'setSecret'));

    // Assess
    expect(plan.actions[0]?.operation === 'CancelRotateSecret').toBe(cancels);
    expect(plan.actions.at(-1)).toEqual(discardPending);
    expect(plan.expected.rotationEnabled).toBe(cancels ? false : rotationEnabled);
  });

  it.each<{ rotationEnabled: boolean | undefined; actions: PlannedAction[] }>([
    { rotationEnabled: true, actions: [cancel] },
    { rotationEnabled: false, actions: [] },
  ])('testSecret hold with RotationEnabled=$rotationEnabled', ({ rotationEnabled, actions }) => {
    // Act
    const plan = planRemediation(state({ rotationEnabled }), request('auto', 'testSecret'));

    // Assess
    expect(plan.outcome).toBe('needs-decision');
    expect(plan.actions).toEqual(actions);
    expect(plan.reason).toContain('testSecret');
    expect(plan.reason).toContain('promote');
    expect(plan.reason).toContain('discard');
  });
});

describe('planRemediation: service-managed secrets', () => {
  it.each<{ pendingAction: PendingAction; rotationEnabled: boolean; actions: PlannedAction[] }>([
    { pendingAction: 'auto', rotationEnabled: true, actions: [cancel] },
    { pendingAction: 'discard', rotationEnabled: true, actions: [cancel] },
    { pendingAction: 'promote', rotationEnabled: true, actions: [cancel] },
    { pendingAction: 'auto', rotationEnabled: false, actions: [] },
  ])(
    '$pendingAction with rotation $rotationEnabled → cancel only, labels kept',
    ({ pendingAction, rotationEnabled, actions }) => {
      // Prepare
      const managed = state({ name: 'rds!db-1234', owningService: 'rds', rotationEnabled });

      // Act
      const plan = planRemediation(managed, request(pendingAction, 'finishSecret'));

      // Assess
      expect(plan.outcome).toBe('needs-decision');
      expect(plan.decision.rule).toBe(Rule.ManagedCancelOnly);
      expect(plan.actions).toEqual(actions);
      expect(plan.expected.versionIdsToStages).toEqual(stuckLabels);
      expect(plan.reason).toContain('rds');
    }
  );
});

describe('planRemediation: after Secrets Manager refused the cancel', () => {
  it.each<{ case: string; overrides: Partial<SecretState>; reasonHas: string }>([
    {
      case: 'a managed secret',
      overrides: { owningService: 'rds' },
      reasonHas: 'use that service',
    },
    { case: 'an unmanaged secret', overrides: {}, reasonHas: 'InvalidRequestException' },
  ])('refuses $case with its own rule and no action', ({ overrides, reasonHas }) => {
    // Prepare
    const unchanged = state({ rotationEnabled: true, ...overrides });

    // Act
    const plan = planRemediation(unchanged, request('auto', 'setSecret'), {
      pinned: { pendingVersionId: PEND, currentVersionId: CUR },
      cancelRefusedWith: 'InvalidRequestException',
    });

    // Assess
    expect(plan.outcome).toBe('refused');
    expect(plan.decision.rule).toBe(Rule.CancelRefused);
    expect(plan.actions).toEqual([]);
    expect(plan.expected).toEqual({ rotationEnabled: true, versionIdsToStages: stuckLabels });
    expect(plan.reason).toContain(reasonHas);
  });

  it('plans normally when rotation is off by then (nothing left to cancel)', () => {
    // Act
    const plan = planRemediation(state({ rotationEnabled: false }), request('discard'), {
      cancelRefusedWith: 'InvalidRequestException',
    });

    // Assess
    expect(plan.decision.rule).toBe(Rule.DiscardRequested);
    expect(plan.actions).toEqual([discardPending]);
  });
});

describe('planRemediation: label bookkeeping', () => {
  it('keeps custom labels and moves AWSPREVIOUS on promote', () => {
    // Prepare
    const labels: LabelMap = {
      [PREV]: ['AWSPREVIOUS', 'blue'],
      [CUR]: ['AWSCURRENT', 'green'],
      [PEND]: ['AWSPENDING'],
    };

    // Act
    const plan = planRemediation(state({ versionIdsToStages: labels }), request('promote'));

    // Assess
    expect(plan.expected.versionIdsToStages).toEqual({
      [PREV]: ['blue'],
      [CUR]: ['green', 'AWSPREVIOUS'],
      [PEND]: ['AWSCURRENT'],
    });
  });

  it('promotes without RemoveFromVersionId when no version is AWSCURRENT', () => {
    // Act
    const plan = planRemediation(
      state({ versionIdsToStages: { [PEND]: ['AWSPENDING'] } }),
      request('promote', 'finishSecret')
    );

    // Assess
    expect(plan.actions[1]).toEqual({
      operation: 'UpdateSecretVersionStage',
      versionStage: 'AWSCURRENT',
      moveTo: PEND,
    });
    expect(plan.expected.versionIdsToStages).toEqual({ [PEND]: ['AWSCURRENT'] });
  });

  it.each<{ name: string; before: LabelMap; action: PlannedAction; after: LabelMap }>([
    { name: 'cancel leaves labels', before: stuckLabels, action: cancel, after: stuckLabels },
    {
      name: 'remove AWSPENDING drops the unlabelled version',
      before: stuckLabels,
      action: discardPending,
      after: discarded,
    },
    {
      name: 'move AWSCURRENT moves AWSPREVIOUS',
      before: stuckLabels,
      action: promoteCurrent,
      after: { [CUR]: ['AWSPREVIOUS'], [PEND]: ['AWSPENDING', 'AWSCURRENT'] },
    },
  ])('applyActionToLabels: $name', ({ before, action, after }) => {
    // Act
    const result = applyActionToLabels(before, action);

    // Assess
    expect(result).toEqual(after);
    expect(before).toEqual(stuckLabels);
  });

  it('is pure: the same input gives the same plan and the state is not mutated', () => {
    // Prepare
    const input = state();
    const snapshot = structuredClone(input);

    // Act
    const first = planRemediation(input, request('auto', 'finishSecret'));
    const second = planRemediation(input, request('auto', 'finishSecret'));

    // Assess
    expect(second).toEqual(first);
    expect(input).toEqual(snapshot);
  });
});
