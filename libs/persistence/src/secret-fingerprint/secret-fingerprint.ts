import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Keyring } from '@tessera/runtime';
import { DataSource } from 'typeorm';
import { quoteIdentifier } from '../database';

/** The secret the data was written under is not listed: the process must not start (one clear line). */
export class SecretKeyChangedError extends Error {
  constructor(schema: string, storedKeyId: string, keyring: Keyring) {
    super(
      `TESSERA_SECRET_KEY has changed: the ${schema} data is protected under secret ${storedKeyId}, but ` +
        `TESSERA_SECRET_KEY is ${keyring.currentKeyId} and TESSERA_SECRET_KEY_PREVIOUS does not list it. The secret ` +
        'seals the stored token signing key and invitation links, signs cookies and peppers API key hashes, so they ' +
        'would all stop working. Start with the old secret again, or rotate: the new one in TESSERA_SECRET_KEY and ' +
        'the old one in TESSERA_SECRET_KEY_PREVIOUS (README: "Rotating TESSERA_SECRET_KEY").',
    );
  }
}

/**
 * Guards a service's schema against a changed root secret. At init (global modules init first, so before any
 * service code reads sealed data): records the current secret's id if nothing is recorded, accepts the current
 * or a previous one, refuses anything else. At bootstrap (after every module re-sealed what it stores at init):
 * records the current secret, so the previous one can then be dropped.
 */
@Injectable()
export class SecretFingerprint implements OnModuleInit, OnApplicationBootstrap {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
    private readonly schema: string,
  ) {
    this.table = `${quoteIdentifier(schema)}.secret_fingerprint`;
  }

  /** The id of the secret the data was protected under when this process started (after `onModuleInit`). */
  storedKeyId!: string;

  async onModuleInit(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${this.table} (key_id) VALUES ($1) ON CONFLICT (singleton) DO NOTHING`,
      [this.keyring.currentKeyId],
    );
    const [row] = (await this.dataSource.query(`SELECT key_id FROM ${this.table}`)) as { key_id: string }[];
    if (!this.keyring.has(row.key_id)) throw new SecretKeyChangedError(this.schema, row.key_id, this.keyring);
    this.storedKeyId = row.key_id;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.storedKeyId === this.keyring.currentKeyId) return;
    await this.dataSource.query(`UPDATE ${this.table} SET key_id = $1, recorded_at = now()`, [
      this.keyring.currentKeyId,
    ]);
  }
}
