/**
 * Checks that the reports and the audit trail tell the truth about what the emulator applied.
 */
import type { SecretsManagerEmulator } from '../../../emulator/secrets-manager/index.js';
import type { LabelMap, RemediationReport } from '../../../src/remediation/types.js';
import type { LogCapture } from '../../helpers/log-capture.js';

/** The two mutating calls a remediation makes. */
export const MUTATING_CALLS = ['CancelRotateSecret', 'UpdateSecretVersionStage'] as const;

/** A secret's state as the emulator holds it. */
export interface StoredState {
  labels: LabelMap;
  rotationEnabled: boolean | null;
}

/** A label map with versions and labels in a stable order, for comparisons. */
export const canonicalLabels = (labels: LabelMap): LabelMap =>
  Object.fromEntries(
    Object.entries(labels)
      .filter(([, stages]) => stages.length > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, stages]) => [id, [...stages].sort()])
  );

/** Reads a secret's labels and rotation flag straight from the emulator's store. */
export const storedState = (emulator: SecretsManagerEmulator, secretId: string): StoredState => ({
  labels: canonicalLabels(emulator.store.labels(secretId)),
  rotationEnabled: emulator.store.describe(secretId).RotationEnabled ?? null,
});

/** A report and the stored state at the moment it was returned. */
export interface ObservedReport {
  report: RemediationReport;
  stored: StoredState;
}

/** The audit records of the given invocations (by correlation id). */
export const auditOf = (
  capture: LogCapture,
  correlationIds: readonly string[]
): Record<string, unknown>[] =>
  capture.auditRecords().filter((audit) => correlationIds.includes(String(audit.correlationId)));

/**
 * Lists where the reports or the audit trail about one secret disagree with what the emulator did:
 * - each `secretsmanager.call` record with outcome `success` is a response the client received:
 *   as many per operation as the emulator answered 200 to a client still listening;
 * - each action a report lists with a request id has that success record;
 * - no report lists more calls of an operation than the emulator applied;
 * - a report's `after` is the stored state when it was returned.
 */
export const truthProblems = (
  emulator: SecretsManagerEmulator,
  secret: { arn: string; name: string },
  audit: readonly Record<string, unknown>[],
  reports: readonly ObservedReport[]
): string[] => {
  const problems: string[] = [];
  const calls = audit.filter((record) => record.event === 'secretsmanager.call');
  const received = emulator.calls.filter(
    (call) => call.secretId === secret.arn || call.secretId === secret.name
  );
  for (const operation of MUTATING_CALLS) {
    const acknowledged = received.filter(
      (call) => call.operation === operation && call.status === 200 && call.clientAborted !== true
    ).length;
    const successes = calls.filter(
      (record) => record.operation === operation && record.outcome === 'success'
    ).length;
    if (successes !== acknowledged) {
      problems.push(
        `${operation}: ${successes} audit success record(s), ${acknowledged} response(s) received`
      );
    }
  }
  const successIds = new Set(
    calls.filter((record) => record.outcome === 'success').map((record) => record.requestId)
  );
  for (const { report, stored } of reports) {
    if (report.replayed === true) continue;
    for (const action of report.actions) {
      if (action.requestId !== undefined && !successIds.has(action.requestId)) {
        problems.push(`report action ${action.operation} ${action.requestId} has no audit record`);
      }
    }
    for (const operation of MUTATING_CALLS) {
      const claimed = report.actions.filter((action) => action.operation === operation).length;
      const applied = received.filter(
        (call) => call.operation === operation && call.applied
      ).length;
      if (claimed > applied) {
        problems.push(`report claims ${claimed} ${operation}, the emulator applied ${applied}`);
      }
    }
    const after = {
      labels: canonicalLabels(report.after.versionIdsToStages),
      rotationEnabled: report.after.rotationEnabled,
    };
    if (JSON.stringify(after) !== JSON.stringify(stored)) {
      problems.push(`report.after ${JSON.stringify(after)} differs from ${JSON.stringify(stored)}`);
    }
  }
  return problems;
};
