import { Keyring } from '@tessera/runtime';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What the keyring seals data keys for: a value sealed for another purpose never opens as a data key. */
export const SECRET_DATA_KEY_PURPOSE = 'keys/secret-data-key';

/** A value as stored: AES-256-GCM parts. */
export interface EncryptedValue {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** A stored value that does not open under its account's data key: altered, or moved from another row. */
export class SecretIntegrityError extends Error {}

/**
 * The cryptography of team secrets, and nothing else: data keys are random per account and wrapped by the
 * keyring (current root secret seals, every listed one opens); values are encrypted under the data key with
 * the account and name bound as additional authenticated data.
 */
export class SecretCipher {
  constructor(private readonly keyring: Keyring) {}

  /** A new random data key, and its wrapped form to store. */
  newDataKey(): { key: Buffer; wrapped: string } {
    const key = randomBytes(32);
    return { key, wrapped: this.keyring.seal(SECRET_DATA_KEY_PURPOSE, key.toString('base64url')) };
  }

  /** The data key; `stale` when an older root secret wrapped it (wrap it again with `rewrap`). */
  unwrap(wrapped: string): { key: Buffer; stale: boolean } {
    const opened = this.keyring.open(SECRET_DATA_KEY_PURPOSE, wrapped);
    return { key: Buffer.from(opened.plaintext, 'base64url'), stale: opened.stale };
  }

  rewrap(key: Buffer): string {
    return this.keyring.seal(SECRET_DATA_KEY_PURPOSE, key.toString('base64url'));
  }

  encrypt(key: Buffer, accountId: string, name: string, value: string): EncryptedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(accountId, name));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), ciphertext };
  }

  decrypt(key: Buffer, accountId: string, name: string, stored: EncryptedValue): string {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, stored.iv, { authTagLength: 16 });
      decipher.setAAD(associatedData(accountId, name));
      decipher.setAuthTag(stored.tag);
      return Buffer.concat([decipher.update(stored.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretIntegrityError(
        `secret ${name} of account ${accountId} does not open under its data key`,
      );
    }
  }
}

function associatedData(accountId: string, name: string): Buffer {
  return Buffer.from(`tessera/secret/v1/${accountId}/${name}`);
}
