/**
 * The decision point's hot path: `tessera.authz.check` with an API key, against the raw NATS echo measured in the
 * same run (the floor every NATS figure is stated against; see bench/nats-echo).
 *
 * 1. Cached key: the gateway has verified the key before, so a check is a checksum, an HMAC, a few map lookups
 *    and a CASL `can()`. Compared with a raw echo at 1 in flight (p50, target ≤ 1.5×) and 64 in flight
 *    (throughput, target ≥ 0.6×). Both are requested with plain `nc.request` from this process.
 * 2. Uncached verify with a big table: the keys table is filled with `--keys` rows (default 1,000,000), then
 *    `--uncached` real keys (made with the same format and pepper as the keys service) are each checked once, so
 *    every check asks the keys service, which looks the key up in PostgreSQL (target p50 ≤ 3 ms).
 * 3. Usage recording: throughput at 64 in flight with `record: true` against without (target: costs ≤ 10 %).
 * 4. Over HTTP: `GET /v1/principal` with `Authorization: Key` against `GET /health/live` (target ≥ 0.7×).
 * 5. Telemetry: throughput at 64 in flight of three installations side by side, without telemetry, with metrics
 *    (scraped), and with metrics and every trace exported (target: metrics cost ≤ 5 %); see telemetry-overhead.ts.
 *
 * Everything shares the machine: the five services, PostgreSQL, NATS, Redis and this process. The bench
 * reports; it asserts nothing but that every check was allowed and every HTTP request answered 200.
 */
import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { API_KEY_PEPPER_PURPOSE, apiKeyHash, apiKeyHint, deriveKey, generateApiKey } from '@tessera/runtime';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { count, progress } from '../lib/cli';
import { HttpLoadResult, mergeHttpLoadResults, runHttpLoad } from '../lib/http-load';
import { Call, LoadResult, inAlternatingRounds, runInterleaved, runLoad } from '../lib/load';
import { summarize } from '../lib/stats';
import { formatInteger, formatRatio, renderTable } from '../lib/table';
import { launchTessera } from '../lib/tessera-stack';
import { TelemetrySetup, measureTelemetryOverhead, recordingNsPerCheck } from './telemetry-overhead';
import { createTeamKey } from './team-key';

const IN_FLIGHT = 64;
const FILL_BATCH = 100_000;
const TARGETS = {
  cachedP50: 1.5,
  cachedThroughput: 0.6,
  uncachedP50Ms: 3,
  recordingCost: 0.1,
  http: 0.7,
  metricsCost: 0.05,
};

const USAGE = `Usage: npm run bench:key-verify -- [--keys N] [--uncached N] [--requests N] [--rounds N]
                                    [--duration S] [--connections N]

Starts Tessera as \`npm start\` does (own database, Redis prefix and port; NATS, PostgreSQL and Redis must run),
creates a team and an API key, fills the keys table, and measures tessera.authz.check against a raw NATS echo,
uncached verification, the cost of recording usage, and a Key-authenticated HTTP request against /health/live;
then starts three more installations (each on a nats-server of its own) to measure the cost of metrics and traces.

Options:
  --keys N         rows put in the keys table before the uncached phase (default 1,000,000)
  --uncached N     distinct keys each checked once in the uncached phase (default 2,000)
  --requests N     requests per client at 1 in flight (default 10,000); ${IN_FLIGHT} in flight measures 5×N
  --rounds N       phases alternate between clients in N rounds (default 5)
  --duration S     seconds per HTTP endpoint per round (default 5)
  --connections N  HTTP keep-alive connections (default 32)
  --help           show this text

Progress goes to stderr; stdout gets a table and, last, one JSON line with every figure.`;

const codec = JSONCodec();

interface Options {
  keys: number;
  uncached: number;
  requests: number;
  rounds: number;
  duration: number;
  connections: number;
}

function parseOptions(): Options | 'help' {
  const text = { type: 'string' } as const;
  const { values } = parseArgs({
    options: {
      keys: text,
      uncached: text,
      requests: text,
      rounds: text,
      duration: text,
      connections: text,
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  return {
    keys: count('--keys', values.keys, 1_000_000, 0),
    uncached: count('--uncached', values.uncached, 2_000, 1),
    requests: count('--requests', values.requests, 10_000, 1),
    rounds: count('--rounds', values.rounds, 5, 1),
    duration: count('--duration', values.duration, 5, 1),
    connections: count('--connections', values.connections, 32, 1),
  };
}

/** One `tessera.authz.check`, failing the bench unless it is allowed. */
function checker(nc: NatsConnection, authorization: () => string, record = false): Call {
  return async () => {
    const request = { authorization: authorization(), action: 'models.call', record };
    const reply = codec.decode((await nc.request('tessera.authz.check', codec.encode(request))).data) as {
      allow?: boolean;
    };
    if (reply.allow !== true) throw new Error(`check refused: ${JSON.stringify(reply)}`);
  };
}

/** Filler rows (hashes of nothing anyone holds), in batches so progress shows; then fresh statistics. */
async function fillKeysTable(db: Client, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += FILL_BATCH) {
    const size = Math.min(FILL_BATCH, rows - done);
    await db.query(
      `WITH k AS (
         INSERT INTO keys.api_keys (id, account_id, name, scope, created_by_user_id)
         SELECT gen_random_uuid(), gen_random_uuid(), 'filler', 'API', gen_random_uuid() FROM generate_series(1, $1)
         RETURNING id)
       INSERT INTO keys.key_secrets (hash, key_id, prefix, last4)
       SELECT rtrim(translate(encode(sha256(gen_random_uuid()::text::bytea), 'base64'), '+/', '-_'), '='),
              id, 'tsk_fill', 'fill' FROM k`,
      [size],
    );
    progress(`  keys table: ${formatInteger(done + size)} / ${formatInteger(rows)} rows`);
  }
  await db.query('ANALYZE keys.api_keys; ANALYZE keys.key_secrets');
}

/** Real keys of the team, stored exactly as the keys service stores them (same format, same pepper). */
async function insertRealKeys(
  db: Client,
  secretKey: string,
  team: { teamId: string; userId: string },
  n: number,
) {
  const pepper = deriveKey(secretKey, API_KEY_PEPPER_PURPOSE);
  const keys = Array.from({ length: n }, generateApiKey);
  const ids = keys.map(() => randomUUID());
  await db.query(
    `INSERT INTO keys.api_keys (id, account_id, name, scope, created_by_user_id)
     SELECT id, $2, 'uncached', 'API', $3 FROM unnest($1::uuid[]) AS id`,
    [ids, team.teamId, team.userId],
  );
  await db.query(
    `INSERT INTO keys.key_secrets (hash, key_id, prefix, last4)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[])`,
    [
      keys.map((key) => apiKeyHash(pepper, key)),
      ids,
      keys.map((key) => apiKeyHint(key).prefix),
      keys.map((key) => apiKeyHint(key).last4),
    ],
  );
  return keys;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options === 'help') return void process.stdout.write(`${USAGE}\n`);
  const loadBefore = os.loadavg()[0];
  const config = loadConfigOrExit({
    databaseUrl: commonVariables.databaseUrl,
    natsUrls: commonVariables.natsUrls,
    redisUrl: commonVariables.redisUrl,
  });
  const secretKey = randomBytes(32).toString('base64url');
  const environment = {
    TESSERA_SECRET_KEY: secretKey,
    TESSERA_AUTH_RATE_LIMIT: '100000',
    TESSERA_ACCESS_TOKEN_TTL_SECONDS: '86400',
  };
  const stack = await launchTessera({ ...config, environment, onOutput: (line) => progress(`  | ${line}`) });
  const nc = await connect({ servers: config.natsUrls });
  const db = new Client({ connectionString: stack.databaseUrl });
  let results: Omit<Results, 'telemetry' | 'recordingNs'>;
  try {
    await Promise.race([stack.ready, stack.exited]);
    await db.connect();
    const team = await createTeamKey(stack);
    progress(`key-verify: Tessera ready at ${stack.url}; team ${team.teamId}`);

    const echoSubject = `bench.key-verify.echo.${randomBytes(4).toString('hex')}`;
    nc.subscribe(echoSubject, { callback: (_, message) => message.respond(message.data) });
    const payload = codec.encode({ authorization: `Key ${team.key}`, action: 'models.call' });
    const calls = {
      raw: () => nc.request(echoSubject, payload),
      cached: checker(nc, () => `Key ${team.key}`),
    };
    const phase = (name: string) => (round: number, rounds: number) =>
      progress(`${name}: round ${round}/${rounds}`);
    await runLoad(calls.cached, 2_000, IN_FLIGHT); // warm-up: caches, JIT, connections
    await runLoad(calls.raw, 2_000, IN_FLIGHT);
    const sequential = await runInterleaved(calls, options.requests, 1, options.rounds, phase('1 in flight'));
    const concurrent = await runInterleaved(
      calls,
      options.requests * 5,
      IN_FLIGHT,
      options.rounds,
      phase(`${IN_FLIGHT} in flight`),
    );
    const recording = await runInterleaved(
      { plain: calls.cached, recorded: checker(nc, () => `Key ${team.key}`, true) },
      options.requests * 5,
      IN_FLIGHT,
      options.rounds,
      phase('recording usage'),
    );

    progress(`filling the keys table with ${formatInteger(options.keys)} rows`);
    await fillKeysTable(db, options.keys);
    const fresh = await insertRealKeys(db, secretKey, team, options.uncached);
    let next = 0;
    progress(`uncached: ${formatInteger(fresh.length)} distinct keys, each checked once`);
    const uncached = await runLoad(
      checker(nc, () => `Key ${fresh[next++]}`),
      fresh.length,
      1,
    );

    const http = { key: [] as HttpLoadResult[], live: [] as HttpLoadResult[] };
    const targets = {
      key: { url: `${stack.url}/v1/principal`, headers: { authorization: `Key ${team.key}` } },
      live: { url: `${stack.url}/health/live` },
    };
    await inAlternatingRounds(
      ['key', 'live'] as const,
      options.rounds,
      async (name) => {
        const result = await runHttpLoad({
          ...targets[name],
          connections: options.connections,
          durationSeconds: options.duration,
        });
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(`${targets[name].url}: ${result.non2xx} non-2xx, ${result.errors} without reply`);
        http[name].push(result);
      },
      phase('HTTP'),
    );
    const httpKey = mergeHttpLoadResults(http.key);
    const httpLive = mergeHttpLoadResults(http.live);

    results = { options, loadBefore, sequential, concurrent, recording, uncached, httpKey, httpLive };
  } finally {
    await nc.close();
    await db.end().catch(() => undefined);
    await stack.stop();
  }
  const telemetry = await measureTelemetryOverhead({
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    requests: options.requests * 5,
    inFlight: IN_FLIGHT,
    rounds: options.rounds,
    environment,
  });
  report({ ...results, telemetry, recordingNs: recordingNsPerCheck() });
}

interface Results {
  options: Options;
  loadBefore: number;
  sequential: Record<'raw' | 'cached', LoadResult>;
  concurrent: Record<'raw' | 'cached', LoadResult>;
  recording: Record<'plain' | 'recorded', LoadResult>;
  uncached: LoadResult;
  httpKey: LoadResult;
  httpLive: LoadResult;
  telemetry: Record<TelemetrySetup, LoadResult>;
  recordingNs: number;
}

function report(r: Results): void {
  const ms = (us: number) => (us / 1000).toFixed(3);
  const p50 = (result: LoadResult) => summarize(result.samplesUs).p50Us;
  const p99 = (result: LoadResult) => summarize(result.samplesUs).p99Us;
  const figures = {
    cachedP50Ratio: p50(r.sequential.cached) / p50(r.sequential.raw),
    cachedThroughputRatio: r.concurrent.cached.throughput / r.concurrent.raw.throughput,
    uncachedP50Ms: p50(r.uncached) / 1000,
    recordingCost: 1 - r.recording.recorded.throughput / r.recording.plain.throughput,
    httpRatio: r.httpKey.throughput / r.httpLive.throughput,
    metricsCost: 1 - r.telemetry.metrics.throughput / r.telemetry.off.throughput,
    tracingCost: 1 - r.telemetry.traced.throughput / r.telemetry.off.throughput,
    metricsUsPerCheck: r.recordingNs / 1000,
  };
  const verdict = (met: boolean) => (met ? 'met' : 'not met');
  const row = (label: string, result: LoadResult) => [
    label,
    formatInteger(result.throughput),
    ms(p50(result)),
    ms(p99(result)),
    formatInteger(result.samplesUs.length),
  ];
  const cpus = os.cpus();
  process.stdout.write(
    [
      '',
      `tessera.authz.check with an API key; node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim()}, ` +
        `load average ${r.loadBefore.toFixed(2)} before the run; latencies in ms`,
      '',
      renderTable(
        ['what', 'req/s', 'p50', 'p99', 'requests'],
        [
          row('raw NATS echo, 1 in flight', r.sequential.raw),
          row('authz.check cached, 1 in flight', r.sequential.cached),
          row(`raw NATS echo, ${IN_FLIGHT} in flight`, r.concurrent.raw),
          row(`authz.check cached, ${IN_FLIGHT} in flight`, r.concurrent.cached),
          row(`authz.check, ${IN_FLIGHT} in flight, not recorded`, r.recording.plain),
          row(`authz.check, ${IN_FLIGHT} in flight, record: true`, r.recording.recorded),
          row(`authz.check uncached (${formatInteger(r.options.keys)} keys), 1 in flight`, r.uncached),
          row('HTTP GET /v1/principal (Key)', r.httpKey),
          row('HTTP GET /health/live', r.httpLive),
          row(`authz.check, ${IN_FLIGHT} in flight, no telemetry`, r.telemetry.off),
          row(`authz.check, ${IN_FLIGHT} in flight, metrics`, r.telemetry.metrics),
          row(`authz.check, ${IN_FLIGHT} in flight, metrics + traces`, r.telemetry.traced),
        ],
      ),
      '',
      `cached p50 ÷ raw p50:              ${formatRatio(figures.cachedP50Ratio)} (target ≤ ${TARGETS.cachedP50}×: ${verdict(figures.cachedP50Ratio <= TARGETS.cachedP50)})`,
      `cached ÷ raw throughput (${IN_FLIGHT}):     ${formatRatio(figures.cachedThroughputRatio)} (target ≥ ${TARGETS.cachedThroughput}×: ${verdict(figures.cachedThroughputRatio >= TARGETS.cachedThroughput)})`,
      `uncached p50:                      ${figures.uncachedP50Ms.toFixed(2)} ms (target ≤ ${TARGETS.uncachedP50Ms} ms: ${verdict(figures.uncachedP50Ms <= TARGETS.uncachedP50Ms)})`,
      `throughput lost to recording:      ${(figures.recordingCost * 100).toFixed(1)} % (target ≤ ${TARGETS.recordingCost * 100} %: ${verdict(figures.recordingCost <= TARGETS.recordingCost)})`,
      `HTTP Key request ÷ /health/live:   ${formatRatio(figures.httpRatio)} (target ≥ ${TARGETS.http}×: ${verdict(figures.httpRatio >= TARGETS.http)})`,
      `metrics on ÷ off throughput:       ${formatRatio(1 - figures.metricsCost)}, ${(figures.metricsCost * 100).toFixed(1)} % lost (target ≤ ${TARGETS.metricsCost * 100} %: ${verdict(figures.metricsCost <= TARGETS.metricsCost)})`,
      `throughput lost to tracing:        ${(figures.tracingCost * 100).toFixed(1)} % (every trace exported; no target)`,
      `metrics recorded per check:        ${figures.metricsUsPerCheck.toFixed(2)} µs of CPU (in this process)`,
      '',
    ].join('\n'),
  );
  const round = (value: number) => Number(value.toFixed(3));
  process.stdout.write(
    `${JSON.stringify({
      bench: 'key-verify',
      at: new Date().toISOString(),
      node: process.version,
      cpus: cpus.length,
      loadAverageBefore: round(r.loadBefore),
      options: r.options,
      figures: Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, round(value)])),
      targets: TARGETS,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  progress(`key-verify bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
