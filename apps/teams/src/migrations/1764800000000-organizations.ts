import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizations own teams. An organization is an account of kind `organization`; its members are its Org Admins
 * (role `admin`). A team points at its organization; moving a standalone team in takes a transfer that one side
 * asks for and the other approves, at most one pending per team.
 */
export class Organizations1764800000000 implements MigrationInterface {
  name = 'Organizations1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE teams.accounts
        ADD COLUMN organization_id uuid REFERENCES teams.accounts (id),
        ADD CONSTRAINT accounts_only_teams_in_organizations CHECK (organization_id IS NULL OR kind = 'team')`);
    await queryRunner.query(
      `CREATE INDEX accounts_organization ON teams.accounts (organization_id) WHERE organization_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE teams.transfers (
        id uuid PRIMARY KEY,
        team_id uuid NOT NULL REFERENCES teams.accounts (id),
        organization_id uuid NOT NULL REFERENCES teams.accounts (id),
        requested_by text NOT NULL CHECK (requested_by IN ('team', 'organization')),
        requested_by_user_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'completed', 'declined')),
        decided_by_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX transfers_one_pending ON teams.transfers (team_id) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX transfers_organization ON teams.transfers (organization_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE teams.transfers`);
    await queryRunner.query(`ALTER TABLE teams.accounts DROP COLUMN organization_id`);
  }
}
