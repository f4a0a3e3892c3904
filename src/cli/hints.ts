/**
 * What to do next, for the errors an operator meets before any AWS call answers: no region, or a
 * profile that gives no credentials. The SDK's own messages name neither the flag nor the profile.
 */

/** The error and its causes, outermost first (at most 5 deep). */
const chainOf = (error: unknown): unknown[] => {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 5; ) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
};

const textOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * A hint to append to the message of `error`, or '' when none: `--region` for a missing region;
 * the profile's name when credentials failed with one selected (`--profile` or `AWS_PROFILE`).
 */
export const hintFor = (error: unknown, profile: string | undefined): string => {
  const texts = chainOf(error).map(textOf);
  if (texts.some((text) => /Region is missing/i.test(text))) {
    return ' Hint: no region: pass --region (e.g. --region us-east-1), set AWS_REGION, or give the profile a region.';
  }
  const credentials = texts.some((text) =>
    /CredentialsProviderError|Could not load credentials|profile/i.test(text)
  );
  if (credentials && profile !== undefined && profile !== '') {
    return ` Hint: the profile "${profile}" (--profile or AWS_PROFILE) gave no credentials: is it in ~/.aws/config or ~/.aws/credentials (aws configure list-profiles), and signed in?`;
  }
  return '';
};
