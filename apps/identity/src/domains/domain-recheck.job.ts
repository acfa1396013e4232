import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger } from '@tessera/runtime';
import { DomainsService } from './domains.service';

const HOUR_MS = 3_600_000;

/**
 * Re-checks verified domains every `TESSERA_DOMAIN_RECHECK_HOURS` (decision 013). The timer ticks hourly at most and
 * each tick takes only the domains whose last check is older than the interval, so a restart neither skips nor
 * repeats a check, and replicas share the work through the database.
 */
@Injectable()
export class DomainRecheckJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly intervalMs: number;

  constructor(
    private readonly domains: DomainsService,
    @Inject(CONFIG) config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.intervalMs = config.domainRecheckHours * HOUR_MS;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), Math.min(this.intervalMs, HOUR_MS));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass over the domains due (all of them with `olderThanMs` 0, as tests do); answers those that lapsed. */
  async run(olderThanMs = this.intervalMs): Promise<string[]> {
    try {
      return await this.domains.recheckDue(olderThanMs);
    } catch (error) {
      this.logger.error({ err: error }, 'domain re-check failed');
      return [];
    }
  }
}
