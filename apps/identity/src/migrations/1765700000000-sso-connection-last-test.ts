import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last "test connection" round trip of each connection (an `SsoTestResult`: when, what the IdP sent, the teams
 * it would place the person in), for the Org Admins' console to read back. Only the last one is kept, and it goes
 * with the connection.
 */
export class SsoConnectionLastTest1765700000000 implements MigrationInterface {
  name = 'SsoConnectionLastTest1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity.sso_connections ADD COLUMN last_test jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity.sso_connections DROP COLUMN last_test`);
  }
}
