import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verified domains are looked up again periodically (decision 013): when each was last checked, and how many checks
 * in a row failed. A domain lapses (back to `pending`) after several failures, so a domain that changed hands stops
 * vouching for its addresses.
 */
export class DomainRechecks1765300000000 implements MigrationInterface {
  name = 'DomainRechecks1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE identity.domains
        ADD COLUMN checked_at timestamptz,                         -- last verification or re-check
        ADD COLUMN failed_checks integer NOT NULL DEFAULT 0 CHECK (failed_checks >= 0)`);
    await queryRunner.query(`UPDATE identity.domains SET checked_at = verified_at WHERE status = 'verified'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity.domains DROP COLUMN checked_at, DROP COLUMN failed_checks`);
  }
}
