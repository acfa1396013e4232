import { Injectable } from '@nestjs/common';
import { PolicySettings } from '@tessera/contracts';
import { BoundRepository } from '@tessera/persistence';

/** Per account, the newest policy an event brought (`account_policies`); its row is the account's key lock. */
@Injectable()
export class AccountPoliciesRepository extends BoundRepository {
  /** Takes the account's row in share mode until commit, making it first if the account has none yet. */
  async holdShared(accountId: string): Promise<void> {
    await this.manager.query(
      `INSERT INTO keys.account_policies (account_id, effective, as_of) VALUES ($1, '{}', '-infinity')
       ON CONFLICT (account_id) DO NOTHING`,
      [accountId],
    );
    await this.manager.query(`SELECT 1 FROM keys.account_policies WHERE account_id = $1 FOR SHARE`, [
      accountId,
    ]);
  }

  /**
   * Stores `policy` as of `asOf` unless a newer one is stored, holding the row exclusively until commit; false
   * when the stored one is newer (and nothing changed).
   */
  async storeUnlessNewer(accountId: string, policy: PolicySettings, asOf: Date): Promise<boolean> {
    const stored = (await this.manager.query(
      `INSERT INTO keys.account_policies AS p (account_id, effective, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET effective = EXCLUDED.effective, as_of = EXCLUDED.as_of
        WHERE p.as_of <= EXCLUDED.as_of
       RETURNING account_id`,
      [accountId, JSON.stringify(policy), asOf],
    )) as unknown[];
    return stored.length > 0;
  }
}
