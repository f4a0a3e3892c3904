/**
 * Races, through the built dist/handler.js: another actor changes the secret between our read and
 * our write (an emulator hook runs right before our call is applied). RotationFailed events for a
 * setSecret failure (auto → discard) and a finishSecret failure (auto → promote) drive the
 * remediations. Each race ends in a correct state or a clean refusal; AWSCURRENT is never moved by
 * us onto a version the other actor did not choose; no lock is left behind.
 */
import { randomUUID } from 'node:crypto';
import type { SecretStore } from '../../emulator/secrets-manager/index.js';
import type { SeededSecret } from '../../emulator/secrets-manager/seed.js';
import type { LabelMap } from '../../src/remediation/types.js';
import { LogCapture } from '../helpers/log-capture.js';
import { uniqueName } from '../helpers/secrets-manager-target.js';
import { writeCounters } from './report/counters.js';
import type { BundleWorld } from './support/bundle-world.js';
import { sampleFor, startBundleWorld } from './support/bundle-world.js';
import type { ObservedReport } from './support/truth.js';
import { auditOf, canonicalLabels, storedState, truthProblems } from './support/truth.js';
import type { Outcome } from './support/world.js';
import { describeOutcome, stuckLocks } from './support/world.js';

/** The RotationFailed samples, and what `auto` resolves each to. */
const Failure = {
  /** auto → discard. */
  SetSecret: { step: 'setSecret', event: 'rotation-failed-setSecret.json' },
  /** auto → promote. */
  FinishSecret: { step: 'finishSecret', event: 'rotation-failed-finishSecret.json' },
} as const;

/** What the other actor does, right before our call is applied. */
type Actor = (store: SecretStore, seeded: SeededSecret, newVersionId: string) => void;

const pendingOf = (seeded: SeededSecret): string => seeded.pendingVersionId ?? '';

/** Secrets Manager retries the rotation: AWSPENDING goes to a new version. */
const reattachPending: Actor = (store, seeded, newVersionId) =>
  store.attachLabel(seeded.arn, 'AWSPENDING', newVersionId);

/** The rotation Lambda's finishSecret goes through after all: AWSCURRENT moves to the pending version. */
const finishSecret: Actor = (store, seeded) => {
  store.updateSecretVersionStage({
    SecretId: seeded.arn,
    VersionStage: 'AWSCURRENT',
    MoveToVersionId: pendingOf(seeded),
    RemoveFromVersionId: seeded.currentVersionId,
  });
};

/** An operator rolls AWSCURRENT back to the previous version. */
const operatorRollback: Actor = (store, seeded) => {
  store.updateSecretVersionStage({
    SecretId: seeded.arn,
    VersionStage: 'AWSCURRENT',
    MoveToVersionId: seeded.previousVersionId,
    RemoveFromVersionId: seeded.currentVersionId,
  });
};

/** Someone schedules the secret for deletion. */
const scheduleDeletion: Actor = (store, seeded) => store.markForDeletion(seeded.arn);

/** How a race ends. */
const Ending = {
  Refused: 'refused',
  VerificationFailedThenClean: 'VerificationFailed, then already-clean',
  Remediated: 'remediated',
} as const;

const RACES = [
  {
    name: 'the rotation re-attaches AWSPENDING to a new version before our cancel',
    failure: Failure.SetSecret,
    before: 'CancelRotateSecret',
    actor: reattachPending,
    ending: Ending.Refused,
    rule: 'refuse.pending-changed-during-remediation',
    rotationEnabled: false,
    labels: (s: SeededSecret, newVersionId: string): LabelMap => ({
      [s.previousVersionId]: ['AWSPREVIOUS'],
      [s.currentVersionId]: ['AWSCURRENT'],
      [newVersionId]: ['AWSPENDING'],
    }),
  },
  {
    name: 'the rotation re-attaches AWSPENDING to a new version before our discard',
    failure: Failure.SetSecret,
    before: 'UpdateSecretVersionStage',
    actor: reattachPending,
    ending: Ending.Refused,
    rule: 'refuse.pending-changed-during-remediation',
    rotationEnabled: false,
    labels: (s: SeededSecret, newVersionId: string): LabelMap => ({
      [s.previousVersionId]: ['AWSPREVIOUS'],
      [s.currentVersionId]: ['AWSCURRENT'],
      [newVersionId]: ['AWSPENDING'],
    }),
  },
  {
    name: 'the rotation Lambda completes finishSecret before our discard',
    failure: Failure.SetSecret,
    before: 'UpdateSecretVersionStage',
    actor: finishSecret,
    ending: Ending.VerificationFailedThenClean,
    rule: 'clean.no-pending',
    rotationEnabled: false,
    labels: (s: SeededSecret): LabelMap => ({
      [s.currentVersionId]: ['AWSPREVIOUS'],
      [pendingOf(s)]: ['AWSCURRENT'],
    }),
  },
  {
    name: 'the rotation Lambda completes finishSecret before our promote',
    failure: Failure.FinishSecret,
    before: 'UpdateSecretVersionStage',
    actor: finishSecret,
    ending: Ending.Remediated,
    rule: 'clean.pending-on-current',
    rotationEnabled: false,
    labels: (s: SeededSecret): LabelMap => ({
      [s.currentVersionId]: ['AWSPREVIOUS'],
      [pendingOf(s)]: ['AWSCURRENT', 'AWSPENDING'],
    }),
  },
  {
    name: 'an operator moves AWSCURRENT back before our promote',
    failure: Failure.FinishSecret,
    before: 'UpdateSecretVersionStage',
    actor: operatorRollback,
    ending: Ending.Refused,
    rule: 'refuse.current-changed-during-remediation',
    rotationEnabled: false,
    labels: (s: SeededSecret): LabelMap => ({
      [s.previousVersionId]: ['AWSCURRENT'],
      [s.currentVersionId]: ['AWSPREVIOUS'],
      [pendingOf(s)]: ['AWSPENDING'],
    }),
  },
  {
    name: 'an operator moves AWSCURRENT back before our discard',
    failure: Failure.SetSecret,
    before: 'UpdateSecretVersionStage',
    actor: operatorRollback,
    ending: Ending.VerificationFailedThenClean,
    rule: 'clean.no-pending',
    rotationEnabled: false,
    labels: (s: SeededSecret): LabelMap => ({
      [s.previousVersionId]: ['AWSCURRENT'],
      [s.currentVersionId]: ['AWSPREVIOUS'],
    }),
  },
  {
    name: 'the secret is scheduled for deletion before our cancel',
    failure: Failure.SetSecret,
    before: 'CancelRotateSecret',
    actor: scheduleDeletion,
    ending: Ending.Refused,
    rule: 'refuse.marked-for-deletion',
    rotationEnabled: true,
    labels: (s: SeededSecret): LabelMap => ({
      [s.previousVersionId]: ['AWSPREVIOUS'],
      [s.currentVersionId]: ['AWSCURRENT'],
      [pendingOf(s)]: ['AWSPENDING'],
    }),
  },
  {
    name: 'the secret is scheduled for deletion before our discard',
    failure: Failure.SetSecret,
    before: 'UpdateSecretVersionStage',
    actor: scheduleDeletion,
    ending: Ending.Refused,
    rule: 'refuse.marked-for-deletion',
    rotationEnabled: false,
    labels: (s: SeededSecret): LabelMap => ({
      [s.previousVersionId]: ['AWSPREVIOUS'],
      [s.currentVersionId]: ['AWSCURRENT'],
      [pendingOf(s)]: ['AWSPENDING'],
    }),
  },
] as const;

let world: BundleWorld;
const capture = new LogCapture();
const outcomes: Record<string, number> = {};
const figures = { run: 0, wrongStates: 0, stuckLocks: 0 };

beforeAll(async () => {
  world = await startBundleWorld();
  capture.start();
});

afterAll(async () => {
  capture.stop();
  await world.stop();
  writeCounters('races', {
    races: { run: figures.run, outcomes },
    wrongStates: figures.wrongStates,
    stuckLocks: figures.stuckLocks,
  });
});

describe('races between our read and our write', () => {
  it.each(RACES)(
    '$name → $ending ($rule)',
    async ({ name, failure, before, actor, ending, rule, rotationEnabled, labels }) => {
      // Prepare
      const seeded = world.emulator.store.seedFailedRotation({
        name: uniqueName('race'),
        step: failure.step,
      });
      const newVersionId = randomUUID();
      world.emulator.hooks.beforeApply(before, ({ store }) => actor(store, seeded, newVersionId));
      const ids = [`race-${randomUUID()}`, `race-${randomUUID()}`];
      const [firstId = '', retryId = ''] = ids;
      figures.run += 1;

      // Act
      const reports: ObservedReport[] = [];
      const run = async (id: string): Promise<Outcome> => {
        const outcome = await world.invoke(sampleFor(failure.event, seeded, id), id);
        if (outcome.kind === 'report') {
          reports.push({ report: outcome.report, stored: storedState(world.emulator, seeded.arn) });
        }
        return outcome;
      };
      const first = await run(firstId);
      const retry = first.kind === 'error' ? await run(retryId) : undefined;
      const final = retry ?? first;
      const stored = storedState(world.emulator, seeded.arn);
      const audit = auditOf(capture, ids);
      const ourCurrentMoves = audit.filter(
        (r) =>
          r.event === 'secretsmanager.call' &&
          r.outcome === 'success' &&
          r.versionStage === 'AWSCURRENT'
      );
      const locks = stuckLocks(await world.items(), world.latestDeadline());
      const expected = { labels: canonicalLabels(labels(seeded, newVersionId)), rotationEnabled };
      const ended =
        retry === undefined
          ? describeOutcome(first)
          : `${describeOutcome(first)}, then ${describeOutcome(retry)}`;
      outcomes[ended] = (outcomes[ended] ?? 0) + 1;
      if (JSON.stringify(stored) !== JSON.stringify(expected)) figures.wrongStates += 1;
      figures.stuckLocks += locks.length;

      // Assess
      expect({ name, ended }).toEqual({ name, ended: ending });
      expect(final).toMatchObject({ kind: 'report', report: { decision: { rule } } });
      expect(stored).toEqual(expected);
      if (failure === Failure.FinishSecret || ending === Ending.Refused) {
        expect(ourCurrentMoves).toEqual([]);
      }
      expect(truthProblems(world.emulator, seeded, audit, reports)).toEqual([]);
      expect(locks).toEqual([]);
    }
  );
});
