/**
 * Global setup of the reliability project: a fresh directory for this run's counter files, named
 * in the environment so every test worker (started afterwards) writes there.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Global hooks are loaded by Node's own require, without the projects' moduleNameMapper: no `.js`.
import { REPORT_DIR_VARIABLE } from './counters';

/** Creates the run's counter directory. */
export default async function globalSetup(): Promise<void> {
  process.env[REPORT_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'rr-reliability-'));
}
