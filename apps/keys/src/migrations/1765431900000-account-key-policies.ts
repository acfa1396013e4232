import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per account, the newest effective policy the policy events brought to the keys service (an older event is then
 * ignored). The row is also the account's lock that makes "check the policy, insert the key" and "apply a new
 * policy to existing keys" exclusive: a key is either checked after the new policy or already there when it is
 * applied.
 */
export class AccountKeyPolicies1765431900000 implements MigrationInterface {
  name = 'AccountKeyPolicies1765431900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE keys.account_policies (
        account_id uuid PRIMARY KEY,   -- teams' account id; no foreign key across services
        effective jsonb NOT NULL,      -- the effective policy the newest applied event carried ({}: none yet)
        as_of timestamptz NOT NULL     -- when that event occurred (-infinity: none yet); older events are ignored
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE keys.account_policies`);
  }
}
