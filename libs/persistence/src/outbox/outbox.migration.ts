import { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteIdentifier } from '../database';

/** The outbox table every service starts with; the same shape in each service's schema. */
export function createOutboxMigration(schema: string): new () => MigrationInterface {
  const table = `${quoteIdentifier(schema)}.outbox`;
  return class CreateOutbox1764547200000 implements MigrationInterface {
    name = 'CreateOutbox1764547200000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE ${table} (
          id uuid PRIMARY KEY,
          subject text NOT NULL,
          envelope jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          published_at timestamptz
        )`);
      // The relay's only query: pending rows in order. A partial index stays small however much history is kept.
      await queryRunner.query(
        `CREATE INDEX outbox_pending ON ${table} (created_at, id) WHERE published_at IS NULL`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}
