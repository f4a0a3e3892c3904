/**
 * The demo's secrets and cases: how each secret is seeded, which sample of `events/` each case
 * sends, and the end state each case expects.
 */
import type { SeededSecret } from '../../emulator/secrets-manager/index.js';
import type { LabelMap } from '../../src/remediation/types.js';
import type { CaseEndState } from './check.js';

/** The roles of a seeded secret's versions. */
export type Versions = Pick<SeededSecret, 'previousVersionId' | 'currentVersionId'> & {
  pendingVersionId: string;
};

/** End states, by the roles of the seeded versions. */
export const EndState = {
  /** AWSPENDING removed from the pending version, which drops out of the map. */
  discarded: (v: Versions): LabelMap => ({
    [v.previousVersionId]: ['AWSPREVIOUS'],
    [v.currentVersionId]: ['AWSCURRENT'],
  }),
  /** The pending version became AWSCURRENT; the old current AWSPREVIOUS. */
  promoted: (v: Versions): LabelMap => ({
    [v.currentVersionId]: ['AWSPREVIOUS'],
    [v.pendingVersionId]: ['AWSCURRENT'],
  }),
  /** Labels untouched (AWSPENDING still on its own version). */
  stuck: (v: Versions): LabelMap => ({
    [v.previousVersionId]: ['AWSPREVIOUS'],
    [v.currentVersionId]: ['AWSCURRENT'],
    [v.pendingVersionId]: ['AWSPENDING'],
  }),
  /** A healthy secret with AWSPENDING on the AWSCURRENT version (legal). */
  pendingOnCurrent: (v: Versions): LabelMap => ({
    [v.previousVersionId]: ['AWSPREVIOUS'],
    [v.currentVersionId]: ['AWSCURRENT', 'AWSPENDING'],
  }),
} as const;

/** How a secret is seeded. */
export type Seed =
  | { kind: 'failed'; step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret' }
  /** A rotation still running: its pending version made moments ago, no failure recorded yet. */
  | { kind: 'in-flight' }
  | { kind: 'managed' }
  | { kind: 'deleted' }
  | { kind: 'clean' };

/** One case of the demo: an event from `events/` sent to the bundle, and the end state expected. */
export interface DemoCase {
  title: string;
  /** Secret name (seeded once; several cases may share it). */
  secret: string;
  sample: string;
  /** How long ago the event happened (a redrive, a replay); default now. */
  eventAgeHours?: number;
  expected: {
    status: string;
    labels: keyof typeof EndState;
    rotationEnabled: boolean;
  };
}

/** The secrets the demo seeds. */
export const SECRETS: Record<string, Seed> = {
  'rr-demo/orders-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/billing-db': { kind: 'failed', step: 'createSecret' },
  'rr-demo/app-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/reporting-db': { kind: 'failed', step: 'testSecret' },
  'rr-demo/payments-db': { kind: 'failed', step: 'finishSecret' },
  'rr-demo/search-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/cache-db': { kind: 'failed', step: 'setSecret' },
  'rr-demo/clean-db': { kind: 'clean' },
  'rr-demo/retired-db': { kind: 'deleted' },
  'rds!db-demo': { kind: 'managed' },
  'rr-demo/ledger-db': { kind: 'failed', step: 'testSecret' },
  'rr-demo/inflight-db': { kind: 'in-flight' },
  'rr-demo/replayed-db': { kind: 'failed', step: 'setSecret' },
};

/** The cases, in order. */
export const CASES: readonly DemoCase[] = [
  {
    title: 'CloudWatch alarm (EventBridge, SecretId dimension)',
    secret: 'rr-demo/orders-db',
    sample: 'alarm-eventbridge-secretid-dimension.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at createSecret',
    secret: 'rr-demo/billing-db',
    sample: 'rotation-failed-createSecret.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at setSecret',
    secret: 'rr-demo/app-db',
    sample: 'rotation-failed-setSecret.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at testSecret',
    secret: 'rr-demo/reporting-db',
    sample: 'rotation-failed-testSecret.json',
    expected: { status: 'needs-decision', labels: 'stuck', rotationEnabled: false },
  },
  {
    title: 'RotationFailed at finishSecret',
    secret: 'rr-demo/payments-db',
    sample: 'rotation-failed-finishSecret.json',
    expected: { status: 'remediated', labels: 'promoted', rotationEnabled: false },
  },
  {
    title: 'HTTP call (API Gateway HTTP API, IAM caller)',
    secret: 'rr-demo/search-db',
    sample: 'http-api-v2-post.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'Direct command, dry run',
    secret: 'rr-demo/cache-db',
    sample: 'direct-dry-run.json',
    expected: { status: 'planned', labels: 'stuck', rotationEnabled: true },
  },
  {
    title: 'Direct command, the real run',
    secret: 'rr-demo/cache-db',
    sample: 'direct.json',
    expected: { status: 'remediated', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'Duplicate: the setSecret RotationFailed event again (at-least-once delivery)',
    secret: 'rr-demo/app-db',
    sample: 'rotation-failed-setSecret.json',
    expected: { status: 'already-clean', labels: 'discarded', rotationEnabled: false },
  },
  {
    title: 'A clean secret (AWSPENDING on AWSCURRENT after a good rotation)',
    secret: 'rr-demo/clean-db',
    sample: 'direct.json',
    expected: { status: 'already-clean', labels: 'pendingOnCurrent', rotationEnabled: true },
  },
  {
    title: 'A secret marked for deletion',
    secret: 'rr-demo/retired-db',
    sample: 'direct.json',
    expected: { status: 'refused', labels: 'stuck', rotationEnabled: true },
  },
  {
    title: 'A secret managed by a service (rds!)',
    secret: 'rds!db-demo',
    sample: 'direct.json',
    expected: { status: 'refused', labels: 'stuck', rotationEnabled: true },
  },
  {
    title: 'CloudWatch alarm for a rotation stuck at testSecret: the step from CloudTrail history',
    secret: 'rr-demo/ledger-db',
    sample: 'alarm-eventbridge-secretid-dimension.json',
    expected: { status: 'needs-decision', labels: 'stuck', rotationEnabled: false },
  },
  {
    title:
      'A rotation still in flight: an alarm on a pending version seconds old, no failure record',
    secret: 'rr-demo/inflight-db',
    sample: 'alarm-eventbridge-secretid-dimension.json',
    expected: { status: 'deferred', labels: 'stuck', rotationEnabled: true },
  },
  {
    title: 'A stale event: a finishSecret RotationFailed event of three hours ago, redriven now',
    secret: 'rr-demo/replayed-db',
    sample: 'rotation-failed-finishSecret.json',
    eventAgeHours: 3,
    expected: { status: 'stale', labels: 'stuck', rotationEnabled: true },
  },
];

/** The end state `demoCase` expects of its secret, seeded as `versions`. */
export const expectedEndState = (demoCase: DemoCase, versions: Versions): CaseEndState => ({
  status: demoCase.expected.status,
  labels: EndState[demoCase.expected.labels](versions),
  rotationEnabled: demoCase.expected.rotationEnabled,
});
