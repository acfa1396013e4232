import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Team secrets, encrypted at rest in two layers: each account has a random data key, stored only wrapped (sealed
 * under a key derived from `TESSERA_SECRET_KEY`, so rotating the root secret re-wraps one row per account and
 * never touches the values); each value is AES-256-GCM under its account's data key, with the account and the
 * name as additional authenticated data, so a row copied to another account or name no longer opens.
 */
export class TeamSecrets1766100000000 implements MigrationInterface {
  name = 'TeamSecrets1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE keys.secret_data_keys (
        account_id uuid PRIMARY KEY,            -- teams' account id; no foreign key across services
        wrapped_key text NOT NULL,              -- the data key, sealed (v2.<root key id>.keys/secret-data-key.…)
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE keys.secrets (
        account_id uuid NOT NULL REFERENCES keys.secret_data_keys (account_id),
        name text NOT NULL CHECK (name ~ '^[A-Z_][A-Z0-9_]{0,127}$'),
        iv bytea NOT NULL CHECK (length(iv) = 12),
        tag bytea NOT NULL CHECK (length(tag) = 16),
        ciphertext bytea NOT NULL,              -- AES-256-GCM under the account's data key; AAD: account and name
        created_by_user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_by_user_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE keys.secrets`);
    await queryRunner.query(`DROP TABLE keys.secret_data_keys`);
  }
}
