import { authzDecisionSeconds, authzDecisions, cacheLookups, enableMetrics } from '@tessera/telemetry';
import { NatsServerProcess, freePortRange } from '@tessera/testing';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { progress } from '../lib/cli';
import { Call, LoadResult, runInterleaved, runLoad } from '../lib/load';
import { TesseraStack, launchTessera } from '../lib/tessera-stack';
import { createTeamKey } from './team-key';

/** How often a gateway with metrics is scraped while it is measured: Prometheus' default interval is 15 s. */
const SCRAPE_EVERY_MS = 5000;
const codec = JSONCodec();

export const TELEMETRY_SETUPS = ['off', 'metrics', 'traced'] as const;
export type TelemetrySetup = (typeof TELEMETRY_SETUPS)[number];

export interface OverheadOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Requests per setup, split over `rounds`. */
  requests: number;
  inFlight: number;
  rounds: number;
  environment: Record<string, string>;
}

/**
 * The cost of telemetry on the hot path: three Tessera installations side by side, identical but for
 * `off` (neither variable), `metrics` (TESSERA_METRICS_PORT, scraped every few seconds as Prometheus would) and
 * `traced` (metrics and OTEL_EXPORTER_OTLP_ENDPOINT, every trace exported to a receiver here that accepts and
 * drops them). Each runs on a nats-server of its own, started alike so no installation's NATS is favoured, and
 * cached `tessera.authz.check` calls alternate between them in rounds.
 */
export async function measureTelemetryOverhead(
  options: OverheadOptions,
): Promise<Record<TelemetrySetup, LoadResult>> {
  const servers = await Promise.all(TELEMETRY_SETUPS.map(() => NatsServerProcess.start()));
  const [metricsBase, tracedMetricsBase] = [await freePortRange(5), await freePortRange(5)];
  const collector = await startDroppingCollector();
  const stacks: TesseraStack[] = [];
  const connections: NatsConnection[] = [];
  let scraper: NodeJS.Timeout | undefined;
  const metrics = (base: number) => ({
    TESSERA_METRICS_PORT: String(base),
    TESSERA_METRICS_HOST: '127.0.0.1',
  });
  const environments: Record<TelemetrySetup, Record<string, string>> = {
    off: {},
    metrics: metrics(metricsBase),
    traced: { ...metrics(tracedMetricsBase), OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
  };
  try {
    for (const [index, setup] of TELEMETRY_SETUPS.entries()) {
      const url = servers[index].url;
      stacks.push(
        await launchTessera({
          databaseUrl: options.databaseUrl,
          natsUrls: [url],
          redisUrl: options.redisUrl,
          environment: { ...options.environment, TESSERA_NATS_URL: url, ...environments[setup] },
          onOutput: (line) => progress(`  | ${line}`),
        }),
      );
    }
    await Promise.all(stacks.map((stack) => Promise.race([stack.ready, stack.exited])));
    const calls = {} as Record<TelemetrySetup, Call>;
    for (const [index, setup] of TELEMETRY_SETUPS.entries()) {
      const { key } = await createTeamKey(stacks[index]);
      const nc = await connect({ servers: servers[index].url });
      connections.push(nc);
      const payload = codec.encode({ authorization: `Key ${key}`, action: 'models.call' });
      calls[setup] = async () => {
        const reply = codec.decode((await nc.request('tessera.authz.check', payload)).data) as {
          allow?: boolean;
        };
        if (reply.allow !== true) throw new Error(`check refused: ${JSON.stringify(reply)}`);
      };
      await runLoad(calls[setup], 2_000, options.inFlight); // warm-up: caches, JIT, connections
    }
    const scrape = (base: number) =>
      void fetch(`http://127.0.0.1:${base}/metrics`)
        .then((response) => response.text())
        .catch(() => undefined);
    scraper = setInterval(() => [metricsBase, tracedMetricsBase].forEach(scrape), SCRAPE_EVERY_MS);
    return await runInterleaved(calls, options.requests, options.inFlight, options.rounds, (round, rounds) =>
      progress(`telemetry off, metrics, traced: round ${round}/${rounds}`),
    );
  } finally {
    clearInterval(scraper);
    await Promise.all(connections.map((nc) => nc.close()));
    await Promise.allSettled(stacks.map((stack) => stack.stop()));
    await Promise.all(servers.map((server) => server.destroy()));
    await collector.stop();
  }
}

/** An OTLP/HTTP endpoint that answers every export with 200 and keeps nothing: the cost measured is Tessera's. */
async function startDroppingCollector(): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What the decision point records per cached check with metrics on (one histogram observation, three counter
 * increments), timed in this process: the cost the side-by-side installations cannot resolve under their noise.
 */
export function recordingNsPerCheck(): number {
  const record = () => {
    const stop = authzDecisionSeconds.start();
    cacheLookups.inc({ cache: 'api-keys' });
    cacheLookups.inc({ cache: 'policies' });
    stop({ outcome: 'allow', via: 'bus' });
    authzDecisions.inc({ outcome: 'allow', reason: 'allowed', via: 'bus' });
  };
  enableMetrics('bench');
  const checks = 500_000;
  for (let i = 0; i < checks / 10; i++) record(); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < checks; i++) record();
  return Number(process.hrtime.bigint() - started) / checks;
}
