import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { MAX_RESOLVED_JSON_BYTES, ResolvedSecrets, SecretView, TesseraError } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { CONFIG, Keyring, SealedValueError } from '@tessera/runtime';
import { SecretCipher } from './secret-cipher';
import { SecretRow, SecretsRepository } from './secrets.repository';

/**
 * Team secrets: set, listed by name, deleted, and resolved to their values for the decision point. Values never
 * leave this service but to the decision point, and are never logged nor put in an event. The gateway has
 * authorized every call.
 */
@Injectable()
export class SecretsService implements OnModuleInit {
  private readonly cipher: SecretCipher;
  private readonly keyring: Keyring;

  constructor(
    private readonly secrets: SecretsRepository,
    private readonly outbox: OutboxWriter,
    @Inject(CONFIG) config: ServiceConfig,
  ) {
    this.keyring = Keyring.fromConfig(config);
    this.cipher = new SecretCipher(this.keyring);
  }

  /**
   * Wraps every data key an older root secret wrapped again under the current one, as identity does with its
   * signing keys, so that secret can leave `TESSERA_SECRET_KEY_PREVIOUS`. Refuses to start when a data key was
   * wrapped under a secret no longer listed: that account's secrets would be lost without a word.
   */
  async onModuleInit(): Promise<void> {
    const stranded: string[] = [];
    for (const row of await this.secrets.wrappedOutside(this.keyring.currentKeyId)) {
      try {
        await this.rewrapIfStale(row.account_id, row.wrapped_key);
      } catch (error) {
        if (!(error instanceof SealedValueError)) throw error;
        stranded.push(row.account_id);
      }
    }
    if (stranded.length > 0)
      throw new Error(
        `TESSERA_SECRET_KEY_PREVIOUS is missing a secret that team secrets still need: ${stranded.length} ` +
          "account(s)' data keys were wrapped under a secret that is neither TESSERA_SECRET_KEY nor listed in " +
          'TESSERA_SECRET_KEY_PREVIOUS. List it again in TESSERA_SECRET_KEY_PREVIOUS; they are wrapped under the current secret at start.',
      );
  }

  /**
   * Stores the value encrypted, replacing any older one; creates the account's data key on its first secret.
   * The event `tessera.events.keys.secret.set` is written in the same transaction.
   */
  async set(command: SecretCommand & { value: string }): Promise<SecretView> {
    const { accountId, actorUserId, name, value } = command;
    return this.secrets.transaction(async (manager) => {
      const secrets = this.secrets.in(manager);
      const wrapped = await secrets.wrappedKeyOrAdd(accountId, () => this.cipher.newDataKey().wrapped);
      const { key } = this.cipher.unwrap(wrapped);
      const row = await secrets.upsert(
        accountId,
        name,
        this.cipher.encrypt(key, accountId, name, value),
        actorUserId,
      );
      await this.outbox.add(manager, 'tessera.events.keys.secret.set', {
        accountId,
        name,
        actorUserId,
        created: row.created,
      });
      return viewOf(row);
    });
  }

  async list(accountId: string): Promise<SecretView[]> {
    return (await this.secrets.list(accountId)).map(viewOf);
  }

  /** Deletes the secret and writes `tessera.events.keys.secret.deleted` in the same transaction. */
  async delete({ accountId, actorUserId, name }: SecretCommand): Promise<{ deleted: true }> {
    return this.secrets.transaction(async (manager) => {
      if (!(await this.secrets.in(manager).delete(accountId, name)))
        throw new TesseraError('not_found', `The account has no secret ${name}.`);
      await this.outbox.add(manager, 'tessera.events.keys.secret.deleted', { accountId, name, actorUserId });
      return { deleted: true };
    });
  }

  /**
   * The values of those of `names` the account has; the others are `missing`. Refused `payload_too_large` when
   * the answer would be over `MAX_RESOLVED_JSON_BYTES` of JSON: it would not fit in one NATS message, and the
   * caller would wait for a reply that never comes.
   */
  async resolve({ accountId, names }: { accountId: string; names: string[] }): Promise<ResolvedSecrets> {
    const stored = await this.secrets.values(accountId, names);
    const secrets: Record<string, string> = {};
    if (stored.length > 0) {
      const wrapped = (await this.secrets.wrappedKey(accountId))!;
      const key = await this.rewrapIfStale(accountId, wrapped);
      for (const row of stored) secrets[row.name] = this.cipher.decrypt(key, accountId, row.name, row);
    }
    const resolved = { accountId, secrets, missing: names.filter((name) => !(name in secrets)) };
    if (Buffer.byteLength(JSON.stringify(resolved)) > MAX_RESOLVED_JSON_BYTES)
      throw new TesseraError(
        'payload_too_large',
        `These ${names.length} secrets are over ${MAX_RESOLVED_JSON_BYTES / 1024} KiB of JSON together, more ` +
          'than one answer carries: ask for fewer names at a time.',
      );
    return resolved;
  }

  /** The data key; wrapped again under the current root secret if an older one wrapped it. */
  private async rewrapIfStale(accountId: string, wrapped: string): Promise<Buffer> {
    const { key, stale } = this.cipher.unwrap(wrapped);
    if (stale) await this.secrets.replaceWrappedKey(accountId, wrapped, this.cipher.rewrap(key));
    return key;
  }
}

interface SecretCommand {
  accountId: string;
  actorUserId: string;
  name: string;
}

function viewOf(row: SecretRow): SecretView {
  return {
    name: row.name,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
    updatedByUserId: row.updated_by_user_id,
    updatedAt: row.updated_at.toISOString(),
  };
}
