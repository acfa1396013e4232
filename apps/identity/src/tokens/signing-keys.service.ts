import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { Jwks } from '@tessera/contracts';
import { CONFIG, Keyring } from '@tessera/runtime';
import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { DataSource, IsNull } from 'typeorm';
import { SigningKey } from './signing-key.entity';

export interface ActiveKey {
  kid: string;
  privateKey: KeyObject;
}

const SEALING_PURPOSE = 'identity/signing-key-encryption';

/**
 * The Ed25519 key that signs access tokens. From `TESSERA_JWT_PRIVATE_KEY` when set; otherwise generated once,
 * stored sealed under `TESSERA_SECRET_KEY`, and reused by every replica and restart, so tokens stay valid across
 * both. Keys no longer active stay in the JWKS until their tokens have expired. After a rotation of the secret,
 * every stored key is sealed again under the current one at start, before the service records the new secret's
 * fingerprint, so the old secret can then be dropped.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private active!: ActiveKey;
  private jwks!: Jwks;
  private readonly keyring: Keyring;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {
    this.keyring = Keyring.fromConfig(config);
  }

  async onModuleInit(): Promise<void> {
    await this.resealStoredKeys();
    const configured = this.config.jwtPrivateKey ? createPrivateKey(this.config.jwtPrivateKey) : undefined;
    this.active = configured ? await toActiveKey(configured) : await this.storedKey();
    await this.loadJwks();
  }

  activeKey(): ActiveKey {
    return this.active;
  }

  publicKeys(): Jwks {
    return this.jwks;
  }

  private async loadJwks(): Promise<void> {
    const graceMs = this.config.accessTokenTtlSeconds * 1000;
    const stored = await this.dataSource.getRepository(SigningKey).find();
    const keys = stored
      .filter((key) => !key.retiredAt || key.retiredAt.getTime() > Date.now() - graceMs)
      .map((key) => ({ ...key.publicJwk, kid: key.kid, alg: 'EdDSA', use: 'sig' }));
    if (!keys.some((key) => key.kid === this.active.kid)) {
      keys.unshift({
        ...(await publicJwk(this.active.privateKey)),
        kid: this.active.kid,
        alg: 'EdDSA',
        use: 'sig',
      });
    }
    this.jwks = { keys };
  }

  /**
   * Seals again, under the current secret, every stored key sealed under an older one (or in the older format).
   * Each row is updated only if it still holds what was read, so replicas doing the same at once do not clash.
   */
  private async resealStoredKeys(): Promise<void> {
    const repository = this.dataSource.getRepository(SigningKey);
    for (const key of await repository.find()) {
      const opened = this.keyring.open(SEALING_PURPOSE, key.privateKeyEncrypted);
      if (!opened.stale) continue;
      await repository.update(
        { kid: key.kid, privateKeyEncrypted: key.privateKeyEncrypted },
        { privateKeyEncrypted: this.keyring.seal(SEALING_PURPOSE, opened.plaintext) },
      );
    }
  }

  /** The oldest unretired stored key, or a new one. Replicas racing to create one settle on the same row. */
  private async storedKey(): Promise<ActiveKey> {
    const repository = this.dataSource.getRepository(SigningKey);
    const existing = await repository.findOne({
      where: { retiredAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
    if (existing)
      return toActiveKey(
        createPrivateKey(this.keyring.open(SEALING_PURPOSE, existing.privateKeyEncrypted).plaintext),
      );

    const { privateKey } = generateKeyPairSync('ed25519');
    const key = await toActiveKey(privateKey);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('tessera:identity:signing-key'))`);
      if (await manager.getRepository(SigningKey).exists({ where: { retiredAt: IsNull() } })) return;
      await manager.getRepository(SigningKey).save({
        kid: key.kid,
        publicJwk: await publicJwk(privateKey),
        privateKeyEncrypted: this.keyring.seal(
          SEALING_PURPOSE,
          privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        ),
      });
    });
    return this.storedKey();
  }
}

async function publicJwk(privateKey: KeyObject): Promise<Record<string, unknown>> {
  return { ...(await exportJWK(createPublicKey(privateKey))) };
}

async function toActiveKey(privateKey: KeyObject): Promise<ActiveKey> {
  return { kid: await calculateJwkThumbprint(await exportJWK(createPublicKey(privateKey))), privateKey };
}
