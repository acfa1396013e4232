import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import {
  HealthReport,
  HealthStatus,
  READINESS_DEPENDENCIES,
  Readiness,
  ReadinessCheck,
  RpcClient,
  SERVICES,
  ServiceName,
  ServicesHealth,
  healthSubject,
} from '@tessera/contracts';
import { CONFIG, HealthRegistry, LOGGER, Logger, checkStatus } from '@tessera/runtime';

type Check = { status: HealthStatus; error?: string };

/**
 * Two questions, kept apart (docs/decisions/029-readiness-and-compose.md):
 *
 * - `ready`: can this gateway serve? Its own NATS and Redis connections answer, and an identity service answers it
 *   over NATS: a round trip through the server with this gateway's login, permissions and reply inbox, to the
 *   service without which no one signs in, no session is renewed and no access-token signing key is learned.
 *   Another service being down is the same for every gateway, so it takes no gateway out of a load balancer.
 * - `services`: each service's own report, for an operator's monitoring.
 *
 * All checks run at once, each bounded by the health timeout, so an answer comes within it whatever has failed.
 * Health is public (probes do not sign in), so what it answers says only up or down: why something is down
 * (host names, login failures, driver messages) goes to the log, never to the caller.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly registry: HealthRegistry,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async ready(): Promise<Readiness> {
    const timeoutMs = this.config.healthTimeoutMs;
    const [own, identity] = await Promise.all([
      this.registry.report('gateway', timeoutMs),
      checkStatus(() => this.rpc.request(healthSubject('identity'), {}, { timeoutMs }), timeoutMs),
    ]);
    const checks = { nats: statusOf(own.checks, 'nats'), redis: statusOf(own.checks, 'redis'), identity };
    this.logDown('gateway', checks);
    const down = READINESS_DEPENDENCIES.filter((name) => checks[name].status !== 'up');
    return {
      status: down.length === 0 ? 'ready' : 'unavailable',
      down,
      dependencies: {
        nats: statusOnly(checks.nats),
        redis: statusOnly(checks.redis),
        identity: statusOnly(checks.identity),
      },
    };
  }

  async services(): Promise<ServicesHealth> {
    const services = await Promise.all(
      SERVICES.map(async (service) => [service, await this.service(service)] as const),
    );
    const down = services.filter(([, check]) => check.status !== 'up').map(([name]) => name);
    return {
      status: down.length === 0 ? 'up' : 'down',
      down,
      services: Object.fromEntries(services) as Record<ServiceName, ReadinessCheck>,
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
}

/** A dependency the process did not register counts as down: readiness never claims what it did not check. */
function statusOf(checks: Record<string, Check>, name: string): Check {
  return checks[name] ?? { status: 'down', error: `no ${name} health indicator is registered` };
}

function statusOnly({ status }: Check): { status: HealthStatus } {
  return { status };
}

function statusesOnly(checks: Record<string, Check>): Record<string, { status: HealthStatus }> {
  return Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, statusOnly(check)]));
}
