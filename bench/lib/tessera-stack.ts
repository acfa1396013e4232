import { environmentWith } from '@tessera/config';
import { SERVICES, healthSubject } from '@tessera/contracts';
import { freePort } from '@tessera/testing';
import Redis from 'ioredis';
import { ErrorCode, NatsError, connect } from 'nats';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';

/** What `npm start` prints on stdout once `/health/services` answers 200 (every service up). */
const READY_BANNER = 'Tessera is ready at';
/** The supervisor gives up after 60 s by itself; this only guards against the supervisor hanging. */
const READY_WITHIN_MS = 90_000;
/** The supervisor SIGKILLs services that take more than 10 s to stop; twice that means it is stuck itself. */
const STOP_WITHIN_MS = 20_000;
/** NATS answers "no responders" at once; waiting longer only matters for a responder that is slow. */
const PREFLIGHT_TIMEOUT_MS = 1000;

export interface TesseraStackOptions {
  /** A TESSERA_DATABASE_URL, for its server and credentials: the stack gets a fresh database there. */
  databaseUrl: string;
  /** TESSERA_NATS_URL: checked for another Tessera before starting (see `assertNoTesseraOn`). */
  natsUrls: string[];
  /** TESSERA_REDIS_URL: `stop` deletes the keys the stack wrote under its prefix there. */
  redisUrl: string;
  /** Variables over the bench defaults, e.g. a limit that would otherwise refuse the load. */
  environment?: Record<string, string>;
  /** Each line the supervisor and the services write to stdout (their logs), except the ready banner. */
  onOutput?: (line: string) => void;
}

/** The real Tessera, as `npm start` runs it, with a database, Redis prefix, port and secret of its own. */
export interface TesseraStack {
  /** The gateway, on loopback. */
  url: string;
  /** The stack's own database, created before the stack starts and dropped by `stop`. */
  databaseUrl: string;
  /** Resolves once the gateway is ready; rejects if the stack exits or is not ready in time. */
  ready: Promise<void>;
  /**
   * Never resolves; rejects as soon as the supervisor exits without being asked to (a service died). Race
   * work against it, so that a crash fails the bench at once instead of as a flood of connection errors.
   */
  exited: Promise<never>;
  /**
   * SIGTERMs the supervisor, waits for it (and so for the services) to exit, then drops the database and
   * deletes the Redis keys under the stack's prefix.
   */
  stop(): Promise<void>;
}

/**
 * Starts `dist/tools/start.js` (the `npm start` supervisor) with the current environment plus isolating
 * overrides: a fresh database and Redis prefix, so that a bench never reads or disturbs an installation's
 * data, and a free port on loopback. NATS is shared, and its subjects carry no installation prefix: this
 * refuses to start if another Tessera is on the same NATS.
 */
export async function launchTessera(options: TesseraStackOptions): Promise<TesseraStack> {
  await assertNoTesseraOn(options.natsUrls);
  const id = randomBytes(4).toString('hex');
  const port = await freePort();
  const database = new URL(options.databaseUrl);
  database.pathname = `/tessera_bench_${id}`;
  const databaseUrl = database.toString();

  const redisPrefix = `tessera-bench:${id}:`;
  await createDatabase(databaseUrl);

  const environment = {
    ...environmentWith({}),
    TESSERA_HTTP_HOST: '127.0.0.1',
    TESSERA_HTTP_PORT: String(port),
    TESSERA_DATABASE_URL: databaseUrl,
    TESSERA_REDIS_PREFIX: redisPrefix,
    // At `info` every request writes an access-log line: the bench would measure JSON logging into a pipe.
    TESSERA_LOG_LEVEL: 'warn',
    TESSERA_SECRET_KEY: randomBytes(32).toString('base64url'),
    ...options.environment,
  };

  // From dist/bench/lib to dist/tools: the compiled supervisor, exactly what `npm start` runs.
  const supervisor = spawn(process.execPath, [resolve(__dirname, '..', '..', 'tools', 'start.js')], {
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stopping = false;

  const exit = new Promise<string>((done) => {
    supervisor.once('exit', (code, signal) => done(signal ?? `code ${code}`));
    // Spawning node itself failed (it is this very binary, so hardly ever): report it as an exit.
    supervisor.once('error', (error) => done(error.message));
  });
  // An exit that `stop` asked for is no failure: then this stays pending, which holds no process open.
  const exited = exit.then((how) =>
    stopping
      ? new Promise<never>(() => undefined)
      : Promise.reject(new Error(`Tessera stopped unexpectedly (supervisor: ${how}); see its output above`)),
  );
  exited.catch(() => undefined); // only an error for whoever races against it

  let announceReady: () => void;
  const bannerSeen = new Promise<void>((done) => (announceReady = done));
  // Read to the end whatever happens: a pipe nobody drains would block the services once its buffer is full.
  createInterface({ input: supervisor.stdout! }).on('line', (line) => {
    if (line.includes(READY_BANNER)) announceReady();
    else if (line.trim() !== '') options.onOutput?.(line);
  });

  let timer: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Tessera was not ready within ${READY_WITHIN_MS / 1000} s`)),
      READY_WITHIN_MS,
    );
  });
  const ready = Promise.race([bannerSeen, exited, tooSlow]).finally(() => clearTimeout(timer));
  ready.catch(() => undefined); // the caller awaits it; this only keeps an early failure from going unhandled

  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl,
    ready,
    exited,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      const problems: string[] = [];
      if (supervisor.exitCode === null && supervisor.signalCode === null) {
        supervisor.kill('SIGTERM');
        let killer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          exit,
          new Promise<'stuck'>((done) => (killer = setTimeout(() => done('stuck'), STOP_WITHIN_MS))),
        ]);
        clearTimeout(killer);
        if (outcome === 'stuck') {
          supervisor.kill('SIGKILL');
          problems.push(
            `the supervisor did not stop within ${STOP_WITHIN_MS / 1000} s and was killed; ` +
              'its services may still be running',
          );
        }
      }
      // Each clean-up is tried whatever became of the others. The database goes even after a failed stop:
      // FORCE ends the sessions of any service still connected. Some Redis keys never expire (a queue's
      // metadata): without the second step every run would leave some behind.
      const cleanUps: Array<[string, () => Promise<void>]> = [
        ['drop the database', () => dropDatabase(databaseUrl)],
        ['delete the Redis keys', () => deleteRedisKeys(options.redisUrl, redisPrefix)],
      ];
      for (const [what, cleanUp] of cleanUps) {
        await cleanUp().catch((error: unknown) =>
          problems.push(`cannot ${what}: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
      if (problems.length > 0) throw new Error(problems.join('; '));
    },
  };
}

/**
 * Services answer their subjects in queue groups, so with another Tessera on the same NATS (an `npm start`,
 * or a second bench) any RPC of the bench's gateway could be answered by the other installation, against its
 * own database: refused tokens and unknown users, or at best another installation's speed. Any answer to a
 * service's health subject other than "no responders" means someone is there.
 */
async function assertNoTesseraOn(servers: string[]): Promise<void> {
  const nc = await connect({ servers, name: 'tessera-bench-preflight' }).catch((error: Error) => {
    // nats.js says only CONNECTION_REFUSED, without the address.
    throw new Error(`cannot reach NATS at ${servers.join(',')}: ${error.message}`);
  });
  try {
    const present = await Promise.all(
      SERVICES.map((service) =>
        nc.request(healthSubject(service), undefined, { timeout: PREFLIGHT_TIMEOUT_MS }).then(
          () => true,
          (error: unknown) => !(error instanceof NatsError && error.code === ErrorCode.NoResponders),
        ),
      ),
    );
    const running = SERVICES.filter((_, index) => present[index]);
    if (running.length > 0) {
      throw new Error(
        `another Tessera is running on NATS ${servers.join(',')} (${running.join(', ')} answered): ` +
          "its services would answer this bench's requests too. Stop it, or set TESSERA_NATS_URL to a NATS " +
          "of the bench's own.",
      );
    }
  } finally {
    await nc.close();
  }
}

/**
 * The bench makes the database before the supervisor starts (which then finds it there) instead of leaving it
 * to the supervisor: stopped early, the supervisor could die with its CREATE DATABASE still running in
 * PostgreSQL, which would then finish after our DROP and leave the database behind.
 */
async function createDatabase(databaseUrl: string): Promise<void> {
  await onMaintenanceDatabase(databaseUrl, (client, name) => client.query(`CREATE DATABASE "${name}"`));
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  await onMaintenanceDatabase(databaseUrl, (client, name) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    // The prefix is ours (`tessera-bench:` and hex), so it holds no glob characters to escape.
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<
      string[]
    >)
      if (keys.length > 0) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Runs `work` connected to the server's `postgres` database, with the name of the database in the URL. */
async function onMaintenanceDatabase(
  databaseUrl: string,
  work: (client: Client, name: string) => Promise<unknown>,
): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  // The names are ours (`tessera_bench_` and hex), so the callers' quotes are all the escaping they need.
  if (!/^tessera_bench_[0-9a-f]+$/.test(name)) throw new Error(`not a bench database: ${name}`);
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await work(client, name);
  } finally {
    await client.end();
  }
}
