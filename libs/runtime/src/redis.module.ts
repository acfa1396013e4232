import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import Redis from 'ioredis';
import { HealthIndicator, HealthRegistry } from './health';

export const REDIS = Symbol('REDIS');

/** Opens a Redis connection that fails commands fast while Redis is down instead of queueing them forever. */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

@Injectable()
class RedisLifecycle implements HealthIndicator, OnModuleInit, OnApplicationShutdown {
  readonly name = 'redis';

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly registry: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    this.registry.register(this);
    // A service starts while Redis is down and reports it in its health; the client keeps retrying.
    await this.redis.connect().catch(() => undefined);
  }

  async check(): Promise<void> {
    await this.redis.ping();
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/** The process's Redis connection (`REDIS`), with its health indicator. */
@Module({})
export class RedisModule {
  static forUrl(url: string, name: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS, useFactory: () => createRedis(url, name) }, RedisLifecycle],
      exports: [REDIS],
    };
  }
}
