import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in attempts and device grants are swept once expired (an attempt's `return_to` may carry an invitation
 * link), so both get an index on their expiry. A user code only has to be unique while someone may still type
 * it: among pending grants. Codes of used, denied or expired grants may come round again (20^8 codes, swept
 * rows), and lookups only ever act on the pending one.
 */
export class ExpiringRows1765431700000 implements MigrationInterface {
  name = 'ExpiringRows1765431700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX signin_attempts_expires_at ON identity.signin_attempts (expires_at)`,
    );
    await queryRunner.query(`CREATE INDEX device_grants_expires_at ON identity.device_grants (expires_at)`);
    await queryRunner.query(`ALTER TABLE identity.device_grants DROP CONSTRAINT device_grants_user_code_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX device_grants_pending_user_code ON identity.device_grants (user_code) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX device_grants_user_code ON identity.device_grants (user_code)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX identity.device_grants_user_code`);
    await queryRunner.query(`DROP INDEX identity.device_grants_pending_user_code`);
    // Fails if two grants share a code by then, as it should: the old rule cannot hold for those rows.
    await queryRunner.query(
      `ALTER TABLE identity.device_grants ADD CONSTRAINT device_grants_user_code_key UNIQUE (user_code)`,
    );
    await queryRunner.query(`DROP INDEX identity.device_grants_expires_at`);
    await queryRunner.query(`DROP INDEX identity.signin_attempts_expires_at`);
  }
}
