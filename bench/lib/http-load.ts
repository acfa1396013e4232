import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { LoadResult, mergeLoadResults } from './load';

export interface HttpLoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Keep-alive connections, each with one request in flight (a closed loop, as `runLoad`). */
  connections: number;
  durationSeconds: number;
  /** Ends the run early (at autocannon's next one-second tick); it then resolves with what it measured. */
  signal?: AbortSignal;
}

/** A `LoadResult` (every reply's latency, whatever its status) plus what the replies were. */
export interface HttpLoadResult extends LoadResult {
  /** Replies by HTTP status. */
  statuses: Record<string, number>;
  /** Replies whose status was not 2xx. */
  non2xx: number;
  /** Requests that got no reply: connection errors and timeouts. */
  errors: number;
  /**
   * CPU time this process (the load generator) used during the run. The client shares the machine with the
   * server, so this says how much of the machine the measurement itself took.
   */
  clientCpuMs: number;
}

/** Seconds without a reply before autocannon gives a request up; as in nats-echo, a timeout means broken. */
const TIMEOUT_SECONDS = 5;

/**
 * Drives an HTTP endpoint with autocannon for a fixed time. Latencies come from autocannon's per-reply events
 * rather than its histogram, which keeps whole milliseconds: too coarse for replies that take one or two.
 * Throughput is replies over the wall time of the whole run.
 */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const samplesMs: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const run = autocannon({
    url: options.url,
    headers: options.headers,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: TIMEOUT_SECONDS,
  });
  run.on('response', (_client, _status, _bytes, responseTimeMs) => void samplesMs.push(responseTimeMs));
  const stop = (): void => run.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  let result: autocannon.Result;
  try {
    result = await run;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const samplesUs = Float64Array.from(samplesMs, (ms) => ms * 1000);
  return {
    samplesUs,
    elapsedMs,
    throughput: samplesUs.length / (elapsedMs / 1000),
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
    ),
    non2xx: result.non2xx,
    // autocannon counts a timeout as an error too.
    errors: result.errors,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/** The rounds of one endpoint as one result (see `mergeLoadResults`), with their replies counted together. */
export function mergeHttpLoadResults(results: HttpLoadResult[]): HttpLoadResult {
  const statuses: Record<string, number> = {};
  for (const result of results)
    for (const [status, count] of Object.entries(result.statuses))
      statuses[status] = (statuses[status] ?? 0) + count;
  return {
    ...mergeLoadResults(results),
    statuses,
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    clientCpuMs: results.reduce((sum, result) => sum + result.clientCpuMs, 0),
  };
}
