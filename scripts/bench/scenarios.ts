/**
 * The secrets and events the benchmark uses: seeded straight into the emulator's store (no HTTP),
 * events from the samples in `events/` pointed at them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SecretsManagerEmulator, SeededSecret } from '../../emulator/secrets-manager/index.js';
import { substituteSecret } from '../../tools/samples.js';
import { PROJECT_DIR } from './processes.js';

/** A fresh copy of one sample of `events/` (read from the project, wherever the bench is bundled). */
const loadSample = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(PROJECT_DIR, 'events', file), 'utf8')) as Record<string, unknown>;

let counter = 0;

/** A unique secret name for the benchmark. */
export const benchName = (prefix: string): string =>
  `rr-bench/${prefix}-${(counter++).toString().padStart(5, '0')}`;

/** Seeds a secret whose rotation failed at `step` (pending version created two hours ago). */
export const seedStuck = (
  emulator: SecretsManagerEmulator,
  prefix: string,
  step: 'setSecret' | 'finishSecret' = 'setSecret'
): SeededSecret =>
  emulator.store.seedFailedRotation({
    name: benchName(prefix),
    step,
    pendingCreatedAt: new Date(Date.now() - 2 * 3_600_000),
  });

/** Seeds a healthy secret with rotation enabled. */
export const seedClean = (emulator: SecretsManagerEmulator, prefix: string): SeededSecret =>
  emulator.store.seedCleanSecret({ name: benchName(prefix), rotationEnabled: true });

/** The events of the benchmark. */
export const BenchEvents = {
  /** RotationFailed at setSecret (CloudTrail via EventBridge): auto → discard. */
  rotationFailedSetSecret: (secret: SeededSecret): unknown =>
    substituteSecret(loadSample('rotation-failed-setSecret.json'), secret),
  /** RotationFailed at finishSecret: auto → promote. */
  rotationFailedFinishSecret: (secret: SeededSecret): unknown =>
    substituteSecret(loadSample('rotation-failed-finishSecret.json'), secret),
  /** A direct dry run. */
  dryRun: (secret: SeededSecret): unknown => ({ secretId: secret.arn, dryRun: true }),
  /** A direct command on a secret that needs nothing. */
  direct: (secret: SeededSecret): unknown => ({ secretId: secret.arn, reason: 'benchmark' }),
  /** An alarm back to OK: ignored before any AWS call. */
  alarmOk: (): unknown => loadSample('alarm-eventbridge-ok.json'),
  /** An event of no known shape: rejected (ValidationError) before any AWS call. */
  unknownShape: (): unknown => ({ detail: { unexpected: true } }),
  /** The sweep command, as the scheduled rule sends it. */
  sweep: (): unknown => ({ sweep: {} }),
} as const;
