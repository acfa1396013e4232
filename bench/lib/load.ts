import { performance } from 'node:perf_hooks';

/** One request of a bench: resolves when its reply is in, rejects if it failed. */
export type Call = () => Promise<unknown>;

export interface LoadResult {
  /** Round-trip time of every request, in microseconds, in the order they were started. */
  samplesUs: Float64Array;
  /** Wall time from the first request sent to the last reply received. */
  elapsedMs: number;
  /** Completed requests per second over `elapsedMs`. */
  throughput: number;
}

/**
 * Runs `count` requests with at most `inFlight` outstanding: a fixed pool of loops that each send the next
 * request as soon as their previous reply is in (a closed loop). The pool is what bounds memory and keeps the
 * latency figures honest: an open loop would measure the queue it builds, not the transport.
 * `inFlight: 1` is the sequential case.
 */
export async function runLoad(call: Call, count: number, inFlight: number): Promise<LoadResult> {
  const samplesUs = new Float64Array(count);
  let next = 0;
  let failure: unknown;
  const loop = async (): Promise<void> => {
    // After a failure the other loops stop at their next request: the bench fails fast instead of hanging on.
    while (next < count && failure === undefined) {
      const index = next++;
      const started = performance.now();
      try {
        await call();
      } catch (error) {
        failure ??= error;
        return;
      }
      samplesUs[index] = (performance.now() - started) * 1000;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, count)) }, loop));
  const elapsedMs = performance.now() - started;
  if (failure !== undefined) throw failure;
  return { samplesUs, elapsedMs, throughput: count / (elapsedMs / 1000) };
}

/**
 * Runs the same load against several clients in alternating rounds (rotating which goes first) instead of one
 * block each. On a shared or throttled machine speed drifts over a run; interleaving spreads that drift over
 * every client alike, so the ratios between them stay meaningful even when the absolute figures move.
 */
export async function runInterleaved<K extends string>(
  calls: Record<K, Call>,
  count: number,
  inFlight: number,
  rounds: number,
  onRound?: (round: number, rounds: number) => void,
): Promise<Record<K, LoadResult>> {
  const keys = Object.keys(calls) as K[];
  const sizes = splitEvenly(count, Math.min(rounds, count));
  const parts = Object.fromEntries(keys.map((key) => [key, [] as LoadResult[]])) as Record<K, LoadResult[]>;
  await inAlternatingRounds(
    keys,
    sizes.length,
    async (key, round) => void parts[key].push(await runLoad(calls[key], sizes[round], inFlight)),
    onRound,
  );
  return Object.fromEntries(keys.map((key) => [key, mergeLoadResults(parts[key])])) as Record<K, LoadResult>;
}

/**
 * The schedule of `runInterleaved`, for benches whose load is not a `Call` (e.g. an HTTP load generator):
 * `measure` runs once per key in each round (`round` counts from 0), and the key that goes first rotates.
 */
export async function inAlternatingRounds<K>(
  keys: readonly K[],
  rounds: number,
  measure: (key: K, round: number) => Promise<void>,
  onRound?: (round: number, rounds: number) => void,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    onRound?.(round + 1, rounds);
    for (let i = 0; i < keys.length; i++) await measure(keys[(round + i) % keys.length], round);
  }
}

/** `total` as `parts` whole numbers that differ by at most one. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, index) => base + (index < total % parts ? 1 : 0));
}

/**
 * The rounds of one client as one result. Elapsed times add up, so the throughput is over the measured time
 * only, not over the pauses in which the other clients ran.
 */
export function mergeLoadResults(results: LoadResult[]): LoadResult {
  const samplesUs = new Float64Array(results.reduce((sum, result) => sum + result.samplesUs.length, 0));
  let offset = 0;
  let elapsedMs = 0;
  for (const result of results) {
    samplesUs.set(result.samplesUs, offset);
    offset += result.samplesUs.length;
    elapsedMs += result.elapsedMs;
  }
  return { samplesUs, elapsedMs, throughput: samplesUs.length / (elapsedMs / 1000) };
}
