import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Used SAML assertions are swept by expiry across every connection (a connection that is no longer used would
 * otherwise keep its rows for ever), so their expiry gets an index like the other swept tables.
 */
export class SamlAssertionExpiry1765900000000 implements MigrationInterface {
  name = 'SamlAssertionExpiry1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX saml_assertions_expires_at ON identity.saml_assertions (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX identity.saml_assertions_expires_at`);
  }
}
