import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts — what requests act for — and who belongs to them with which role. A user has exactly one personal
 * account (a partial unique index), of which they are the only member, as Admin.
 */
export class Accounts1764600000000 implements MigrationInterface {
  name = 'Accounts1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE teams.accounts (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('personal', 'team', 'organization')),
        name text NOT NULL,
        owner_user_id uuid,                  -- personal accounts only: whose it is
        created_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        CHECK ((kind = 'personal') = (owner_user_id IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX accounts_one_personal ON teams.accounts (owner_user_id) WHERE kind = 'personal'`,
    );
    await queryRunner.query(`
      CREATE TABLE teams.memberships (
        account_id uuid NOT NULL REFERENCES teams.accounts (id),
        user_id uuid NOT NULL,               -- identity's user id; no foreign key across services
        role text NOT NULL CHECK (role IN ('admin', 'developer', 'billing')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX memberships_user ON teams.memberships (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE teams.memberships`);
    await queryRunner.query(`DROP TABLE teams.accounts`);
  }
}
