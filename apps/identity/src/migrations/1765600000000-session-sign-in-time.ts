import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the person behind a session last proved who they are. `sessions.maxAgeHours` counts from it, not from
 * the session's creation: a session a device login opens inherits the approving browser session's time, so
 * approving device logins cannot renew a session the policy has ended. Existing sessions started at sign-in.
 */
export class SessionSignInTime1765600000000 implements MigrationInterface {
  name = 'SessionSignInTime1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity.sessions ADD COLUMN signed_in_at timestamptz`);
    await queryRunner.query(`UPDATE identity.sessions SET signed_in_at = created_at`);
    await queryRunner.query(
      `ALTER TABLE identity.sessions ALTER COLUMN signed_in_at SET NOT NULL, ALTER COLUMN signed_in_at SET DEFAULT now()`,
    );
    // Set when a browser session approves the grant: the session the CLI receives signed in then.
    await queryRunner.query(`ALTER TABLE identity.device_grants ADD COLUMN signed_in_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity.device_grants DROP COLUMN signed_in_at`);
    await queryRunner.query(`ALTER TABLE identity.sessions DROP COLUMN signed_in_at`);
  }
}
