/**
 * Captures what the code under test writes to stdout and stderr (Powertools Logger and Metrics
 * write there), as raw lines and as parsed JSON records.
 */

/** Captured output. */
export class LogCapture {
  readonly #lines: string[] = [];
  #restore: (() => void) | undefined;

  /** Starts capturing (and silencing) stdout and stderr. */
  public start(): this {
    const streams = [process.stdout, process.stderr] as const;
    const originals = streams.map((stream) => stream.write);
    for (const stream of streams) {
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        this.#lines.push(
          ...String(chunk)
            .split('\n')
            .filter((line) => line.trim() !== '')
        );
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof stream.write;
    }
    this.#restore = () => {
      streams.forEach((stream, index) => {
        stream.write = originals[index] as typeof stream.write;
      });
    };
    return this;
  }

  /** Stops capturing. */
  public stop(): void {
    this.#restore?.();
    this.#restore = undefined;
  }

  /** Forgets what was captured. */
  public reset(): void {
    this.#lines.length = 0;
  }

  /** Every captured line, raw. */
  public get lines(): readonly string[] {
    return this.#lines;
  }

  /** Lines that parse as JSON objects. */
  public records(): Record<string, unknown>[] {
    return this.#lines.flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null
          ? [value as Record<string, unknown>]
          : [];
      } catch {
        return [];
      }
    });
  }

  /** The `audit` objects of the captured log records, in order. */
  public auditRecords(): Record<string, unknown>[] {
    return this.records()
      .map((record) => record.audit)
      .filter(
        (audit): audit is Record<string, unknown> => typeof audit === 'object' && audit !== null
      );
  }
}
