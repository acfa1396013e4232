import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import {
  HealthReport,
  RpcClient,
  SERVICES,
  ServiceName,
  TesseraError,
  healthSubject,
} from '@tessera/contracts';
import { CONFIG, NATS_CONNECTION, REDIS, checkStatus } from '@tessera/runtime';
import Redis from 'ioredis';
import { NatsConnection } from 'nats';
import { Pool } from 'pg';
import { Readiness, ReadinessCheck } from './readiness.dto';

/**
 * Decides whether Tessera can serve: every service answers its health subject and reports itself up, and the
 * gateway reaches PostgreSQL, NATS and Redis. All checks run at once, each bounded by the health timeout, so the
 * answer (and a 503 naming what is down) comes within that timeout whatever has failed.
 */
@Injectable()
export class ReadinessService implements OnApplicationShutdown {
  private readonly postgres: Pool;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.postgres = new Pool({
      connectionString: config.databaseUrl,
      max: 1,
      connectionTimeoutMillis: config.healthTimeoutMs,
      idleTimeoutMillis: 60_000,
    });
    this.postgres.on('error', () => undefined); // a dropped idle connection shows up in the next check instead
  }

  async check(): Promise<Readiness> {
    const [services, postgres, nats, redis] = await Promise.all([
      Promise.all(SERVICES.map(async (service) => [service, await this.service(service)] as const)),
      this.probe(() => this.postgres.query('SELECT 1')),
      this.probe(() => this.nc.flush()),
      this.probe(() => this.redis.ping()),
    ]);
    const dependencies = { postgres, nats, redis };
    const down = [
      ...services.filter(([, check]) => check.status !== 'up').map(([name]) => name),
      ...Object.entries(dependencies)
        .filter(([, check]) => check.status !== 'up')
        .map(([name]) => name),
    ];
    return {
      status: down.length === 0 ? 'ready' : 'unavailable',
      down,
      services: Object.fromEntries(services) as Record<ServiceName, ReadinessCheck>,
      dependencies,
    };
  }

  /** One service's own report; fails with `service_unavailable` when it does not answer within `timeoutMs`. */
  report(service: ServiceName, timeoutMs?: number): Promise<HealthReport> {
    return this.rpc.request(healthSubject(service), {}, { timeoutMs });
  }

  private async service(service: ServiceName): Promise<ReadinessCheck> {
    try {
      const report = await this.report(service, this.config.healthTimeoutMs);
      return { status: report.status, checks: report.checks };
    } catch (error) {
      return { status: 'down', error: error instanceof TesseraError ? error.message : 'no answer' };
    }
  }

  private probe(check: () => Promise<unknown>): Promise<ReadinessCheck> {
    return checkStatus(check, this.config.healthTimeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.postgres.end();
  }
}
