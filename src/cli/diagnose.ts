/**
 * `diagnose --secret-id X`: why the secret's rotation failed. One DescribeSecret (its
 * RotationLambdaARN and AWSPENDING version), ListSecretVersionIds for when that version was made,
 * then the diagnosis gatherer over the window from then to now. Read-only, never a secret value:
 * evidence is redacted by the diagnosis itself.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerClient } from '../aws/clients.js';
import { listVersions } from '../aws/versions.js';
import { createAwsDiagnosisSources, createDiagnosisClients } from '../diagnosis/aws-sources.js';
import { diagnose } from '../diagnosis/diagnose.js';
import { gatherFacts } from '../diagnosis/gather.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { readSecretState } from '../remediation/read-state.js';
import { secretIdSchema } from '../triggers/command-schema.js';
import { parseOrThrow } from '../triggers/validation.js';

/** How far back the logs are read when the pending version's creation is not known: a day. */
export const DEFAULT_WINDOW_MS = 86_400_000;
/** Lines before the pending version's creation still read (clocks, the first step's own lines). */
export const WINDOW_MARGIN_MS = 600_000;

/** What `diagnose` prints as JSON. */
export interface DiagnoseOutput {
  secret: { arn: string; name: string };
  rotationLambdaArn: string | null;
  pendingVersionId: string | null;
  window: { start: string; end: string };
  diagnosis: Diagnosis | null;
}

/** When the pending version was created, if ListSecretVersionIds says (a failure: not known). */
const createdAt = async (
  client: SecretsManagerClient,
  arn: string,
  versionId: string
): Promise<number | undefined> => {
  try {
    const versions = await listVersions(client, arn);
    return versions.find((version) => version.VersionId === versionId)?.CreatedDate?.getTime();
  } catch {
    return undefined;
  }
};

/** Reads the secret, gathers its rotation function's facts and diagnoses them. */
export const diagnoseSecret = async (
  secretIdInput: string | undefined,
  now: () => Date = () => new Date()
): Promise<DiagnoseOutput> => {
  const secretId = parseOrThrow(secretIdSchema, secretIdInput, 'secretId');
  const client = createSecretsManagerClient();
  try {
    const state = await readSecretState(client, secretId);
    const pending = Object.entries(state.versionIdsToStages).find(([, stages]) =>
      stages.includes('AWSPENDING')
    )?.[0];
    const endMs = now().getTime();
    const created = pending === undefined ? undefined : await createdAt(client, state.arn, pending);
    const startMs = created === undefined ? endMs - DEFAULT_WINDOW_MS : created - WINDOW_MARGIN_MS;
    const window = { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() };
    const base = {
      secret: { arn: state.arn, name: state.name },
      rotationLambdaArn: state.rotationLambdaArn ?? null,
      pendingVersionId: pending ?? null,
      window,
    };
    if (state.rotationLambdaArn === undefined) return { ...base, diagnosis: null };
    const clients = createDiagnosisClients();
    const sources = createAwsDiagnosisSources(clients);
    const facts = await gatherFacts(sources, {
      functionId: state.rotationLambdaArn,
      window: { startMs, endMs },
    });
    for (const each of Object.values(clients)) each.destroy();
    return {
      ...base,
      diagnosis: diagnose(facts, {
        now: new Date(endMs),
        ...(pending ? { versionId: pending } : {}),
      }),
    };
  } finally {
    client.destroy();
  }
};

/** The diagnosis as text, for a terminal. */
export const formatDiagnosis = (output: DiagnoseOutput): string[] => {
  const lines = [
    `Secret: ${output.secret.name} (${output.secret.arn})`,
    `Rotation function: ${output.rotationLambdaArn ?? 'none'}`,
    `Pending version: ${output.pendingVersionId ?? 'none'}`,
    `Window: ${output.window.start} to ${output.window.end}`,
  ];
  const diagnosis = output.diagnosis;
  if (diagnosis === null) return [...lines, 'No rotation function: nothing to diagnose.'];
  lines.push(
    `Probable cause: ${diagnosis.cause} (${diagnosis.confidence} confidence)`,
    `Fix: ${diagnosis.fix}`,
    `Documentation: ${diagnosis.documentation}`,
    ...diagnosis.evidence.map((line) => `  evidence: ${line}`)
  );
  for (const other of diagnosis.findings.slice(
    diagnosis.cause === diagnosis.findings[0]?.cause ? 1 : 0
  )) {
    lines.push(`Also: ${other.cause} (${other.confidence})`);
  }
  const steps = diagnosis.completedSteps.map(
    (done) => `${done.step} at ${done.at}${done.namesVersion ? '' : ' (by order)'}`
  );
  lines.push(`Completed steps: ${steps.length > 0 ? steps.join(', ') : 'none logged'}`);
  for (const missing of diagnosis.missing) {
    lines.push(
      `Missing: ${missing.fact} (${missing.reason}${missing.detail ? `: ${missing.detail}` : ''})`
    );
  }
  return lines;
};
