import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import {
  CreateKeyRequest,
  IssuedKey,
  KeyCommand,
  KeyScope,
  KeyView,
  VerifiedKey,
  VerifyKeyRequest,
} from '@tessera/contracts';
import { OutboxWriter, SecretFingerprint } from '@tessera/persistence';
import {
  API_KEY_PEPPER_PURPOSE,
  CONFIG,
  Keyring,
  apiKeyHash,
  apiKeyHint,
  constantTimeEqual,
  generateApiKey,
} from '@tessera/runtime';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { KeysErrors } from '../keys.errors';
import { ApiKey, KeySecret } from './api-key.entity';
import { KeyPolicyService } from './key-policy.service';

interface VerifyRow {
  hash: string;
  key_id: string;
  account_id: string;
  scope: KeyScope;
  key_expires_at: Date | null;
  secret_expires_at: Date | null;
  revoked_at: Date | null;
}

/**
 * API keys: issued to an account (they outlive the member who made them), verified by the hash of their secret,
 * rotated with a grace period, revoked for good. Every change writes its event in the same transaction, which
 * is how every gateway learns to drop a cached key within a second.
 */
@Injectable()
export class KeysService implements OnModuleInit {
  private readonly keyring: Keyring;
  private readonly pepper: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly keyPolicy: KeyPolicyService,
    private readonly fingerprint: SecretFingerprint,
    @Inject(CONFIG) config: ServiceConfig,
  ) {
    this.keyring = Keyring.fromConfig(config);
    this.pepper = this.keyring.derive(API_KEY_PEPPER_PURPOSE)[0].key;
  }

  /**
   * Refuses to start while a usable key is hashed under a secret no longer listed: it would stop working
   * without a word. Hashes from before pepper ids were kept were made under the secret the schema was recorded
   * under (checked by `SecretFingerprint`, which inits first).
   */
  async onModuleInit(): Promise<void> {
    await this.dataSource.query(
      `UPDATE keys.key_secrets SET pepper_key_id = $1 WHERE pepper_key_id IS NULL`,
      [this.fingerprint.storedKeyId],
    );
    const stranded = (await this.dataSource.query(
      `SELECT s.pepper_key_id, count(*)::int AS keys
         FROM keys.key_secrets s JOIN keys.api_keys k ON k.id = s.key_id
        WHERE s.pepper_key_id <> ALL($1) AND k.revoked_at IS NULL
          AND coalesce(s.expires_at, 'infinity') > now() AND coalesce(k.expires_at, 'infinity') > now()
        GROUP BY s.pepper_key_id`,
      [this.keyring.keyIds],
    )) as { pepper_key_id: string; keys: number }[];
    if (stranded.length > 0)
      throw new Error(
        `TESSERA_SECRET_KEY_PREVIOUS is missing a secret API keys still need: ${stranded
          .map((row) => `${row.keys} key secret(s) hashed under secret ${row.pepper_key_id}`)
          .join(
            ', ',
          )}, not used since TESSERA_SECRET_KEY changed. Keep that secret in TESSERA_SECRET_KEY_PREVIOUS ` +
          'until they are used (each is hashed again under the current secret on first use), or revoke them.',
      );
  }

  async create({ accountId, actorUserId, name, scope, expiresAt }: CreateKeyRequest): Promise<IssuedKey> {
    const key = {
      id: uuidv7(),
      accountId,
      name,
      scope,
      createdByUserId: actorUserId,
      expiresAt: futureDate(expiresAt),
    };
    return this.dataSource.transaction(async (manager) => {
      // Checked under the account's policy lock, so a policy change cannot come in between check and insert.
      await this.keyPolicy.assertAllowed(manager, accountId, key);
      await manager.insert(ApiKey, key);
      const secret = await this.addSecret(manager, key.id);
      await this.outbox.add(manager, 'tessera.events.keys.key.created', {
        keyId: key.id,
        accountId,
        actorUserId,
        name: key.name,
        scope: key.scope,
      });
      return { key: await this.view(manager, key.id), secret };
    });
  }

  /** The account's keys that still exist (revoked ones are gone), newest first. */
  async list(accountId: string): Promise<KeyView[]> {
    const keys = await this.dataSource.getRepository(ApiKey).find({
      where: { accountId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
    return Promise.all(keys.map((key) => this.view(this.dataSource.manager, key.id, key)));
  }

  /** Permanent: the key leaves the list and every gateway refuses it within a second. */
  async revoke({ accountId, actorUserId, keyId }: KeyCommand & { keyId: string }): Promise<KeyView> {
    return this.dataSource.transaction(async (manager) => {
      const key = await this.liveKey(manager, accountId, keyId);
      await manager.update(ApiKey, { id: keyId }, { revokedAt: new Date() });
      await this.outbox.add(manager, 'tessera.events.keys.key.revoked', { keyId, accountId, actorUserId });
      return this.view(manager, keyId, key);
    });
  }

  /**
   * A new secret for the key; every older secret keeps working for `graceSeconds` more (0: stops at once), so
   * deployments can switch without an outage. Name, scope, expiry and usage history stay with the key.
   */
  async rotate({
    accountId,
    actorUserId,
    keyId,
    graceSeconds,
  }: KeyCommand & { keyId: string; graceSeconds: number }): Promise<IssuedKey> {
    return this.dataSource.transaction(async (manager) => {
      await this.liveKey(manager, accountId, keyId);
      const graceEnd = new Date(Date.now() + graceSeconds * 1000);
      await manager.query(
        `UPDATE keys.key_secrets SET expires_at = LEAST(coalesce(expires_at, $2), $2) WHERE key_id = $1`,
        [keyId, graceEnd],
      );
      const secret = await this.addSecret(manager, keyId);
      await this.outbox.add(manager, 'tessera.events.keys.key.rotated', {
        keyId,
        accountId,
        actorUserId,
        previousSecretValidUntil: graceEnd.toISOString(),
      });
      return { key: await this.view(manager, keyId), secret };
    });
  }

  /**
   * The key a secret's hash belongs to, if it may be used now. Every refusal is the same `invalid_credentials`:
   * the caller learns nothing about whether the key exists, was revoked or expired.
   *
   * `previousHashes` (at most one per previous secret, from the caller's own keyring) find keys hashed before a
   * rotation of `TESSERA_SECRET_KEY`; such a row is stored under `hash`, the current pepper's, from then on.
   * One indexed lookup either way.
   */
  async verify({ hash, previousHashes = [] }: VerifyKeyRequest): Promise<VerifiedKey> {
    const hashes = [hash, ...previousHashes];
    if (hashes.length > this.keyring.keyIds.length) throw KeysErrors.invalidCredentials();
    const rows = (await this.dataSource.query(
      `SELECT s.hash, s.key_id, k.account_id, k.scope, k.expires_at AS key_expires_at,
              s.expires_at AS secret_expires_at, k.revoked_at
         FROM keys.key_secrets s JOIN keys.api_keys k ON k.id = s.key_id
        WHERE s.hash = ANY($1)`,
      [hashes],
    )) as VerifyRow[];
    // The index found rows by equality; comparing again in constant time costs nothing and holds even if the
    // lookup is ever replaced by one that is not exact. The current hash wins over a previous one.
    const row = hashes
      .map((candidate) => rows.find((found) => constantTimeEqual(found.hash, candidate)))
      .find((found) => found !== undefined);
    const now = Date.now();
    const validUntil = earliest(row?.key_expires_at ?? null, row?.secret_expires_at ?? null);
    if (!row || row.revoked_at || (validUntil && validUntil.getTime() <= now))
      throw KeysErrors.invalidCredentials();
    if (row.hash !== hash) await this.rehash(row.hash, hash);
    return {
      keyId: row.key_id,
      accountId: row.account_id,
      scope: row.scope,
      validUntil: validUntil?.toISOString() ?? null,
    };
  }

  private async addSecret(manager: EntityManager, keyId: string): Promise<string> {
    const secret = generateApiKey();
    await manager.insert(KeySecret, {
      hash: apiKeyHash(this.pepper, secret),
      pepperKeyId: this.keyring.currentKeyId,
      keyId,
      ...apiKeyHint(secret),
    });
    return secret;
  }

  /** Moves a key hashed under a previous secret's pepper to the current one; a concurrent move is a no-op. */
  private async rehash(previousHash: string, hash: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE keys.key_secrets SET hash = $2, pepper_key_id = $3 WHERE hash = $1
          AND NOT EXISTS (SELECT 1 FROM keys.key_secrets WHERE hash = $2)`,
      [previousHash, hash, this.keyring.currentKeyId],
    );
  }

  /** The account's key, locked for a change; revoked keys are gone (`not_found`), like keys of other accounts. */
  private async liveKey(manager: EntityManager, accountId: string, keyId: string): Promise<ApiKey> {
    const key = await manager.findOne(ApiKey, {
      where: { id: keyId, accountId, revokedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
    if (!key) throw KeysErrors.notFound();
    return key;
  }

  private async view(manager: EntityManager, keyId: string, known?: ApiKey): Promise<KeyView> {
    const key = known ?? (await manager.findOneByOrFail(ApiKey, { id: keyId }));
    const secrets = await manager.find(KeySecret, { where: { keyId }, order: { createdAt: 'DESC' } });
    const current = secrets.find((secret) => secret.expiresAt === null) ?? secrets[0];
    const graceEnds = secrets
      .map((secret) => secret.expiresAt?.getTime() ?? 0)
      .filter((time) => time > Date.now());
    return {
      id: key.id,
      accountId: key.accountId,
      name: key.name,
      scope: key.scope,
      prefix: current.prefix,
      last4: current.last4,
      createdByUserId: key.createdByUserId,
      createdAt: key.createdAt.toISOString(),
      expiresAt: key.expiresAt?.toISOString() ?? null,
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      previousSecretValidUntil: graceEnds.length > 0 ? new Date(Math.max(...graceEnds)).toISOString() : null,
    };
  }
}

/** The schema checked the format; whether the moment is still ahead is for the clock of the service. */
function futureDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  if (date.getTime() <= Date.now()) throw KeysErrors.invalidExpiry();
  return date;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}
