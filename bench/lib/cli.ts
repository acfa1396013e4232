/** Command-line helpers shared by the benches. */

export class UsageError extends Error {}

/** A whole-number option (underscores allowed, `100_000`), or the fallback when it is not given. */
export function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Progress goes to stderr so that stdout holds only the report, and its last line is the JSON. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
