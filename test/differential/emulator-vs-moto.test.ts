/**
 * Differential test: one script of public SDK calls against our emulator and against moto_server;
 * responses normalised and compared field by field. Every difference must be a known moto quirk, and
 * every known quirk must still occur. Runs only in the `differential` jest project (needs moto_server).
 */
import type { Backend } from './backends.js';
import { startEmulatorBackend, startMotoBackend } from './backends.js';
import type { Row } from './compare.js';
import { compareCall, NEW_DIFFERENCE, renderTable } from './compare.js';
import { MOTO_QUIRKS } from './quirks.js';
import { ID_NAMES, runScript, SCRIPT } from './script.js';

const backends: Backend[] = [];
let rows: Row[] = [];
/** Stands in for a call a backend never answered (its script stopped short). */
const noOutcome = { ok: false, error: 'not run' } as const;

const summary = (all: readonly Row[]): string => {
  const differing = all.filter((row) => row.verdict !== 'same').length;
  return `${all.length} fields compared, ${all.length - differing} the same, ${differing} different`;
};

beforeAll(async () => {
  const started = await Promise.allSettled([startEmulatorBackend(), startMotoBackend()]);
  for (const result of started) if (result.status === 'fulfilled') backends.push(result.value);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const [emulator, moto] = await Promise.all(backends.map((b) => runScript(b.client)));
  rows = SCRIPT.flatMap(({ call }, index) =>
    compareCall(
      call,
      emulator?.[index] ?? noOutcome,
      moto?.[index] ?? noOutcome,
      ID_NAMES,
      MOTO_QUIRKS
    )
  );
  process.stdout.write(
    `\nEmulator vs moto 5.2, field by field (${summary(rows)}):\n\n${renderTable(rows)}\n`
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.stop()));
});

describe('our emulator against moto 5.2', () => {
  it('compares every call of the script, each under its own name', () => {
    // Prepare
    const calls = SCRIPT.map((s) => s.call);

    // Act
    const compared = [...new Set(rows.map((row) => row.call))];

    // Assess
    expect(new Set(calls).size).toBe(calls.length);
    expect(compared).toEqual(calls);
  });

  it('finds no difference that is not a known moto quirk', () => {
    // Prepare
    const differences = rows.filter((row) => row.verdict !== 'same');

    // Act
    const unexplained = differences.filter((row) => row.verdict === NEW_DIFFERENCE);

    // Assess
    expect(unexplained).toEqual([]);
  });

  it.each(MOTO_QUIRKS.map((quirk) => ({ id: quirk.id })))('quirk $id still occurs', ({ id }) => {
    // Prepare
    const verdicts = rows.map((row) => row.verdict);

    // Act
    const occurrences = verdicts.filter((verdict) => verdict === id).length;

    // Assess
    expect(occurrences).toBeGreaterThan(0);
  });
});
