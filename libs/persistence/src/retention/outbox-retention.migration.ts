import { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteIdentifier } from '../database';

/** The outbox retention sweep looks for published rows by age; the pending-rows index does not cover them. */
export function createOutboxRetentionMigration(schema: string): new () => MigrationInterface {
  const quoted = quoteIdentifier(schema);
  return class OutboxPublishedAt1765800000000 implements MigrationInterface {
    name = 'OutboxPublishedAt1765800000000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(
        `CREATE INDEX outbox_published_at ON ${quoted}.outbox (published_at) WHERE published_at IS NOT NULL`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP INDEX ${quoted}.outbox_published_at`);
    }
  };
}
