import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { PlatformConfig, allVariables, loadConfig } from '@tessera/config';
import { NatsServerProcess } from './nats-server';
import { TestDatabase } from './test-database';

const REDIS_URL = process.env.TESSERA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The NATS configuration Tessera ships, with a user per service and one for other internal services. */
export const SHIPPED_NATS_CONFIG = resolve(__dirname, '../../../deploy/nats/nats.conf');
export const NATS_USERS = ['gateway', 'identity', 'teams', 'keys', 'notifications', 'internal'] as const;
export type NatsUser = (typeof NATS_USERS)[number];

export interface TestEnvironmentOptions {
  /** Run NATS with the shipped configuration: each Tessera process logs in as its own user. */
  natsPermissions?: boolean;
  /** Another environment's NATS server instead of one of its own, for a second installation on it; never stopped here. */
  sharedNats?: NatsServerProcess;
}

/**
 * The real infrastructure of one test file: a fresh database, a nats-server of its own and a Redis key prefix of
 * its own. Nothing is shared with another test run or with a Tessera started by `npm start` on the same machine.
 */
export class TestEnvironment {
  private constructor(
    readonly database: TestDatabase,
    readonly nats: NatsServerProcess,
    readonly redisPrefix: string,
    /** Password of each NATS user, when NATS runs with the shipped permissions. */
    private readonly natsPasswords?: ReadonlyMap<NatsUser, string>,
    private readonly ownsNats = true,
    readonly secretKey = randomBytes(32).toString('base64url'),
  ) {}

  static async start(options: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
    const passwords = options.natsPermissions
      ? // A letter first: nats-server reads a variable's value as a number or a date when it starts with a digit.
        new Map(NATS_USERS.map((user) => [user, `p${randomBytes(18).toString('hex')}`]))
      : undefined;
    const natsOptions = passwords && {
      configFile: SHIPPED_NATS_CONFIG,
      env: Object.fromEntries(
        [...passwords].map(([user, password]) => [`TESSERA_NATS_${user.toUpperCase()}_PASSWORD`, password]),
      ),
    };
    const { sharedNats } = options;
    const [database, nats] = await Promise.all([
      TestDatabase.create(),
      sharedNats ?? NatsServerProcess.start(natsOptions),
    ]);
    const redisPrefix = `tessera-test:${randomBytes(4).toString('hex')}:`;
    return new TestEnvironment(database, nats, redisPrefix, passwords, !sharedNats);
  }

  /** The variables that log a process in to NATS as `user`; none when NATS is open. */
  natsLogin(user: NatsUser): Record<string, string> {
    const password = this.natsPasswords?.get(user);
    return password ? { TESSERA_NATS_USER: user, TESSERA_NATS_PASSWORD: password } : {};
  }

  /** The environment variables a Tessera process needs to run against this environment. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      TESSERA_DATABASE_URL: this.database.url,
      TESSERA_NATS_URL: this.nats.url,
      TESSERA_REDIS_URL: REDIS_URL,
      TESSERA_REDIS_PREFIX: this.redisPrefix,
      TESSERA_LOG_LEVEL: 'silent',
      TESSERA_OUTBOX_POLL_MS: '100',
      TESSERA_SECRET_KEY: this.secretKey,
      ...overrides,
    };
  }

  /** The validated configuration for in-process apps, exactly as a process would read it from `env()`. */
  config(overrides: Record<string, string> = {}): PlatformConfig {
    return loadConfig(allVariables, this.env(overrides));
  }

  async stop(): Promise<void> {
    await Promise.all([this.ownsNats && this.nats.destroy(), this.database.drop()]);
  }
}
