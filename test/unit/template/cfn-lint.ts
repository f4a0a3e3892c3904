/**
 * Runs the Python `cfn-lint` (1.x, with the SAM translator) on templates and returns its findings
 * from `--format json`. Informational rules are included (`--include-checks I`) so a test can print
 * them; which levels fail is the test's choice. One invocation lints many files: cfn-lint's start-up
 * costs about a second, each template about half a second more.
 */
import { execFile } from 'node:child_process';
import { REPO_ROOT } from '../../helpers/cfn';

/** The version this project validates with (the rule ids and messages the tests name are its). */
export const CFN_LINT_VERSION = '1.51';

/** How to get cfn-lint, for the error a test shows when it is missing. */
export const CFN_LINT_INSTALL = `pip install cfn-lint (this project uses ${CFN_LINT_VERSION}: pip install 'cfn-lint==${CFN_LINT_VERSION}.*')`;

/** The level of a finding; `Error` and `Warning` fail the template tests. */
export type CfnLintLevel = 'Error' | 'Warning' | 'Informational';

/** One finding, flattened from cfn-lint's JSON. */
export interface CfnLintFinding {
  /** The file name exactly as passed to cfn-lint. */
  file: string;
  level: CfnLintLevel;
  /** Rule id, e.g. `E3002`; `E0001` is a SAM transform error (it has no path). */
  rule: string;
  /** Dotted path in the template (`Resources.Queue.Properties.X`), or undefined. */
  path: string | undefined;
  line: number;
  message: string;
}

/** cfn-lint is not on PATH (or its shim has no installation behind it). */
export class CfnLintMissingError extends Error {
  public override readonly name = 'CfnLintMissingError';
}

/** cfn-lint ran but crashed or printed no JSON. */
export class CfnLintFailedError extends Error {
  public override readonly name = 'CfnLintFailedError';
}

/** Options of {@link runCfnLint}. */
export interface CfnLintOptions {
  /** Working directory (a `.cfnlintrc` there applies); default: the repository root. */
  cwd?: string;
  /** The executable; default `cfn-lint`. */
  command?: string;
  /** Whether this is CI (changes only the message when cfn-lint is missing); default `CI=true`. */
  ci?: boolean;
}

interface RawFinding {
  Filename: string;
  Level: CfnLintLevel;
  Rule: { Id: string };
  Location: { Path: (string | number)[] | null; Start: { LineNumber: number } };
  Message: string;
}

/** The message of a {@link CfnLintMissingError}: what to install, and where. */
export const cfnLintMissingMessage = (command: string, ci: boolean): string =>
  ci
    ? `${command} is not installed on this CI runner, and the template tests need it. Add a step that runs: ${CFN_LINT_INSTALL}.`
    : `${command} is not on PATH, and the template tests need it (they are not skipped). Install it with: ${CFN_LINT_INSTALL}, or pipx install cfn-lint.`;

const toFinding = (raw: RawFinding): CfnLintFinding => ({
  file: raw.Filename,
  level: raw.Level,
  rule: raw.Rule.Id,
  path: raw.Location.Path === null ? undefined : raw.Location.Path.join('.'),
  line: raw.Location.Start.LineNumber,
  message: raw.Message,
});

const parseOutput = (stdout: string, stderr: string, code: number): CfnLintFinding[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    parsed = undefined;
  }
  // Exit code bits: 2 error, 4 warning, 8 informational; 1 is a crash or a usage error.
  if (!Array.isArray(parsed) || (code & 1) === 1) {
    throw new CfnLintFailedError(`cfn-lint exited with ${code}: ${stderr || stdout}`);
  }
  return (parsed as RawFinding[]).map(toFinding);
};

/**
 * Lints `templates` (paths relative to `cwd`, or absolute) in one cfn-lint invocation and returns
 * every finding, informational ones included. Rejects with {@link CfnLintMissingError} when
 * cfn-lint is not installed, with {@link CfnLintFailedError} when it crashes.
 */
export const runCfnLint = (
  templates: readonly string[],
  options: CfnLintOptions = {}
): Promise<CfnLintFinding[]> => {
  const { cwd = REPO_ROOT, command = 'cfn-lint', ci = process.env.CI === 'true' } = options;
  const args = ['--format', 'json', '--include-checks', 'I', '--', ...templates];
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : error.code;
      // ENOENT: not on PATH; 127: a shim (pyenv, asdf) whose current environment lacks it.
      if (code === 'ENOENT' || code === 127) {
        reject(new CfnLintMissingError(cfnLintMissingMessage(command, ci)));
        return;
      }
      try {
        resolve(parseOutput(stdout, stderr, typeof code === 'number' ? code : 1));
      } catch (failure) {
        reject(failure);
      }
    });
  });
};

/** One line per finding, for assertion messages and the informational printout. */
export const formatFinding = (finding: CfnLintFinding): string =>
  `${finding.file}:${finding.line} ${finding.level} ${finding.rule} ${finding.path ?? '(transform)'}: ${finding.message}`;
