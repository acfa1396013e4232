import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys and their usage.
 *
 * A key (metadata, owned by an account, never by the member who made it) has one current secret and, during a
 * rotation's grace period, older secrets that still work until their `expires_at`. Secrets are stored only as
 * their keyed hash. Usage is counted per (account, actor, action, hour); a batch id table makes a retried batch
 * count once.
 */
export class Keys1764800000000 implements MigrationInterface {
  name = 'Keys1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE keys.api_keys (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('API', 'ADMIN')),
        created_by_user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX api_keys_by_account ON keys.api_keys (account_id) WHERE revoked_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE keys.key_secrets (
        hash text PRIMARY KEY,               -- HMAC-SHA-256 of the secret under the server's pepper
        key_id uuid NOT NULL REFERENCES keys.api_keys (id),
        prefix text NOT NULL,
        last4 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz               -- null: the current secret; set when a rotation replaces it
      )`);
    await queryRunner.query(`CREATE INDEX key_secrets_by_key ON keys.key_secrets (key_id)`);
    await queryRunner.query(`
      CREATE TABLE keys.usage_hourly (
        account_id uuid NOT NULL,
        hour timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('member', 'key')),
        actor_id uuid NOT NULL,
        action text NOT NULL,
        requests bigint NOT NULL,
        PRIMARY KEY (account_id, hour, actor_type, actor_id, action)
      )`);
    await queryRunner.query(`
      CREATE TABLE keys.usage_batches (
        id uuid PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX usage_batches_by_age ON keys.usage_batches (received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TABLE keys.usage_batches, keys.usage_hourly, keys.key_secrets, keys.api_keys`,
    );
  }
}
