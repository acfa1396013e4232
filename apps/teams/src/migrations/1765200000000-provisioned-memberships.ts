import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which memberships an organization's SSO made (just-in-time provisioning from the IdP's groups): those, and only
 * those, are taken back when the person's groups no longer place them in the team.
 */
export class ProvisionedMemberships1765200000000 implements MigrationInterface {
  name = 'ProvisionedMemberships1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE teams.memberships ADD COLUMN provisioned_by_sso boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE teams.memberships DROP COLUMN provisioned_by_sso`);
  }
}
