import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Keyring } from '@tessera/runtime';
import { DataSource } from 'typeorm';
import { DatabaseHealthIndicator } from './database-health.indicator';
import { ServiceDatabaseOptions, dataSourceOptions, openServiceDataSource } from './data-source';
import { OUTBOX_POLL_MS, OutboxRelay } from './outbox/outbox.relay';
import { OutboxRecord } from './outbox/outbox-record.entity';
import { OutboxWriter } from './outbox/outbox.writer';
import { createOutboxMigration } from './outbox/outbox.migration';
import { OUTBOX_SCHEMA, OutboxRetentionJob } from './retention/outbox-retention.job';
import { createOutboxRetentionMigration } from './retention/outbox-retention.migration';
import { SecretFingerprint } from './secret-fingerprint/secret-fingerprint';
import { createSecretFingerprintMigration } from './secret-fingerprint/secret-fingerprint.migration';

/**
 * A service's database with what every service has: the outbox table, first of its migrations, and the
 * fingerprint of the root secret its data is protected under.
 */
export function withOutbox(options: ServiceDatabaseOptions): ServiceDatabaseOptions {
  return {
    ...options,
    entities: [OutboxRecord, ...options.entities],
    migrations: [
      createOutboxMigration(options.schema),
      ...options.migrations,
      createOutboxRetentionMigration(options.schema),
      createSecretFingerprintMigration(options.schema),
    ],
  };
}

/**
 * A service's database (see `withOutbox`) over the service's own login (see `openServiceDataSource`), with its
 * health indicator, the outbox writer and its relay to JetStream, the sweep that deletes published events once kept
 * long enough, and the check that the root secret has not changed under it (`SecretFingerprint`).
 */
@Module({})
export class PersistenceModule {
  static forService(database: ServiceDatabaseOptions, outboxPollMs: number, keyring: Keyring): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(database), retryAttempts: 2, retryDelay: 1000 }),
          dataSourceFactory: () => openServiceDataSource(database),
        }),
      ],
      providers: [
        { provide: OUTBOX_POLL_MS, useValue: outboxPollMs },
        DatabaseHealthIndicator,
        OutboxWriter,
        OutboxRelay,
        { provide: OUTBOX_SCHEMA, useValue: database.schema },
        OutboxRetentionJob,
        {
          provide: SecretFingerprint,
          useFactory: (dataSource: DataSource) => new SecretFingerprint(dataSource, keyring, database.schema),
          inject: [DataSource],
        },
      ],
      exports: [OutboxWriter, OutboxRelay, OutboxRetentionJob, SecretFingerprint],
    };
  }
}
