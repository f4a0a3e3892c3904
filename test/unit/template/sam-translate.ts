/**
 * The SAM transform as CloudFormation runs it: the template through the SAM translator that cfn-lint
 * brings (`samtranslator`, driven by cfn-lint's own wrapper, which swaps local CodeUris for S3 ones).
 * What the translator emits is what deploys, so a test of a SAM property's effect reads the output:
 * plain CloudFormation, with the template's Parameters and Conditions kept for `bindTemplate`.
 */
import { execFile } from 'node:child_process';
import type { CfnTemplate } from '../../helpers/cfn';
import { REPO_ROOT } from '../../helpers/cfn';
import { CFN_LINT_INSTALL } from './cfn-lint';

/** The translation failed: the translator's messages, or the Python error. */
export class SamTranslateError extends Error {
  public override readonly name = 'SamTranslateError';
}

const TRANSLATE = `
import json, sys
from cfnlint.template.transforms._sam import Transform
transform = Transform("template.json", json.load(sys.stdin), "us-east-1")
matches = transform.transform_template()
if matches:
    sys.stderr.write("\\n".join(match.message for match in matches))
    sys.exit(2)
json.dump(transform.template(), sys.stdout)
`;

/** Translates a parsed SAM template to CloudFormation (about a second: Python's start-up). */
export const translateTemplate = (template: CfnTemplate): Promise<CfnTemplate> =>
  new Promise((resolve, reject) => {
    const child = execFile(
      'python3',
      ['-c', TRANSLATE],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(
            new SamTranslateError(`SAM translation failed (${CFN_LINT_INSTALL}): ${stderr}`, {
              cause: error,
            })
          );
          return;
        }
        resolve(JSON.parse(stdout) as CfnTemplate);
      }
    );
    child.stdin?.end(JSON.stringify(template));
  });
