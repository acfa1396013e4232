import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PostgresConnectionOptions } from './data-source';
import { DatabaseHealthIndicator } from './database-health.indicator';
import { ServiceDatabaseOptions, dataSourceOptions, openMigratedDataSource } from './data-source';
import { OUTBOX_POLL_MS, OutboxRelay } from './outbox/outbox.relay';
import { OutboxRecord } from './outbox/outbox-record.entity';
import { OutboxWriter } from './outbox/outbox.writer';
import { createOutboxMigration } from './outbox/outbox.migration';

/** A service's database with what every service has: the outbox table, first of its migrations. */
export function withOutbox(options: ServiceDatabaseOptions): ServiceDatabaseOptions {
  return {
    ...options,
    entities: [OutboxRecord, ...options.entities],
    migrations: [createOutboxMigration(options.schema), ...options.migrations],
  };
}

/**
 * A service's database (see `withOutbox`), migrated at start, with its health indicator and the outbox writer and
 * its relay to JetStream.
 */
@Module({})
export class PersistenceModule {
  static forService(database: ServiceDatabaseOptions, outboxPollMs: number): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(database), retryAttempts: 2, retryDelay: 1000 }),
          dataSourceFactory: async (resolved) =>
            (await openMigratedDataSource(resolved as PostgresConnectionOptions)).dataSource,
        }),
      ],
      providers: [
        { provide: OUTBOX_POLL_MS, useValue: outboxPollMs },
        DatabaseHealthIndicator,
        OutboxWriter,
        OutboxRelay,
      ],
      exports: [OutboxWriter, OutboxRelay],
    };
  }
}
