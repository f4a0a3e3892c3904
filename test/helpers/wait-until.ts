/**
 * Waiting on a condition instead of a clock: race tests hold a write in an emulator hook until the
 * competing invocations have provably arrived.
 */

/**
 * Resolves once `ready()` holds (polled every 5 ms); rejects after `maxMs` so a test cannot hang
 * (measured on the monotonic clock, not the wall clock).
 */
export const waitUntil = async (ready: () => boolean, maxMs = 20_000): Promise<void> => {
  const deadline = performance.now() + maxMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
