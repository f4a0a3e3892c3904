/**
 * Global teardown of the reliability project: prints the reliability table from the counter files
 * the test files wrote, after Jest's own summary, then removes the run's directory.
 */
import { rmSync } from 'node:fs';
// Global hooks are loaded by Node's own require, without the projects' moduleNameMapper: no `.js`.
import { readCounters, reportDir } from './counters';
import { renderTable } from './table';

/** Prints the table. */
export default async function globalTeardown(): Promise<void> {
  const dir = reportDir();
  process.stdout.write(`\n${renderTable(readCounters(dir))}\n`);
  rmSync(dir, { recursive: true, force: true });
}
