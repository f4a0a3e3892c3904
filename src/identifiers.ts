/**
 * The identifiers every part of the remediator checks input against: secret names and ARNs.
 * Triggers (command schemas) and the sweep (continuations) both import them from here.
 */

/** Secret names: ASCII letters, digits and `/_+=.@-`, plus `!` for service-managed secrets. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]+$/;

/** Full Secrets Manager ARNs, in any partition. */
export const SECRET_ARN_PATTERN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;

/** An AWS account id: twelve digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** An AWS region name (`us-east-1`, `eu-central-2`, `us-gov-west-1`). */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Where a run acts: the account and region, each when known. */
export interface RunScope {
  account?: string | undefined;
  region?: string | undefined;
}

/** The parts of a function ARN (`arn:<partition>:lambda:<region>:<account>:function:...`). */
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:/;

/**
 * The scope of this run: account and region from the invoked function's ARN (a Lambda context),
 * else the region alone from `AWS_REGION` (the CLI, which knows no account without an AWS call).
 */
export const runScopeOf = (
  invokedFunctionArn: string | undefined,
  region: string | undefined
): RunScope => {
  const match = FUNCTION_ARN.exec(invokedFunctionArn ?? '');
  if (match !== null) return { region: match[1], account: match[2] };
  return { region: region !== undefined && REGION_PATTERN.test(region) ? region : undefined };
};

/** The region and account an ARN names (`arn:<partition>:<service>:<region>:<account>:...`). */
export const scopeOfArn = (arn: string): RunScope => {
  const [, , , region, account] = arn.split(':');
  return { region, account };
};

/**
 * True when `named` (what a token or an ARN names) contradicts `current`: a part both know and
 * that differs. A part either side does not know cannot contradict.
 */
export const contradictsScope = (named: RunScope, current: RunScope): boolean =>
  (named.account !== undefined &&
    current.account !== undefined &&
    named.account !== current.account) ||
  (named.region !== undefined && current.region !== undefined && named.region !== current.region);
