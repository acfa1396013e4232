import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger } from '@tessera/runtime';
import { DataSource } from 'typeorm';
import { quoteIdentifier } from '../database';
import { RetentionSweepJob, RetentionRule } from './retention-sweep.job';

export const OUTBOX_SCHEMA = Symbol('OUTBOX_SCHEMA');

/**
 * Deletes published events from the service's outbox once `TESSERA_OUTBOX_RETENTION_DAYS` have passed (by
 * default as long as the `TESSERA_EVENTS` stream keeps them): a published row only serves as a record of what
 * was sent, and JetStream deduplicates a re-publish for two minutes only. Unpublished rows are never touched.
 */
@Injectable()
export class OutboxRetentionJob extends RetentionSweepJob<'outbox'> {
  private readonly days: number;

  constructor(
    dataSource: DataSource,
    @Inject(CONFIG) config: ServiceConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(OUTBOX_SCHEMA) private readonly schema: string,
  ) {
    super(dataSource, config, logger, `${schema}.outbox-retention`);
    this.days = config.outboxRetentionDays;
  }

  protected rules(): (RetentionRule & { name: 'outbox' })[] {
    return [
      {
        name: 'outbox',
        table: `${quoteIdentifier(this.schema)}.outbox`,
        where: `published_at < now() - make_interval(days => $1)`,
        parameters: [this.days],
      },
    ];
  }
}
