import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import {
  HealthReport,
  HealthStatus,
  Readiness,
  ReadinessCheck,
  RpcClient,
  SERVICES,
  ServiceName,
  healthSubject,
} from '@tessera/contracts';
import { CONFIG, LOGGER, Logger, NATS_CONNECTION, REDIS, checkStatus } from '@tessera/runtime';
import Redis from 'ioredis';
import { NatsConnection } from 'nats';
import { Pool } from 'pg';

type Check = { status: HealthStatus; error?: string };

/**
 * Decides whether Tessera can serve: every service answers its health subject and reports itself up, and the
 * gateway reaches PostgreSQL, NATS and Redis. All checks run at once, each bounded by the health timeout, so the
 * answer (and a 503 naming what is down) comes within that timeout whatever has failed.
 *
 * Health is public (probes do not sign in), so what it answers says only up or down: why something is down
 * (host names, login failures, driver messages) goes to the log, never to the caller.
 */
@Injectable()
export class ReadinessService implements OnApplicationShutdown {
  private readonly postgres: Pool;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
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
    this.logDown('gateway', { postgres, nats, redis });
    const dependencies = { postgres: statusOnly(postgres), nats: statusOnly(nats), redis: statusOnly(redis) };
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

  /**
   * One service's own report, each dependency's reason for being down logged and left out; fails with
   * `service_unavailable` when the service does not answer within `timeoutMs`.
   */
  async report(service: ServiceName, timeoutMs?: number): Promise<HealthReport> {
    const report = await this.rpc.request(healthSubject(service), {}, { timeoutMs });
    this.logDown(service, report.checks);
    const { secretKeyIds: _, ...shown } = report; // for the gateway's start-up check, not for HTTP callers
    return { ...shown, checks: statusesOnly(report.checks) };
  }

  private async service(service: ServiceName): Promise<ReadinessCheck> {
    try {
      const report = await this.report(service, this.config.healthTimeoutMs);
      return { status: report.status, checks: report.checks };
    } catch (error) {
      this.logger.warn({ err: error, service }, 'health: service did not answer');
      return { status: 'down' };
    }
  }

  private logDown(service: string, checks: Record<string, Check>): void {
    for (const [dependency, check] of Object.entries(checks))
      if (check.status !== 'up')
        this.logger.warn({ service, dependency, reason: check.error }, 'health: dependency down');
  }

  private probe(check: () => Promise<unknown>): Promise<Check> {
    return checkStatus(check, this.config.healthTimeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.postgres.end();
  }
}

function statusOnly({ status }: Check): { status: HealthStatus } {
  return { status };
}

function statusesOnly(checks: Record<string, Check>): Record<string, { status: HealthStatus }> {
  return Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, statusOnly(check)]));
}
