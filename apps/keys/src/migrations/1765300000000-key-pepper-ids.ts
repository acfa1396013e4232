import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which root secret's pepper each key hash was made under, so that after a rotation of `TESSERA_SECRET_KEY` the
 * service knows which keys still need the old secret (they are hashed again under the new one on first use).
 * Null on rows hashed before this column: the service fills in the secret its data was recorded under at start.
 */
export class KeyPepperIds1765300000000 implements MigrationInterface {
  name = 'KeyPepperIds1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE keys.key_secrets ADD COLUMN pepper_key_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE keys.key_secrets DROP COLUMN pepper_key_id`);
  }
}
