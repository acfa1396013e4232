import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import {
  CreateKeyRequest,
  IssuedKey,
  KeyCommand,
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
import { v7 as uuidv7 } from 'uuid';
import { KeysErrors } from '../keys.errors';
import { ApiKey, KeySecret } from './api-key.entity';
import { KeyPolicyService } from './key-policy.service';
import { KeysRepository } from './keys.repository';

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
    private readonly keys: KeysRepository,
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
    await this.keys.assignPepperToUnmarked(this.fingerprint.storedKeyId);
    const stranded = await this.keys.countUsableSecretsOutside(this.keyring.keyIds);
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
    return this.keys.transaction(async (manager) => {
      // Checked under the account's policy lock, so a policy change cannot come in between check and insert.
      await this.keyPolicy.assertAllowed(manager, accountId, key);
      const keys = this.keys.in(manager);
      await keys.add(key);
      const secret = await this.addSecret(keys, key.id);
      await this.outbox.add(manager, 'tessera.events.keys.key.created', {
        keyId: key.id,
        accountId,
        actorUserId,
        name: key.name,
        scope: key.scope,
      });
      return { key: await this.view(keys, key.id), secret };
    });
  }

  /** The account's keys that still exist (revoked ones are gone), newest first. */
  async list(accountId: string): Promise<KeyView[]> {
    const keys = await this.keys.listLive(accountId);
    if (keys.length === 0) return [];
    const secrets = await this.keys.secretsByKey(keys.map((key) => key.id));
    return keys.map((key) => viewOf(key, secrets.get(key.id) ?? []));
  }

  /** Permanent: the key leaves the list and every gateway refuses it within a second. */
  async revoke({ accountId, actorUserId, keyId }: KeyCommand & { keyId: string }): Promise<KeyView> {
    return this.keys.transaction(async (manager) => {
      const keys = this.keys.in(manager);
      const key = await this.liveKey(keys, accountId, keyId);
      await keys.revoke(keyId);
      await this.outbox.add(manager, 'tessera.events.keys.key.revoked', { keyId, accountId, actorUserId });
      return this.view(keys, keyId, key);
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
    return this.keys.transaction(async (manager) => {
      const keys = this.keys.in(manager);
      await this.liveKey(keys, accountId, keyId);
      const graceEnd = new Date(Date.now() + graceSeconds * 1000);
      await keys.endSecretsBy(keyId, graceEnd);
      const secret = await this.addSecret(keys, keyId);
      await this.outbox.add(manager, 'tessera.events.keys.key.rotated', {
        keyId,
        accountId,
        actorUserId,
        previousSecretValidUntil: graceEnd.toISOString(),
      });
      return { key: await this.view(keys, keyId), secret };
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
    const rows = await this.keys.findByHashes(hashes);
    // The index found rows by equality; comparing again in constant time costs nothing and holds even if the
    // lookup is ever replaced by one that is not exact. The current hash wins over a previous one.
    const row = hashes
      .map((candidate) => rows.find((found) => constantTimeEqual(found.hash, candidate)))
      .find((found) => found !== undefined);
    const now = Date.now();
    const validUntil = earliest(row?.key_expires_at ?? null, row?.secret_expires_at ?? null);
    if (!row || row.revoked_at || (validUntil && validUntil.getTime() <= now))
      throw KeysErrors.invalidCredentials();
    if (row.hash !== hash) await this.keys.rehash(row.hash, hash, this.keyring.currentKeyId);
    return {
      keyId: row.key_id,
      accountId: row.account_id,
      scope: row.scope,
      validUntil: validUntil?.toISOString() ?? null,
    };
  }

  private async addSecret(keys: KeysRepository, keyId: string): Promise<string> {
    const secret = generateApiKey();
    await keys.addSecret({
      hash: apiKeyHash(this.pepper, secret),
      pepperKeyId: this.keyring.currentKeyId,
      keyId,
      ...apiKeyHint(secret),
    });
    return secret;
  }

  /** The account's key, locked for a change; revoked keys are gone (`not_found`), like keys of other accounts. */
  private async liveKey(keys: KeysRepository, accountId: string, keyId: string): Promise<ApiKey> {
    const key = await keys.lockLive(accountId, keyId);
    if (!key) throw KeysErrors.notFound();
    return key;
  }

  private async view(keys: KeysRepository, keyId: string, known?: ApiKey): Promise<KeyView> {
    const key = known ?? (await keys.find(keyId));
    const secrets = await keys.secretsByKey([keyId]);
    return viewOf(key, secrets.get(keyId) ?? []);
  }
}

/** What a listing shows of a key: the current secret's prefix and last four, and when a rotation's grace ends. */
function viewOf(key: ApiKey, secrets: KeySecret[]): KeyView {
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
