import { Injectable } from '@nestjs/common';
import { BoundRepository } from '@tessera/persistence';
import { EncryptedValue } from './secret-cipher';

/** A secret's row without its value. */
export interface SecretRow {
  name: string;
  created_by_user_id: string;
  created_at: Date;
  updated_by_user_id: string;
  updated_at: Date;
}

export interface StoredSecret extends EncryptedValue {
  name: string;
}

/** Secrets (`keys.secrets`) and the wrapped data key of each account that has any (`keys.secret_data_keys`). */
@Injectable()
export class SecretsRepository extends BoundRepository {
  async wrappedKey(accountId: string): Promise<string | undefined> {
    const rows: { wrapped_key: string }[] = await this.manager.query(
      `SELECT wrapped_key FROM keys.secret_data_keys WHERE account_id = $1`,
      [accountId],
    );
    return rows[0]?.wrapped_key;
  }

  /**
   * The account's wrapped data key, storing `wrapped` first if it has none. Two first writers for one account
   * agree: the second insert waits for the first to commit, then finds its key.
   */
  async wrappedKeyOrAdd(accountId: string, wrapped: () => string): Promise<string> {
    const existing = await this.wrappedKey(accountId);
    if (existing) return existing;
    await this.manager.query(
      `INSERT INTO keys.secret_data_keys (account_id, wrapped_key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [accountId, wrapped()],
    );
    return (await this.wrappedKey(accountId))!;
  }

  /** Replaces a wrapped key only if it still holds what was read, so replicas re-wrapping together do not clash. */
  async replaceWrappedKey(accountId: string, previous: string, wrapped: string): Promise<void> {
    await this.manager.query(
      `UPDATE keys.secret_data_keys SET wrapped_key = $3 WHERE account_id = $1 AND wrapped_key = $2`,
      [accountId, previous, wrapped],
    );
  }

  /** Every wrapped data key not sealed under the root secret `keyId`. */
  wrappedOutside(keyId: string): Promise<{ account_id: string; wrapped_key: string }[]> {
    return this.manager.query(
      `SELECT account_id, wrapped_key FROM keys.secret_data_keys WHERE split_part(wrapped_key, '.', 2) <> $1`,
      [keyId],
    );
  }

  /**
   * Inserts or replaces the value; `created` tells which (a row an insert wrote has no `xmax`, one the conflict
   * clause updated has). The creator and creation time stay on a replace.
   */
  async upsert(
    accountId: string,
    name: string,
    value: EncryptedValue,
    actorUserId: string,
  ): Promise<SecretRow & { created: boolean }> {
    const [row]: (SecretRow & { created: boolean })[] = await this.manager.query(
      `INSERT INTO keys.secrets AS s (account_id, name, iv, tag, ciphertext, created_by_user_id, updated_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (account_id, name) DO UPDATE
         SET iv = EXCLUDED.iv, tag = EXCLUDED.tag, ciphertext = EXCLUDED.ciphertext,
             updated_by_user_id = EXCLUDED.updated_by_user_id, updated_at = now()
       RETURNING name, created_by_user_id, created_at, updated_by_user_id, updated_at, (xmax = 0) AS created`,
      [accountId, name, value.iv, value.tag, value.ciphertext, actorUserId],
    );
    return row;
  }

  /** The account's secrets by name, without values. */
  list(accountId: string): Promise<SecretRow[]> {
    return this.manager.query(
      `SELECT name, created_by_user_id, created_at, updated_by_user_id, updated_at
         FROM keys.secrets WHERE account_id = $1 ORDER BY name`,
      [accountId],
    );
  }

  /** True when there was such a secret. */
  async delete(accountId: string, name: string): Promise<boolean> {
    // TypeORM answers a DELETE with [rows, affected row count].
    const [, deleted]: [unknown, number] = await this.manager.query(
      `DELETE FROM keys.secrets WHERE account_id = $1 AND name = $2`,
      [accountId, name],
    );
    return deleted > 0;
  }

  /** The encrypted values of those of `names` the account has. */
  values(accountId: string, names: string[]): Promise<StoredSecret[]> {
    return this.manager.query(
      `SELECT name, iv, tag, ciphertext FROM keys.secrets WHERE account_id = $1 AND name = ANY($2)`,
      [accountId, names],
    );
  }
}
