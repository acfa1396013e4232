/**
 * Bearer-authenticated `GET /v1/me` against unauthenticated `GET /health/live`, through the real gateway.
 *
 * `/health/live` is the cheapest route the gateway has: Express, the middleware every request passes,
 * Nest's routing, a constant body. `/v1/me` adds what an authenticated API call costs: the Bearer guard (a
 * hash and a cache lookup once the token's signature has been verified) and the user's profile, which the
 * gateway keeps after the first request and forgets when identity announces a change (a link or unlink event;
 * see docs/decisions/005). The figure is the throughput ratio `/v1/me ÷ /health/live` (target ≥ 0.7): both
 * are measured in the same run on the same machine, so the ratio says what authentication costs relative to
 * the bare gateway, while the absolute requests per second mostly say how fast the machine is.
 *
 * Everything shares the machine: the five services, PostgreSQL, NATS, Redis and autocannon (in this process).
 * Once the profile is cached, both endpoints keep the gateway process busy and little else, so the ratio is
 * what the Bearer guard and the cache lookup add to a request.
 * The bench reports; it does not assert the target. It fails only if a request fails (non-2xx or no reply).
 */
import { commonVariables, loadConfigOrExit } from '@tessera/config';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { HttpLoadResult, mergeHttpLoadResults, runHttpLoad } from '../lib/http-load';
import { inAlternatingRounds } from '../lib/load';
import { LatencySummary, summarize } from '../lib/stats';
import { formatInteger, formatRatio, renderTable } from '../lib/table';
import { TesseraStack, launchTessera } from '../lib/tessera-stack';
import { SignedInUser, signInBenchUser } from './bearer-token';
import { count, progress } from '../lib/cli';

const DEFAULT_CONNECTIONS = 32;
const DEFAULT_DURATION_SECONDS = 5;
const DEFAULT_ROUNDS = 3;
const DEFAULT_WARMUP_SECONDS = 3;
const RATIO_TARGET = 0.7;

const USAGE = `Usage: npm run bench:auth-bearer -- [--connections N] [--duration S] [--rounds N] [--warmup S]

Starts Tessera as \`npm start\` does (own database, Redis prefix and port; NATS, PostgreSQL and Redis must
run), signs a user in, and measures with autocannon, through the gateway:
  GET /v1/me        with Authorization: Bearer <access token> (token check + the cached profile)
  GET /health/live  without authentication (the bare gateway)
For each: requests/s, p50 and p99 latency and non-2xx replies; then the throughput ratio
/v1/me ÷ /health/live (target ≥ ${RATIO_TARGET}; reported, not asserted). Exits 1 if any request failed.

Options:
  --connections N  concurrent keep-alive connections, each with one request in flight
                   (default ${DEFAULT_CONNECTIONS})
  --duration S     seconds measured per endpoint in each round (default ${DEFAULT_DURATION_SECONDS})
  --rounds N       the endpoints alternate in N rounds, so that drift in the machine's speed hits both
                   alike (default ${DEFAULT_ROUNDS})
  --warmup S       unmeasured seconds per endpoint before measuring (default ${DEFAULT_WARMUP_SECONDS})
  --help           show this text

Progress goes to stderr; stdout gets a table and, last, one JSON line with every figure.`;

type TargetKey = 'me' | 'live';

interface Target {
  key: TargetKey;
  path: string;
  label: string;
  headers?: Record<string, string>;
}

interface Options {
  connections: number;
  durationSeconds: number;
  rounds: number;
  warmupSeconds: number;
}

interface TargetResult {
  throughput: number;
  latency: LatencySummary;
  replies: number;
  statuses: Record<string, number>;
  non2xx: number;
  errors: number;
  /** The load generator's average CPU use, in % of one core: the machine it left to the server. */
  clientCpuPercent: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  return {
    connections: count('--connections', values.connections, DEFAULT_CONNECTIONS, 1),
    durationSeconds: count('--duration', values.duration, DEFAULT_DURATION_SECONDS, 1),
    rounds: count('--rounds', values.rounds, DEFAULT_ROUNDS, 1),
    warmupSeconds: count('--warmup', values.warmup, DEFAULT_WARMUP_SECONDS, 0),
  };
}

function describeFailures(label: string, result: HttpLoadResult): string | undefined {
  if (result.non2xx === 0 && result.errors === 0) return undefined;
  const statuses = Object.entries(result.statuses)
    .map(([status, n]) => `${status}: ${formatInteger(n)}`)
    .join(', ');
  const counts = `${formatInteger(result.non2xx)} non-2xx, ${formatInteger(result.errors)} without reply`;
  return `${label}: ${counts} (${statuses})`;
}

/** Proves both endpoints answer what they should before anything is timed: a fast 401 is no result. */
async function checkOnce(stack: TesseraStack, targets: Target[], signedIn: SignedInUser): Promise<void> {
  for (const target of targets) {
    const response = await fetch(`${stack.url}${target.path}`, {
      headers: target.headers,
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    const expected =
      target.key === 'me'
        ? body?.id === signedIn.user.id && body?.email === signedIn.user.email
        : body?.status === 'live';
    if (response.status !== 200 || !expected) {
      throw new Error(`${target.label} answered ${response.status}: ${JSON.stringify(body)}`);
    }
  }
}

async function measure(
  stack: TesseraStack,
  targets: Target[],
  options: Options,
  signal: AbortSignal,
  guard: <T>(work: Promise<T>) => Promise<T>,
): Promise<Record<TargetKey, HttpLoadResult>> {
  const load = (target: Target, durationSeconds: number): Promise<HttpLoadResult> =>
    guard(
      runHttpLoad({
        url: `${stack.url}${target.path}`,
        headers: target.headers,
        connections: options.connections,
        durationSeconds,
        signal,
      }),
    );

  if (options.warmupSeconds > 0) {
    for (const target of targets) {
      progress(`warm-up: ${target.label} (${options.warmupSeconds} s)`);
      const result = await load(target, options.warmupSeconds);
      // Measuring on after failures would only time the failures.
      const failures = describeFailures(target.label, result);
      if (failures) throw new Error(`failed during warm-up: ${failures}`);
    }
  }

  const byKey = new Map(targets.map((target) => [target.key, target]));
  const parts: Record<TargetKey, HttpLoadResult[]> = { me: [], live: [] };
  await inAlternatingRounds(
    targets.map(({ key }) => key),
    options.rounds,
    async (key) => {
      const target = byKey.get(key)!;
      const result = await load(target, options.durationSeconds);
      parts[key].push(result);
      progress(`  ${target.label}: ${formatInteger(result.throughput)} req/s`);
    },
    (round, rounds) => progress(`round ${round}/${rounds}`),
  );
  const merged = { me: mergeHttpLoadResults(parts.me), live: mergeHttpLoadResults(parts.live) };
  for (const target of targets) {
    // Without a single reply there is nothing to report but the failure (possible with --warmup 0).
    if (merged[target.key].samplesUs.length === 0) {
      const failures = describeFailures(target.label, merged[target.key]) ?? target.label;
      throw new Error(`not a single reply: ${failures}`);
    }
  }
  return merged;
}

async function main(): Promise<void> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  // Before anything of ours runs: other work on the machine slows both endpoints, not always alike, so the
  // report shows how busy it was.
  const loadBefore = os.loadavg()[0];

  // Where PostgreSQL, NATS and Redis are; everything else is the supervisor's to read.
  const { databaseUrl, natsUrls, redisUrl } = loadConfigOrExit({
    databaseUrl: commonVariables.databaseUrl,
    natsUrls: commonVariables.natsUrls,
    redisUrl: commonVariables.redisUrl,
  });

  // Ctrl-C or SIGTERM stops the load and still cleans up; a second one ends the process at once (the
  // default, as the handlers are `once`).
  const interruption = new AbortController();
  const interrupted = new Promise<never>((_, reject) =>
    interruption.signal.addEventListener('abort', () => reject(interruption.signal.reason)),
  );
  interrupted.catch(() => undefined); // only an error for whoever races against it
  const onSignal = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping (again to abandon the clean-up)`);
    interruption.abort(new Interrupted(signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let stack: TesseraStack | undefined;
  try {
    const started = Date.now();
    stack = await launchTessera({
      databaseUrl,
      natsUrls,
      redisUrl,
      environment: {
        // The token exchange is rate-limited per client address; the bench signs in once, but reruns add up.
        TESSERA_AUTH_RATE_LIMIT: '100000',
        // The longest allowed, so that no run outlasts its access token: a refresh would be another bench.
        TESSERA_ACCESS_TOKEN_TTL_SECONDS: '86400',
      },
      onOutput: (line) => progress(`  | ${line}`),
    });
    const running = stack;
    const guard = <T>(work: Promise<T>): Promise<T> => Promise.race([work, running.exited, interrupted]);

    const database = new URL(stack.databaseUrl).pathname.slice(1);
    progress(`auth-bearer: starting Tessera at ${stack.url}, database ${database}`);
    await guard(stack.ready);
    progress(`Tessera is ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    const signedIn = await guard(signInBenchUser(stack.url, stack.databaseUrl));
    progress(`signed in as ${signedIn.user.email} (${signedIn.user.id})`);
    const targets: Target[] = [
      {
        key: 'me',
        path: '/v1/me',
        label: 'GET /v1/me (Bearer)',
        headers: { authorization: `Bearer ${signedIn.accessToken}` },
      },
      { key: 'live', path: '/health/live', label: 'GET /health/live' },
    ];
    await guard(checkOnce(stack, targets, signedIn));

    const merged = await measure(stack, targets, options, interruption.signal, guard);
    const results = Object.fromEntries(
      targets.map(({ key }) => {
        const { throughput, samplesUs, elapsedMs, statuses, non2xx, errors, clientCpuMs } = merged[key];
        const result: TargetResult = {
          throughput,
          latency: summarize(samplesUs),
          replies: samplesUs.length,
          statuses,
          non2xx,
          errors,
          clientCpuPercent: (100 * clientCpuMs) / elapsedMs,
        };
        return [key, result];
      }),
    ) as Record<TargetKey, TargetResult>;
    const failures = targets
      .map((target) => describeFailures(target.label, merged[target.key]))
      .filter((line) => line !== undefined);
    report(targets, results, options, { ok: failures.length === 0, loadBefore });
    if (failures.length > 0) {
      for (const line of failures) progress(`✗ ${line}`);
      process.exitCode = 1;
    }
  } finally {
    if (stack) {
      progress('stopping Tessera, dropping its database and Redis keys');
      await stack.stop().catch((error: unknown) => {
        progress(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      });
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

function report(
  targets: Target[],
  results: Record<TargetKey, TargetResult>,
  options: Options,
  run: { ok: boolean; loadBefore: number },
): void {
  const { ok } = run;
  const ms = (us: number): string => (us / 1000).toFixed(2);
  const ratio = results.me.throughput / results.live.throughput;
  const cpus = os.cpus();

  const lines = [
    '',
    'Bearer-authenticated GET /v1/me vs unauthenticated GET /health/live, through the gateway',
    `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `load average ${run.loadBefore.toFixed(2)} before the run;`,
    'the five services, PostgreSQL, NATS, Redis and autocannon all share the machine',
    `per endpoint: warm-up ${options.warmupSeconds} s, then ` +
      `${options.rounds} × ${options.durationSeconds} s in alternating rounds, ` +
      `${options.connections} connections; latencies in ms`,
    '',
    renderTable(
      ['endpoint', 'req/s', 'p50', 'p99', 'requests', 'non-2xx', 'no reply', 'client CPU'],
      targets.map(({ key, label }) => {
        const result = results[key];
        return [
          label,
          formatInteger(result.throughput),
          ms(result.latency.p50Us),
          ms(result.latency.p99Us),
          formatInteger(result.replies),
          formatInteger(result.non2xx),
          formatInteger(result.errors),
          `${Math.round(result.clientCpuPercent)}%`,
        ];
      }),
    ),
    '',
    `throughput /v1/me ÷ /health/live: ${formatRatio(ratio)} (target ≥ ${RATIO_TARGET.toFixed(2)}×: ` +
      `${!ok ? 'meaningless, requests failed' : ratio >= RATIO_TARGET ? 'met' : 'not met'})`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const round = (value: number, digits: number): number => Number(value.toFixed(digits));
  const figures = (key: TargetKey) => {
    const result = results[key];
    return {
      path: targets.find((target) => target.key === key)!.path,
      throughput: Math.round(result.throughput),
      p50Ms: round(result.latency.p50Us / 1000, 3),
      p99Ms: round(result.latency.p99Us / 1000, 3),
      requests: result.replies,
      non2xx: result.non2xx,
      errors: result.errors,
      statuses: result.statuses,
      clientCpuPercent: Math.round(result.clientCpuPercent),
    };
  };
  const json = {
    bench: 'auth-bearer',
    at: new Date().toISOString(),
    // false: some request failed, so the figures time failures, and the run exits 1.
    ok,
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    loadAverageBefore: round(run.loadBefore, 2),
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    rounds: options.rounds,
    warmupSeconds: options.warmupSeconds,
    results: { me: figures('me'), live: figures('live') },
    ratio: round(ratio, 3),
    ratioTarget: RATIO_TARGET,
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof Interrupted) {
    // The shell's convention for death by a signal, although the clean-up ran.
    process.exitCode = 128 + (os.constants.signals[error.signal] ?? 0);
    return;
  }
  progress(`auth-bearer failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
