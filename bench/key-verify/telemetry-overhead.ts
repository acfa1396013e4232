import { freePortRange, NatsServerProcess } from '@tessera/testing';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { progress } from '../lib/cli';
import { Call, LoadResult, runInterleaved, runLoad } from '../lib/load';
import { TesseraStack, launchTessera } from '../lib/tessera-stack';
import { createTeamKey } from './team-key';

/** How often the "on" gateway is scraped while it is measured: Prometheus' default interval is 15 s. */
const SCRAPE_EVERY_MS = 5000;
const codec = JSONCodec();

export interface OverheadOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Requests per configuration, split over `rounds`. */
  requests: number;
  inFlight: number;
  rounds: number;
  environment: Record<string, string>;
}

/**
 * The cost of metrics on the hot path: two Tessera installations side by side, identical but for
 * TESSERA_METRICS_PORT, each on a nats-server of its own (started alike, so neither NATS is favoured), measured in
 * alternating rounds with cached `tessera.authz.check` calls. The "on" gateway is scraped every few seconds
 * meanwhile, as Prometheus would.
 */
export async function measureMetricsOverhead(
  options: OverheadOptions,
): Promise<Record<'off' | 'on', LoadResult>> {
  const servers = await Promise.all([NatsServerProcess.start(), NatsServerProcess.start()]);
  const metricsPort = await freePortRange(5);
  const stacks: TesseraStack[] = [];
  const connections: NatsConnection[] = [];
  let scraper: NodeJS.Timeout | undefined;
  try {
    const launch = (server: NatsServerProcess, extra: Record<string, string>) =>
      launchTessera({
        databaseUrl: options.databaseUrl,
        natsUrls: [server.url],
        redisUrl: options.redisUrl,
        environment: { ...options.environment, TESSERA_NATS_URL: server.url, ...extra },
        onOutput: (line) => progress(`  | ${line}`),
      });
    stacks.push(
      await launch(servers[0], {}),
      await launch(servers[1], {
        TESSERA_METRICS_PORT: String(metricsPort),
        TESSERA_METRICS_HOST: '127.0.0.1',
      }),
    );
    await Promise.all(stacks.map((stack) => Promise.race([stack.ready, stack.exited])));
    const calls = {} as Record<'off' | 'on', Call>;
    for (const [index, name] of (['off', 'on'] as const).entries()) {
      const { key } = await createTeamKey(stacks[index]);
      const nc = await connect({ servers: servers[index].url });
      connections.push(nc);
      const payload = codec.encode({ authorization: `Key ${key}`, action: 'models.call' });
      calls[name] = async () => {
        const reply = codec.decode((await nc.request('tessera.authz.check', payload)).data) as {
          allow?: boolean;
        };
        if (reply.allow !== true) throw new Error(`check refused: ${JSON.stringify(reply)}`);
      };
      await runLoad(calls[name], 2_000, options.inFlight); // warm-up: caches, JIT, connections
    }
    const scrape = () =>
      void fetch(`http://127.0.0.1:${metricsPort}/metrics`)
        .then((response) => response.text())
        .catch(() => undefined);
    scraper = setInterval(scrape, SCRAPE_EVERY_MS);
    return await runInterleaved(calls, options.requests, options.inFlight, options.rounds, (round, rounds) =>
      progress(`metrics off vs on: round ${round}/${rounds}`),
    );
  } finally {
    clearInterval(scraper);
    await Promise.all(connections.map((nc) => nc.close()));
    await Promise.allSettled(stacks.map((stack) => stack.stop()));
    await Promise.all(servers.map((server) => server.destroy()));
  }
}
