/**
 * Watches one remediation (as an observer of the core, beside the audit trail) for what a Failed
 * event needs if it throws: the secret, once read; the last plan; the calls that succeeded; the end
 * state read back.
 */
import type { CallRecord } from '../remediation/apply.js';
import type { RemediationObserver } from '../remediation/remediate.js';
import type { AppliedAction, Plan, SecretState } from '../remediation/types.js';
import type { FailedRemediation } from './detail.js';

/** The name of a secret from its ARN: the resource part without the 6-character suffix. */
export const secretNameOfArn = (arn: string): string => {
  const resource = arn.split(':').slice(6).join(':');
  return resource.replace(/-[A-Za-z0-9]{6}$/, '');
};

/** Records what a Failed event of this remediation would say. */
export class FailureWitness implements RemediationObserver {
  #arn: string | undefined;
  #plan: Plan | undefined;
  readonly #actions: AppliedAction[] = [];
  #after: SecretState | undefined;

  /** A plan was made for the secret `secretArn`. */
  public planned(plan: Plan, _attempt: number, secretArn: string): void {
    this.#arn = secretArn;
    this.#plan = plan;
  }

  /** A mutating call was made; the successful ones are kept. */
  public call(record: CallRecord): void {
    if (record.outcome === 'success') {
      this.#actions.push({
        ...record.action,
        ...(record.requestId === undefined ? {} : { requestId: record.requestId }),
      });
    }
  }

  /** The end state was read back. */
  public verified(_mismatches: unknown, after: SecretState): void {
    this.#after = after;
  }

  /** What is known, or undefined when the secret was never identified (no plan was made). */
  public failed(): FailedRemediation | undefined {
    if (this.#arn === undefined) return undefined;
    return {
      secret: { arn: this.#arn, name: this.#after?.name ?? secretNameOfArn(this.#arn) },
      decision: this.#plan?.decision ?? null,
      reason: this.#plan?.reason ?? null,
      actions: [...this.#actions],
      after:
        this.#after === undefined
          ? null
          : {
              rotationEnabled: this.#after.rotationEnabled ?? null,
              versionIdsToStages: this.#after.versionIdsToStages,
            },
    };
  }
}
