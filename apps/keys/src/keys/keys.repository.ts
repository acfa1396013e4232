import { Injectable } from '@nestjs/common';
import { KeyScope } from '@tessera/contracts';
import { BoundRepository } from '@tessera/persistence';
import { In, IsNull } from 'typeorm';
import { ApiKey, KeySecret } from './api-key.entity';

/** A secret found by its hash, with what deciding whether it may be used needs of its key. */
export interface SecretMatch {
  hash: string;
  key_id: string;
  account_id: string;
  scope: KeyScope;
  key_expires_at: Date | null;
  secret_expires_at: Date | null;
  revoked_at: Date | null;
}

export type NewKey = Pick<ApiKey, 'id' | 'accountId' | 'name' | 'scope' | 'createdByUserId' | 'expiresAt'>;
export type NewSecret = Pick<KeySecret, 'hash' | 'pepperKeyId' | 'keyId' | 'prefix' | 'last4'>;

/** API keys and their secrets (a key has one current secret, and older ones while a rotation's grace lasts). */
@Injectable()
export class KeysRepository extends BoundRepository {
  async add(key: NewKey): Promise<void> {
    await this.manager.insert(ApiKey, key);
  }

  async addSecret(secret: NewSecret): Promise<void> {
    await this.manager.insert(KeySecret, secret);
  }

  find(keyId: string): Promise<ApiKey> {
    return this.manager.findOneByOrFail(ApiKey, { id: keyId });
  }

  /** Each key's secrets, newest first, in one query so a listing does not ask once per key. */
  async secretsByKey(keyIds: string[]): Promise<Map<string, KeySecret[]>> {
    const secrets = await this.manager.find(KeySecret, {
      where: { keyId: In(keyIds) },
      order: { createdAt: 'DESC' },
    });
    const byKey = new Map<string, KeySecret[]>(keyIds.map((id) => [id, []]));
    for (const secret of secrets) byKey.get(secret.keyId)?.push(secret);
    return byKey;
  }

  /** The account's keys not revoked, newest first. */
  listLive(accountId: string): Promise<ApiKey[]> {
    return this.manager.find(ApiKey, {
      where: { accountId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }

  /** The account's key if not revoked, write-locked for a change. */
  lockLive(accountId: string, keyId: string): Promise<ApiKey | null> {
    return this.manager.findOne(ApiKey, {
      where: { id: keyId, accountId, revokedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Every key of the account not revoked, write-locked. */
  lockAllLive(accountId: string): Promise<ApiKey[]> {
    return this.manager.find(ApiKey, {
      where: { accountId, revokedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async revoke(keyId: string): Promise<void> {
    await this.manager.update(ApiKey, { id: keyId }, { revokedAt: new Date() });
  }

  async setExpiry(keyId: string, expiresAt: Date): Promise<void> {
    await this.manager.update(ApiKey, { id: keyId }, { expiresAt });
  }

  /** Every secret of the key stops at `end` at the latest (one that stops sooner keeps its end). */
  async endSecretsBy(keyId: string, end: Date): Promise<void> {
    await this.manager.query(
      `UPDATE keys.key_secrets SET expires_at = LEAST(coalesce(expires_at, $2), $2) WHERE key_id = $1`,
      [keyId, end],
    );
  }

  /** The secrets with any of these hashes, with their keys: one indexed lookup. */
  findByHashes(hashes: string[]): Promise<SecretMatch[]> {
    return this.manager.query(
      `SELECT s.hash, s.key_id, k.account_id, k.scope, k.expires_at AS key_expires_at,
              s.expires_at AS secret_expires_at, k.revoked_at
         FROM keys.key_secrets s JOIN keys.api_keys k ON k.id = s.key_id
        WHERE s.hash = ANY($1)`,
      [hashes],
    );
  }

  /** Stores a secret under a new hash and pepper; a no-op if another caller moved it first. */
  async rehash(previousHash: string, hash: string, pepperKeyId: string): Promise<void> {
    await this.manager.query(
      `UPDATE keys.key_secrets SET hash = $2, pepper_key_id = $3 WHERE hash = $1
          AND NOT EXISTS (SELECT 1 FROM keys.key_secrets WHERE hash = $2)`,
      [previousHash, hash, pepperKeyId],
    );
  }

  /** Secrets hashed before pepper ids were kept are recorded as hashed under `pepperKeyId`. */
  async assignPepperToUnmarked(pepperKeyId: string): Promise<void> {
    await this.manager.query(`UPDATE keys.key_secrets SET pepper_key_id = $1 WHERE pepper_key_id IS NULL`, [
      pepperKeyId,
    ]);
  }

  /** How many usable secrets each pepper outside `pepperKeyIds` still hashes. */
  countUsableSecretsOutside(
    pepperKeyIds: readonly string[],
  ): Promise<{ pepper_key_id: string; keys: number }[]> {
    return this.manager.query(
      `SELECT s.pepper_key_id, count(*)::int AS keys
         FROM keys.key_secrets s JOIN keys.api_keys k ON k.id = s.key_id
        WHERE s.pepper_key_id <> ALL($1) AND k.revoked_at IS NULL
          AND coalesce(s.expires_at, 'infinity') > now() AND coalesce(k.expires_at, 'infinity') > now()
        GROUP BY s.pepper_key_id`,
      [pepperKeyIds],
    );
  }
}
