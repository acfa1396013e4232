/** Latency figures of one measured phase, in microseconds. */
export interface LatencySummary {
  count: number;
  minUs: number;
  meanUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

/**
 * Nearest-rank percentile of ascending samples: always a latency that was really observed, never an
 * interpolation between two, so p99 of a run can be traced back to a request.
 */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  if (sortedAscending.length === 0) throw new Error('percentile of no samples');
  if (p < 0 || p > 100) throw new Error(`percentile must be from 0 to 100, got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1];
}

export function summarize(samplesUs: Float64Array): LatencySummary {
  // A typed-array copy sorts numerically (a plain array sorts as strings) and leaves the samples in order.
  const sorted = Float64Array.from(samplesUs).sort();
  let total = 0;
  for (const sample of sorted) total += sample;
  return {
    count: sorted.length,
    minUs: sorted[0],
    meanUs: total / sorted.length,
    p50Us: percentile(sorted, 50),
    p90Us: percentile(sorted, 90),
    p99Us: percentile(sorted, 99),
    maxUs: sorted[sorted.length - 1],
  };
}
