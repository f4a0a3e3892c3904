import type { PlannedRequest, PlanOptions } from '../../../src/remediation/plan-context.js';
import { applyActionToLabels, planRemediation } from '../../../src/remediation/planner.js';
import type {
  Evidence,
  LabelMap,
  PendingAction,
  PlannedAction,
  RotationStep,
  SecretState,
} from '../../../src/remediation/types.js';
import { Rule } from '../../../src/remediation/types.js';
import { assessedEvidence, secretState } from '../../helpers/secret-state.js';

const PREV = 'a0000000-0000-4000-8000-000000000001';
const CUR = 'b0000000-0000-4000-8000-000000000002';
const PEND = 'c0000000-0000-4000-8000-000000000003';
const OTHER = 'd0000000-0000-4000-8000-000000000004';

const stuckLabels: LabelMap = {
  [PREV]: ['AWSPREVIOUS'],
  [CUR]: ['AWSCURRENT'],
  [PEND]: ['AWSPENDING'],
};

const state = (overrides: Partial<SecretState> = {}): SecretState =>
  secretState({
    lastRotatedDate: '2026-10-01T00:00:00.000Z',
    nextRotationDate: '2026-11-01T00:00:00.000Z',
    versionIdsToStages: stuckLabels,
    ...overrides,
  });

/**
 * A request, and the step the evidence ties to the pending version (a record of the history, two
 * hours after the version's creation). A promote is pinned by a person unless `expected` says
 * otherwise: an unpinned promote is refused (its own tests below).
 */
const request = (
  pendingAction: PendingAction = 'auto',
  failedStep?: RotationStep,
  expectedPendingVersionId: string | undefined = pendingAction === 'promote' ? PEND : undefined
): PlannedRequest & { step?: RotationStep } => ({
  pendingAction,
  ...(failedStep === undefined ? {} : { step: failedStep }),
  ...(expectedPendingVersionId === undefined ? {} : { expectedPendingVersionId }),
  ...(expectedPendingVersionId !== undefined && pendingAction !== 'auto'
    ? { humanDecision: true }
    : {}),
});

/** Evidence: a complete look-up, a 2-hour-old pending version, a record when a step is named. */
const evidence = (step: RotationStep | undefined, overrides: Partial<Evidence> = {}) =>
  assessedEvidence(PEND, step, overrides);

/** Plans with the evidence of the request's step, unless the options bring their own. */
const planOf = (
  input: SecretState,
  { step, ...planned }: ReturnType<typeof request>,
  options: PlanOptions = {}
) => planRemediation(input, planned, { assessed: evidence(step), ...options });

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
      outcome: 'needs-decision',
      resolved: 'hold',
      rule: Rule.AutoUnknownHold,
      actions: [cancel],
      labels: stuckLabels,
    },
    // a discard no person pinned never drops a version the database may use
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
      outcome: 'needs-decision',
      resolved: 'hold',
      rule: Rule.HoldDiscardUnsafe,
      actions: [cancel],
      labels: stuckLabels,
    },
    {
      pendingAction: 'discard',
      failedStep: 'finishSecret',
      outcome: 'needs-decision',
      resolved: 'hold',
      rule: Rule.HoldDiscardUnsafe,
      actions: [cancel],
      labels: stuckLabels,
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
    // a promote pinned by a person wins, except where the pending version may hold no value
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
      const result = planOf(stuck, request(pendingAction, failedStep));

      // Assess
      expect(result.outcome).toBe(outcome);
      expect(result.decision).toEqual({
        requested: pendingAction,
        resolved,
        rule,
        failedStep: failedStep ?? null,
        evidence: evidence(failedStep).evidence,
      });
      expect(result.needsEvidence).toBe(false);
      expect(result.actions).toEqual(actions);
      expect(result.expected.versionIdsToStages).toEqual(labels);
      expect(result.expected.rotationEnabled).toBe(actions.length === 0);
      expect(result.pendingVersionId).toBe(PEND);
      expect(result.currentVersionId).toBe(CUR);
    }
  );
});

describe('planRemediation: after a failed test rotation', () => {
  const NOW = new Date('2026-11-30T03:00:00.000Z');
  const testEvent = (time: string) => ({
    ...request('discard'),
    testRotationFailed: true,
    failedStep: 'testSecret' as const,
    failureEvent: { eventName: 'TestRotationFailed', time, id: 'ev-1', requestId: undefined },
  });
  const tied = evidence('testSecret', {
    stepSource: 'event',
    lookup: 'not-needed',
    eventTie: 'exact',
    record: { source: 'event', time: '2026-11-30T02:59:00.000Z', id: 'ev-1', requestId: null },
  });

  it.each<{
    case: string;
    secret: Partial<SecretState>;
    time: string;
    rule: string | undefined;
    actions: PlannedAction[];
  }>([
    {
      case: 'its AWSPENDING left behind',
      secret: {},
      time: '2026-11-30T02:59:00.000Z',
      rule: Rule.TestRotationFailedDiscard,
      actions: [cancel, discardPending],
    },
    {
      case: 'no AWSPENDING left, rotation on, a recent event',
      secret: { versionIdsToStages: { [CUR]: ['AWSCURRENT'] } },
      time: '2026-11-30T02:59:00.000Z',
      rule: Rule.TestRotationFailedCancel,
      actions: [cancel],
    },
    {
      case: 'no AWSPENDING left, rotation on, an event past the grace period',
      secret: { versionIdsToStages: { [CUR]: ['AWSCURRENT'] } },
      time: '2026-11-29T03:00:00.000Z',
      rule: Rule.StalePastGrace,
      actions: [],
    },
    {
      case: 'nothing left to do',
      secret: { versionIdsToStages: { [CUR]: ['AWSCURRENT'] }, rotationEnabled: false },
      time: '2026-11-30T02:59:00.000Z',
      rule: Rule.NoPending,
      actions: [],
    },
    {
      case: 'a secret marked for deletion',
      secret: { deletedDate: '2026-01-01' },
      time: '2026-11-30T02:59:00.000Z',
      rule: Rule.MarkedForDeletion,
      actions: [],
    },
  ])('$case → $rule', ({ secret, time, rule, actions }) => {
    // Act
    const result = planRemediation(state(secret), testEvent(time), { assessed: tied, now: NOW });

    // Assess
    expect(result.decision.rule).toBe(rule);
    expect(result.actions).toEqual(actions);
  });
});

describe('planRemediation: which plans wait for evidence', () => {
  it.each<{
    case: string;
    secret: Partial<SecretState>;
    input: ReturnType<typeof request>;
    needs: boolean;
  }>([
    {
      case: 'a secret marked for deletion',
      secret: { deletedDate: '2026-01-01' },
      input: request(),
      needs: false,
    },
    {
      case: 'a clean secret',
      secret: { versionIdsToStages: { [CUR]: ['AWSCURRENT'] } },
      input: request(),
      needs: false,
    },
    {
      case: 'a pinned human discard',
      secret: {},
      input: request('discard', undefined, PEND),
      needs: false,
    },
    {
      case: 'a managed secret (its age first)',
      secret: { owningService: 'rds' },
      input: request(),
      needs: true,
    },
    { case: 'auto', secret: {}, input: request(), needs: true },
    { case: 'a discard no person pinned', secret: {}, input: request('discard'), needs: true },
    {
      case: 'a pinned promote (createSecret is refused)',
      secret: {},
      input: request('promote'),
      needs: true,
    },
  ])('$case: needsEvidence $needs', ({ secret, input, needs }) => {
    // Act
    const { step: _step, ...planned } = input;
    const result = planRemediation(state(secret), planned);

    // Assess
    expect(result.needsEvidence).toBe(needs);
    expect(result.actions.length === 0 || !needs).toBe(true);
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
    const plan = planOf(input, request('auto', 'setSecret', expected), options);

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
    const plan = planOf(tagged, request('auto', 'setSecret'), {
      requiredTag: { key: 'remediate', value: 'yes' },
    });

    // Assess
    expect(plan.outcome).toBe('remediated');
    expect(plan.actions).toEqual([cancel, discardPending]);
  });

  it('accepts the expected pending version when it matches', () => {
    // Act
    const plan = planOf(state(), request('discard', undefined, PEND));

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
      planOf(clean, request(action, 'finishSecret', PEND))
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
    const plan = planOf(state({ rotationEnabled }), request('auto', 'setSecret'));

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
    const plan = planOf(state({ rotationEnabled }), request('auto', 'testSecret'));

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
      const plan = planOf(managed, request(pendingAction, 'finishSecret'));

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
    const plan = planOf(unchanged, request('auto', 'setSecret'), {
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
    const plan = planOf(state({ rotationEnabled: false }), request('discard'), {
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
    const plan = planOf(state({ versionIdsToStages: labels }), request('promote'));

    // Assess
    expect(plan.expected.versionIdsToStages).toEqual({
      [PREV]: ['blue'],
      [CUR]: ['green', 'AWSPREVIOUS'],
      [PEND]: ['AWSCURRENT'],
    });
  });

  it('promotes without RemoveFromVersionId when no version is AWSCURRENT', () => {
    // Act
    const plan = planOf(
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
    const first = planOf(input, request('auto', 'finishSecret'));
    const second = planOf(input, request('auto', 'finishSecret'));

    // Assess
    expect(second).toEqual(first);
    expect(input).toEqual(snapshot);
  });
});
