import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in and session settings became organization-only (a team's Admin could reach the whole account of anyone
 * they invited). Every team whose current policy sets one gets a new version without them, written by no one
 * (`actor_user_id` NULL: the upgrade), so the version list still tells what happened. The names are spelled out
 * here, not imported: a migration must keep doing what it did when it ran.
 */
export class OrganizationOnlySignInSettings1765600000000 implements MigrationInterface {
  name = 'OrganizationOnlySignInSettings1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE teams.policy_versions ALTER COLUMN actor_user_id DROP NOT NULL`);
    await queryRunner.query(`
      INSERT INTO teams.policy_versions (account_id, version, settings, actor_user_id, created_at)
      SELECT current.account_id, current.version + 1,
             current.settings - 'sso.enforced' - 'signin.allowedMethods' - 'sessions.maxAgeHours', NULL, now()
        FROM (SELECT DISTINCT ON (account_id) account_id, version, settings
                FROM teams.policy_versions ORDER BY account_id, version DESC) current
        JOIN teams.accounts a ON a.id = current.account_id AND a.kind = 'team'
       WHERE current.settings ?| ARRAY['sso.enforced', 'signin.allowedMethods', 'sessions.maxAgeHours']`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM teams.policy_versions WHERE actor_user_id IS NULL`);
    await queryRunner.query(`ALTER TABLE teams.policy_versions ALTER COLUMN actor_user_id SET NOT NULL`);
  }
}
