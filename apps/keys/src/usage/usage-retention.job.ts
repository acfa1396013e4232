import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { RetentionRule, RetentionSweepJob } from '@tessera/persistence';
import { CONFIG, LOGGER, Logger } from '@tessera/runtime';
import { DataSource } from 'typeorm';

type UsageRows = 'usageHours' | 'usageBatches';

/**
 * Deletes hourly usage counts older than `TESSERA_USAGE_RETENTION_DAYS`, and the ids of usage batches after a
 * day: far longer than any gateway retries a batch, which is all they are kept for.
 *
 * Usage follows this one setting, not an account's `data.retentionDays`: that policy is about what serving
 * services make for the account, while these counts are Tessera's own metering, the record a bill is made from.
 */
@Injectable()
export class UsageRetentionJob extends RetentionSweepJob<UsageRows> {
  private readonly days: number;

  constructor(dataSource: DataSource, @Inject(CONFIG) config: ServiceConfig, @Inject(LOGGER) logger: Logger) {
    super(dataSource, config, logger, 'keys.usage-retention');
    this.days = config.usageRetentionDays;
  }

  protected rules(): (RetentionRule & { name: UsageRows })[] {
    return [
      {
        name: 'usageHours',
        table: 'keys.usage_hourly',
        where: 'hour < now() - make_interval(days => $1)',
        parameters: [this.days],
      },
      { name: 'usageBatches', table: 'keys.usage_batches', where: `received_at < now() - interval '1 day'` },
    ];
  }
}
