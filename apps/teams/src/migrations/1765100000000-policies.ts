import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policies of organizations and teams, kept as versions: a change adds a row, so every past policy, who set it
 * and when, stays readable (the audit trail of policy changes, with the events).
 */
export class Policies1765100000000 implements MigrationInterface {
  name = 'Policies1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE teams.policy_versions (
        account_id uuid NOT NULL REFERENCES teams.accounts (id),
        version integer NOT NULL CHECK (version > 0),
        settings jsonb NOT NULL,
        actor_user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE teams.policy_versions`);
  }
}
