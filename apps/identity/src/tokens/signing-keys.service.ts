import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { Jwks } from '@tessera/contracts';
import { CONFIG, decrypt, deriveKey, encrypt } from '@tessera/runtime';
import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { DataSource, IsNull } from 'typeorm';
import { SigningKey } from './signing-key.entity';

export interface ActiveKey {
  kid: string;
  privateKey: KeyObject;
}

/**
 * The Ed25519 key that signs access tokens. From `TESSERA_JWT_PRIVATE_KEY` when set; otherwise generated once,
 * stored encrypted under a key derived from `TESSERA_SECRET_KEY`, and reused by every replica and restart, so tokens
 * stay valid across both. Keys no longer active stay in the JWKS until their tokens have expired.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private active!: ActiveKey;
  private jwks!: Jwks;
  private readonly encryptionKey: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {
    this.encryptionKey = deriveKey(config.secretKey, 'identity/signing-key-encryption');
  }

  async onModuleInit(): Promise<void> {
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

  /** The oldest unretired stored key, or a new one. Replicas racing to create one settle on the same row. */
  private async storedKey(): Promise<ActiveKey> {
    const repository = this.dataSource.getRepository(SigningKey);
    const existing = await repository.findOne({
      where: { retiredAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
    if (existing)
      return toActiveKey(createPrivateKey(decrypt(this.encryptionKey, existing.privateKeyEncrypted)));

    const { privateKey } = generateKeyPairSync('ed25519');
    const key = await toActiveKey(privateKey);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('tessera:identity:signing-key'))`);
      if (await manager.getRepository(SigningKey).exists({ where: { retiredAt: IsNull() } })) return;
      await manager.getRepository(SigningKey).save({
        kid: key.kid,
        publicJwk: await publicJwk(privateKey),
        privateKeyEncrypted: encrypt(
          this.encryptionKey,
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
