import { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteIdentifier } from '../database';

/**
 * The id of the root secret (`TESSERA_SECRET_KEY`) the service's data is protected under: one row, in each
 * service's schema, so a service started under another secret notices before it touches anything.
 */
export function createSecretFingerprintMigration(schema: string): new () => MigrationInterface {
  const table = `${quoteIdentifier(schema)}.secret_fingerprint`;
  return class CreateSecretFingerprint1765300000000 implements MigrationInterface {
    name = 'CreateSecretFingerprint1765300000000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE ${table} (
          singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), -- at most one row
          key_id text NOT NULL,               -- short id of the secret (an HMAC under it), never the secret
          recorded_at timestamptz NOT NULL DEFAULT now()
        )`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}
