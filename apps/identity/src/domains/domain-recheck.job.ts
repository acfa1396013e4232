import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger, PeriodicJob } from '@tessera/runtime';
import { DomainsService } from './domains.service';

const HOUR_MS = 3_600_000;

/**
 * Re-checks verified domains every `TESSERA_DOMAIN_RECHECK_HOURS` (decision 013). The timer ticks hourly at most and
 * each tick takes only the domains whose last check is older than the interval, so a restart neither skips nor
 * repeats a check, and replicas share the work through the database.
 */
@Injectable()
export class DomainRecheckJob extends PeriodicJob {
  private readonly recheckAfterMs: number;

  constructor(
    private readonly domains: DomainsService,
    @Inject(CONFIG) config: ServiceConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const recheckAfterMs = config.domainRecheckHours * HOUR_MS;
    super(logger, Math.min(recheckAfterMs, HOUR_MS), 're-checking verified domains');
    this.recheckAfterMs = recheckAfterMs;
  }

  protected tick(): Promise<string[]> {
    return this.run();
  }

  /** One pass over the domains due (all of them with `olderThanMs` 0, as tests do); answers those that lapsed. */
  run(olderThanMs = this.recheckAfterMs): Promise<string[]> {
    return this.domains.recheckDue(olderThanMs);
  }
}
