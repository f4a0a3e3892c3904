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
