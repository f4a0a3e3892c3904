import { defaultStatusFor, ErrorName } from './errors.js';

/** What an injected fault does. */
export const FaultKind = {
  /** Respond with an error; the operation is not applied. */
  Error: 'error',
  /** Apply the operation, then destroy the socket without responding (the ambiguous case). */
  DropAfterApply: 'drop-after-apply',
  /** Destroy the socket without applying. */
  DropBeforeApply: 'drop-before-apply',
  /** Apply, wait `latencyMs`, then respond (still applied when the client gave up meanwhile). */
  Latency: 'latency',
} as const;

/** One of the kinds in {@link FaultKind}. */
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/** What to inject. */
export interface FaultSpec {
  /** Operation name, e.g. `UpdateSecretVersionStage`. */
  operation: string;
  /** 1-based count of that operation's calls from now at which the fault starts (default 1). */
  nth?: number;
  /** How many consecutive matching calls from the nth are affected (default 1), or 'always'. */
  times?: number | 'always';
  kind: FaultKind;
  /** For 'error': the error name (default InternalServiceError). */
  errorName?: string;
  /** For 'error': the HTTP status (default 500 for InternalServiceError, 400 otherwise). */
  status?: number;
  /** For 'error': the message (default a generic text). */
  message?: string;
  /** For 'latency': the delay in ms (default 1000). */
  latencyMs?: number;
}

/** A fault decided for one call. */
export type FaultAction =
  | { kind: typeof FaultKind.Error; errorName: string; status: number; message: string }
  | { kind: typeof FaultKind.DropAfterApply }
  | { kind: typeof FaultKind.DropBeforeApply }
  | { kind: typeof FaultKind.Latency; latencyMs: number };

/** A handle on an injected fault. */
export interface FaultHandle {
  /** How many calls it has affected so far. */
  readonly hits: number;
  /** Whether it can still affect calls. */
  readonly active: boolean;
  /** Withdraws it. */
  remove(): void;
}

interface ActiveFault {
  spec: Required<Pick<FaultSpec, 'operation' | 'nth' | 'times' | 'kind'>>;
  action: FaultAction;
  seen: number;
  hits: number;
  removed: boolean;
}

function actionFor(spec: FaultSpec): FaultAction {
  switch (spec.kind) {
    case FaultKind.Error: {
      const errorName = spec.errorName ?? ErrorName.InternalServiceError;
      return {
        kind: FaultKind.Error,
        errorName,
        status: spec.status ?? defaultStatusFor(errorName),
        message: spec.message ?? `Injected fault: ${errorName}.`,
      };
    }
    case FaultKind.Latency:
      return { kind: FaultKind.Latency, latencyMs: spec.latencyMs ?? 1000 };
    case FaultKind.DropAfterApply:
      return { kind: FaultKind.DropAfterApply };
    case FaultKind.DropBeforeApply:
      return { kind: FaultKind.DropBeforeApply };
  }
  throw new TypeError(`Unknown fault kind: ${String(spec.kind)}`);
}

function isFinished(fault: ActiveFault): boolean {
  return (
    fault.removed ||
    (fault.spec.times !== 'always' && fault.seen >= fault.spec.nth - 1 + fault.spec.times)
  );
}

/**
 * Injects faults into calls of one operation. `nth` counts that operation's calls that get past the
 * quota check, from the moment of injection. When several faults match a call, the earliest
 * injected one acts (every matching fault still counts the call).
 */
export class FaultInjector {
  #faults: ActiveFault[] = [];

  /** Adds a fault; see {@link FaultSpec} for defaults. */
  inject(spec: FaultSpec): FaultHandle {
    const nth = spec.nth ?? 1;
    const times = spec.times ?? 1;
    if (!Number.isInteger(nth) || nth < 1) throw new RangeError('nth must be an integer ≥ 1');
    if (times !== 'always' && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError("times must be an integer ≥ 1 or 'always'");
    }
    const fault: ActiveFault = {
      spec: { operation: spec.operation, nth, times, kind: spec.kind },
      action: actionFor(spec),
      seen: 0,
      hits: 0,
      removed: false,
    };
    this.#faults.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      get active() {
        return !isFinished(fault);
      },
      remove: () => {
        fault.removed = true;
        this.#faults = this.#faults.filter((f) => f !== fault);
      },
    };
  }

  /** Removes every fault. */
  clear(): void {
    for (const fault of this.#faults) fault.removed = true;
    this.#faults = [];
  }

  /** Counts a call of `operation` and returns the fault to apply to it, if any (used by the server). */
  next(operation: string): FaultAction | undefined {
    let chosen: FaultAction | undefined;
    for (const fault of this.#faults) {
      if (fault.spec.operation !== operation || isFinished(fault)) continue;
      fault.seen += 1;
      if (fault.seen >= fault.spec.nth && chosen === undefined) {
        fault.hits += 1;
        chosen = fault.action;
      }
    }
    this.#faults = this.#faults.filter((f) => !isFinished(f));
    return chosen;
  }
}
