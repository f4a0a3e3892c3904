/**
 * The margin a deadline-bounded run (the sweep, the report) keeps before the Lambda deadline: no
 * new work starts inside it.
 */

/** Largest safety margin kept before the Lambda deadline: 10 s. */
export const MAX_DEADLINE_MARGIN_MS = 10_000;

/**
 * The margin kept before the deadline, for remediations in flight to finish: 10 s, or half the
 * time left when the run starts if that is less (so a short run still makes progress). A healthy
 * remediation takes well under a second even while waiting for tokens; a remediation cut off by
 * the timeout anyway holds its idempotency lock only until the deadline, and the next run
 * re-examines the secret.
 */
export const deadlineMarginMs = (remainingAtStartMs: number): number =>
  Math.max(0, Math.min(MAX_DEADLINE_MARGIN_MS, remainingAtStartMs / 2));
