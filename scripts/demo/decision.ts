/**
 * The demo's last step of a Needs Decision case: take the pinned promote command from the event
 * (`detail.decide.promote.cli`), run it as given with the built CLI against the local environment,
 * and show the secret repaired (the pending version promoted, rotation off).
 */
import { join } from 'node:path';
import type { RecordedEvent } from '../../emulator/secrets-manager/index.js';
import type { LocalEnvironment } from '../../tools/local-env.js';
import { runProcess } from '../../tools/process.js';
import type { Versions } from './cases.js';
import { EndState } from './cases.js';
import type { CaseResult } from './check.js';
import { checkCase, sortedLabels } from './check.js';
import { cliArgsOf } from './decide.js';

/** Runs the promote line of a Needs Decision event; undefined when no event asks for a decision. */
export const runDecision = async (
  local: LocalEnvironment,
  events: readonly RecordedEvent[],
  versions: Versions,
  out: (line?: string) => void
): Promise<CaseResult | undefined> => {
  const decide = events.find((e) => e.detailType === 'Rotation Remediation Needs Decision')?.detail
    .decide as { promote?: { cli?: string } } | null | undefined;
  const line = decide?.promote?.cli;
  if (line === undefined) return undefined;
  const title = 'The decision: the promote command from the event, run as given';
  out(`━━ ${title}`);
  out(`   command   ${line}`);
  const result = await runProcess(
    process.execPath,
    [join(__dirname, 'cli.js'), ...cliArgsOf(line)],
    {
      env: { ...process.env, ...local.env() },
    }
  );
  for (const text of result.stdout.trim().split('\n')) out(`   cli       ${text}`);
  const arn = events[0]?.resources[0] ?? '';
  const labels = sortedLabels(local.emulator.store.labels(arn));
  const rotationEnabled = local.emulator.store.describe(arn).RotationEnabled ?? null;
  const problems = checkCase(
    { status: 'exit 0', labels: sortedLabels(EndState.promoted(versions)), rotationEnabled: false },
    { status: `exit ${result.code}`, labels, rotationEnabled }
  );
  out(
    problems.length === 0
      ? '   repaired  yes: the pending version is AWSCURRENT, rotation off'
      : `   repaired  NO, WRONG END STATE: ${problems.join('; ')}`
  );
  out();
  return { title, problems };
};
