import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who has approved a pending move. A team with two or more Admins moves only with two of them (no single Admin
 * hands a shared team to an organization alone), so the team side's consent is a list of distinct Admins; the
 * organization's is one Org Admin. How many team approvals are needed is fixed when the move is requested (two when
 * the team then had several Admins), so demoting a co-Admin afterwards cannot lower it. Pending transfers made before
 * keep the consent their requester gave.
 */
export class TransferApprovals1765431800000 implements MigrationInterface {
  name = 'TransferApprovals1765431800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE teams.transfers
        ADD COLUMN team_approver_ids uuid[] NOT NULL DEFAULT '{}',  -- distinct Admins of the team who approved
        ADD COLUMN team_approvals_needed smallint NOT NULL DEFAULT 1
          CHECK (team_approvals_needed IN (1, 2)),                   -- 2 when the team had several Admins at request
        ADD COLUMN organization_approver_id uuid                     -- the Org Admin who approved
    `);
    await queryRunner.query(`
      UPDATE teams.transfers
         SET team_approver_ids = CASE WHEN requested_by = 'team' THEN ARRAY[requested_by_user_id] ELSE '{}' END,
             organization_approver_id = CASE WHEN requested_by = 'organization' THEN requested_by_user_id END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE teams.transfers DROP COLUMN organization_approver_id, DROP COLUMN team_approvals_needed, DROP COLUMN team_approver_ids`,
    );
  }
}
