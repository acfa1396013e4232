import { randomBytes } from 'node:crypto';
import { GatewayConfig, allVariables, loadConfig } from '@tessera/config';
import { NatsServerProcess } from './nats-server';
import { TestDatabase } from './test-database';

const REDIS_URL = process.env.TESSERA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The real infrastructure of one test file: a fresh database, a nats-server of its own and a Redis key prefix of
 * its own. Nothing is shared with another test run or with a Tessera started by `npm start` on the same machine.
 */
export class TestEnvironment {
  private constructor(
    readonly database: TestDatabase,
    readonly nats: NatsServerProcess,
    readonly redisPrefix: string,
    readonly secretKey = randomBytes(32).toString('base64url'),
  ) {}

  static async start(): Promise<TestEnvironment> {
    const [database, nats] = await Promise.all([TestDatabase.create(), NatsServerProcess.start()]);
    return new TestEnvironment(database, nats, `tessera-test:${randomBytes(4).toString('hex')}:`);
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
  config(overrides: Record<string, string> = {}): GatewayConfig {
    return loadConfig(allVariables, this.env(overrides));
  }

  async stop(): Promise<void> {
    await Promise.all([this.nats.destroy(), this.database.drop()]);
  }
}
