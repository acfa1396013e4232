import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations to a team. The token is stored only as its SHA-256. At most one pending invitation per (team,
 * e-mail), enforced by a partial unique index, so inviting again finds the existing one instead of a twin.
 */
export class Invitations1764700000000 implements MigrationInterface {
  name = 'Invitations1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE teams.invitations (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES teams.accounts (id),
        email text NOT NULL,                 -- as typed by the inviter
        role text NOT NULL CHECK (role IN ('admin', 'developer', 'billing')),
        token_hash text NOT NULL UNIQUE,     -- replaced on resend: the old link stops working
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'cancelled')),
        invited_by_user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_by_user_id uuid,
        finished_at timestamptz              -- when accepted or cancelled
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX invitations_one_pending ON teams.invitations (account_id, lower(email)) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE teams.invitations`);
  }
}
