import { PlatformConfig } from '@tessera/config';
import { createRedis, natsCredentials, withTimeout } from '@tessera/runtime';
import { connect } from 'nats';
import { Client } from 'pg';

export interface Dependency {
  name: string;
  address: string;
  /** Resolves when the dependency answers; rejects with the reason when it does not. */
  probe(): Promise<void>;
  howToStart: string;
}

const TIMEOUT_MS = 3000;

/** The three servers Tessera needs, named as a person would look for them, without credentials in the address. */
export function dependencies(config: PlatformConfig): Dependency[] {
  return [
    {
      name: 'PostgreSQL',
      address: hostAndPort(config.databaseUrl, 5432),
      howToStart:
        'start PostgreSQL (e.g. `docker compose up -d postgres`) or point TESSERA_DATABASE_URL at one',
      probe: async () => {
        const maintenance = new URL(config.databaseUrl);
        maintenance.pathname = '/postgres';
        const client = new Client({
          connectionString: maintenance.toString(),
          connectionTimeoutMillis: TIMEOUT_MS,
        });
        await client.connect();
        await client.end();
      },
    },
    {
      name: 'NATS',
      address: config.natsUrls.map((url) => hostAndPort(url, 4222)).join(','),
      howToStart:
        'start nats-server with JetStream (`nats-server -js`, or `docker compose up -d nats`) or set TESSERA_NATS_URL',
      probe: async () => {
        const nc = await connect({
          servers: config.natsUrls,
          ...natsCredentials(config),
          timeout: TIMEOUT_MS,
          maxReconnectAttempts: 0,
        });
        try {
          await nc.jetstreamManager(); // fails when the server runs without JetStream
        } catch {
          throw new Error('it is running without JetStream (start it with -js)');
        } finally {
          await nc.close();
        }
      },
    },
    {
      name: 'Redis',
      address: hostAndPort(config.redisUrl, 6379),
      howToStart: 'start Redis (e.g. `docker compose up -d redis`) or point TESSERA_REDIS_URL at one',
      probe: async () => {
        const redis = createRedis(config.redisUrl, 'tessera-start');
        redis.on('error', () => undefined);
        try {
          await redis.connect();
          await redis.ping();
        } finally {
          redis.disconnect();
        }
      },
    },
  ];
}

/** Probes all at once; resolves with one line per dependency that did not answer. */
export async function unreachable(list: Dependency[]): Promise<string[]> {
  const results = await Promise.all(
    list.map(async (dependency) => {
      try {
        await withTimeout(dependency.probe(), TIMEOUT_MS + 500);
        return undefined;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return `${dependency.name} is not reachable at ${dependency.address} (${reason}): ${dependency.howToStart}.`;
      }
    }),
  );
  return results.filter((line): line is string => line !== undefined);
}

function hostAndPort(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}
