import { Controller, Inject, Injectable, Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HealthReport, HealthStatus, RpcPayload, ServiceName, healthSubject } from '@tessera/contracts';
import { Rpc } from './rpc.decorator';
import { checkStatus } from './with-timeout';

/** A dependency a service cannot work without; `check` resolves when it answers and throws when it does not. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 1500;

/**
 * Collects the indicators of a process. Modules that own a dependency (the database, Redis) register their own
 * indicator at init, so a service's health is exactly the sum of what it uses.
 */
@Injectable()
export class HealthRegistry {
  private readonly indicators: HealthIndicator[] = [];
  private readonly startedAt = Date.now();

  register(indicator: HealthIndicator): void {
    this.indicators.push(indicator);
  }

  /** Every indicator at once, each one down if it has not answered within `timeoutMs`. */
  async report(service: ServiceName, timeoutMs = CHECK_TIMEOUT_MS): Promise<HealthReport> {
    const results = await Promise.all(
      this.indicators.map(
        async (indicator) => [indicator.name, await checkStatus(() => indicator.check(), timeoutMs)] as const,
      ),
    );
    const checks = Object.fromEntries(results);
    const status: HealthStatus = results.every(([, r]) => r.status === 'up') ? 'up' : 'down';
    return { service, status, checks, uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) };
  }
}

export const SERVICE_NAME = Symbol('SERVICE_NAME');
/** The public ids of the root secrets the process accepts, current first (see `HealthReport.secretKeyIds`). */
export const SECRET_KEY_IDS = Symbol('SECRET_KEY_IDS');

/** The `tessera.<service>.health` responder, made per service because a subject is fixed when a class is declared. */
export function healthControllerFor(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(
      private readonly registry: HealthRegistry,
      @Inject(SERVICE_NAME) private readonly serviceName: ServiceName,
      @Inject(SECRET_KEY_IDS) private readonly secretKeyIds: string[],
    ) {}

    // The payload is taken, though empty, so that `@Rpc` validates it: its pipe runs on the arguments only.
    @Rpc(healthSubject(service))
    async report(@Payload() _request: RpcPayload<`tessera.${ServiceName}.health`>): Promise<HealthReport> {
      return { ...(await this.registry.report(this.serviceName)), secretKeyIds: this.secretKeyIds };
    }
  }
  return HealthController;
}
