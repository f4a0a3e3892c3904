import { emptyCounts, tally } from '../../../src/sweep/tally.js';
import type { SweepResultStatus } from '../../../src/sweep/types.js';

describe('tally: every result status has its counter', () => {
  it.each<[SweepResultStatus, string]>([
    ['remediated', 'remediated'],
    ['already-clean', 'alreadyClean'],
    ['planned', 'planned'],
    ['needs-decision', 'needsDecision'],
    ['refused', 'refused'],
    ['in-progress', 'inProgress'],
    ['failed', 'failed'],
    // the core found the rotation still in flight: counted with the running ones
    ['deferred', 'running'],
  ])('%s counts as %s', (status, counter) => {
    // Act
    const counts = tally(emptyCounts(), {
      kind: 'result',
      result: { secretArn: 'arn:x', status, rule: null, pendingSince: null },
    });

    // Assess
    expect(counts).toEqual({ ...emptyCounts(), [counter]: 1 });
  });
});
