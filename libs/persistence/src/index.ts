export * from './database';
export * from './data-source';
export * from './persistence.module';
export * from './outbox/outbox-record.entity';
export * from './outbox/outbox.writer';
export * from './outbox/outbox.relay';
export * from './service-definition';
export * from './secret-fingerprint/secret-fingerprint';
