import type { SecretStore } from './store.js';

/** What a hook receives. */
export interface HookContext {
  /** `SecretId` of the request (`Name` for CreateSecret), as sent; '' when absent. */
  secretId: string;
  /** The emulator's state, to change it as a concurrent actor would. */
  store: SecretStore;
}

/** A hook body. */
export type HookFn = (context: HookContext) => void | Promise<void>;

/** Options of {@link HookRegistry.beforeApply}. */
export interface HookOptions {
  /** How many calls it runs for (default 1; `Infinity` for every call). */
  times?: number;
}

interface Hook {
  operation: string;
  fn: HookFn;
  remaining: number;
}

/** Hooks run right before an operation is applied, to simulate races. */
export class HookRegistry {
  #hooks: Hook[] = [];

  /** Runs `fn` right before the next `times` (default 1) applications of `operation`. */
  beforeApply(operation: string, fn: HookFn, options: HookOptions = {}): void {
    const times = options.times ?? 1;
    if (!(times >= 1)) throw new RangeError('times must be ≥ 1');
    this.#hooks.push({ operation, fn, remaining: times });
  }

  /** Removes every hook. */
  clear(): void {
    this.#hooks = [];
  }

  /** Runs (in registration order) the hooks due for one call of `operation` (used by the server). */
  async run(operation: string, context: HookContext): Promise<void> {
    const due = this.#hooks.filter((h) => h.operation === operation && h.remaining > 0);
    for (const hook of due) hook.remaining -= 1;
    this.#hooks = this.#hooks.filter((h) => h.remaining > 0);
    for (const hook of due) await hook.fn(context);
  }
}
