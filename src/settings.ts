/**
 * The function's settings, read from the environment once at start-up. A bad value stops the
 * start-up with a {@link ConfigurationError} instead of silently acting on a default.
 */
import { ConfigurationError } from './errors.js';
import type { RequiredTag } from './remediation/planner.js';
import { PendingAction } from './remediation/types.js';

/** Settings of the remediator. */
export interface RemediatorConfig {
  /** From `REQUIRED_TAG=key=value`; undefined means every secret is in scope. */
  requiredTag: RequiredTag | undefined;
  /** From `DEFAULT_PENDING_ACTION` (auto | discard | promote), default auto. */
  defaultPendingAction: PendingAction;
  /** From `ACT_ON_EVENTS` (comma-separated Secrets Manager event names), default `RotationFailed`. */
  actOnEvents: readonly string[];
}

const pendingActions: readonly string[] = Object.values(PendingAction);

/** Parses `REQUIRED_TAG` (`key=value`); empty or unset means no scope restriction. */
export const parseRequiredTag = (raw: string | undefined): RequiredTag | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const at = raw.indexOf('=');
  const key = at < 0 ? '' : raw.slice(0, at).trim();
  const value = at < 0 ? '' : raw.slice(at + 1).trim();
  if (key === '' || value === '') {
    throw new ConfigurationError(
      'REQUIRED_TAG must be "key=value" with a non-empty key and value.'
    );
  }
  return { key, value };
};

/** Reads the configuration from `env` (default `process.env`). */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): RemediatorConfig => {
  const rawAction = env.DEFAULT_PENDING_ACTION?.trim() || PendingAction.Auto;
  if (!pendingActions.includes(rawAction)) {
    throw new ConfigurationError(
      `DEFAULT_PENDING_ACTION must be one of ${pendingActions.join(', ')}.`
    );
  }
  const actOnEvents = (env.ACT_ON_EVENTS ?? 'RotationFailed')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (actOnEvents.length === 0 || actOnEvents.some((name) => !/^[A-Za-z]{1,64}$/.test(name))) {
    throw new ConfigurationError(
      'ACT_ON_EVENTS must be a comma-separated list of Secrets Manager event names, e.g. RotationFailed.'
    );
  }
  return {
    requiredTag: parseRequiredTag(env.REQUIRED_TAG),
    defaultPendingAction: rawAction as PendingAction,
    actOnEvents,
  };
};

/** Settings of the sweep (`{"sweep": {...}}`), read apart from {@link RemediatorConfig}. */
export interface SweepConfig {
  /**
   * From `SWEEP_GRACE_SECONDS` (default 3600): a pending version created at most this long ago
   * belongs to a rotation that may still be running and is left alone; 0 counts every one.
   */
  graceSeconds: number;
  /** From `SWEEP_QUOTA_SHARE` (default 0.5, 0 < share ≤ 1): the share of each quota the sweep uses. */
  quotaShare: number;
  /** From `SWEEP_CONCURRENCY` (default 8, 1–32): secrets examined and remediated at once. */
  concurrency: number;
}

/** Defaults of {@link SweepConfig}. */
export const SWEEP_DEFAULTS = {
  graceSeconds: 3600,
  quotaShare: 0.5,
  concurrency: 8,
} as const satisfies SweepConfig;

/** Longest grace period accepted: 30 days. */
const MAX_SWEEP_GRACE_SECONDS = 30 * 24 * 3600;
/** Most secrets a sweep works on at once. */
const MAX_SWEEP_CONCURRENCY = 32;

const numberFrom = (raw: string | undefined, fallback: number): number =>
  raw === undefined || raw.trim() === '' ? fallback : Number(raw.trim());

/** Reads the sweep settings from `env` (default `process.env`). */
export const loadSweepConfig = (env: NodeJS.ProcessEnv = process.env): SweepConfig => {
  const graceSeconds = numberFrom(env.SWEEP_GRACE_SECONDS, SWEEP_DEFAULTS.graceSeconds);
  if (
    !Number.isInteger(graceSeconds) ||
    graceSeconds < 0 ||
    graceSeconds > MAX_SWEEP_GRACE_SECONDS
  ) {
    throw new ConfigurationError(
      `SWEEP_GRACE_SECONDS must be a whole number of seconds from 0 to ${MAX_SWEEP_GRACE_SECONDS}.`
    );
  }
  const quotaShare = numberFrom(env.SWEEP_QUOTA_SHARE, SWEEP_DEFAULTS.quotaShare);
  if (!Number.isFinite(quotaShare) || quotaShare <= 0 || quotaShare > 1) {
    throw new ConfigurationError(
      'SWEEP_QUOTA_SHARE must be a number greater than 0 and at most 1 (e.g. 0.5).'
    );
  }
  const concurrency = numberFrom(env.SWEEP_CONCURRENCY, SWEEP_DEFAULTS.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_SWEEP_CONCURRENCY) {
    throw new ConfigurationError(
      `SWEEP_CONCURRENCY must be a whole number from 1 to ${MAX_SWEEP_CONCURRENCY}.`
    );
  }
  return { graceSeconds, quotaShare, concurrency };
};
