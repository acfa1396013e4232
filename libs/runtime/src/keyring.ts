import { secretKeys } from '@tessera/config';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from './secrets';

/** A key for one purpose derived from one root secret, with the id of that secret. */
export interface DerivedKey {
  readonly keyId: string;
  readonly key: Buffer;
}

/** What `open` found: the plaintext, and whether it should be sealed again (older secret or older format). */
export interface OpenedValue {
  readonly plaintext: string;
  readonly stale: boolean;
}

/** A sealed value that no listed secret opens: damaged, meant for another purpose, or sealed under another secret. */
export class SealedValueError extends Error {}

const PURPOSE = /^[a-z0-9/_-]{1,64}$/;
const KEY_ID_BYTES = 6;

/**
 * The short public id of a root secret (8 characters): an HMAC of a constant under the secret, so it names the
 * secret in sealed values, logs and the services' stored fingerprints without revealing anything about it.
 */
export function secretKeyId(secret: string): string {
  return createHmac('sha256', secret)
    .update('tessera/key-id')
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('base64url');
}

/**
 * The root secrets of a process: `TESSERA_SECRET_KEY` (current: seals and signs) and `TESSERA_SECRET_KEY_PREVIOUS`
 * (older ones: still open and verify), so the secret can be rotated without losing sealed values, cookies or
 * API key hashes.
 *
 * Sealed format: `v2.<key id>.<purpose>.<iv>.<tag>.<ciphertext>` (AES-256-GCM under a key derived for the
 * purpose); the key id says which secret to use and the purpose is authenticated data, so a value sealed for one
 * use cannot be replayed as another. `v1.<iv>.<tag>.<ciphertext>` (before key ids) is opened by trying each secret.
 */
export class Keyring {
  readonly keyIds: readonly string[];

  constructor(private readonly secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('a keyring needs at least one secret');
    this.keyIds = secrets.map(secretKeyId);
  }

  static fromConfig(config: { secretKey: string; secretKeyPrevious?: readonly string[] }): Keyring {
    return new Keyring(secretKeys(config));
  }

  get currentKeyId(): string {
    return this.keyIds[0];
  }

  /** True when the secret with this id is listed (current or previous). */
  has(keyId: string): boolean {
    return this.keyIds.includes(keyId);
  }

  /** The purpose's key under every listed secret, the current one first (sign with the first, verify with all). */
  derive(purpose: string): readonly DerivedKey[] {
    return this.secrets.map((secret, i) => ({ keyId: this.keyIds[i], key: deriveKey(secret, purpose) }));
  }

  seal(purpose: string, plaintext: string): string {
    assertPurpose(purpose);
    const [current] = this.secrets;
    const header = `v2.${this.currentKeyId}.${purpose}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', deriveKey(current, purpose), iv);
    cipher.setAAD(Buffer.from(header));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [header, iv, cipher.getAuthTag(), ciphertext].map(text).join('.');
  }

  /** The plaintext of a value sealed for `purpose` under any listed secret; `SealedValueError` otherwise. */
  open(purpose: string, sealed: string): OpenedValue {
    assertPurpose(purpose);
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 6) {
      const [, keyId, sealedPurpose, iv, tag, ciphertext] = parts;
      if (sealedPurpose !== purpose)
        throw new SealedValueError(`the value was sealed for ${sealedPurpose}, not ${purpose}`);
      const index = this.keyIds.indexOf(keyId);
      if (index < 0)
        throw new SealedValueError(
          `the value was sealed under secret ${keyId}, which is neither TESSERA_SECRET_KEY nor in TESSERA_SECRET_KEY_PREVIOUS`,
        );
      const plaintext = openGcm(
        deriveKey(this.secrets[index], purpose),
        iv,
        tag,
        ciphertext,
        `v2.${keyId}.${purpose}`,
      );
      if (plaintext === undefined) throw new SealedValueError('the sealed value is damaged');
      return { plaintext, stale: index > 0 };
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, ciphertext] = parts;
      for (const secret of this.secrets) {
        const plaintext = openGcm(deriveKey(secret, purpose), iv, tag, ciphertext);
        if (plaintext !== undefined) return { plaintext, stale: true };
      }
      throw new SealedValueError(
        'no secret in TESSERA_SECRET_KEY or TESSERA_SECRET_KEY_PREVIOUS opens the value (v1), or it is damaged',
      );
    }
    throw new SealedValueError('not a sealed value');
  }
}

function assertPurpose(purpose: string): void {
  if (!PURPOSE.test(purpose))
    throw new Error(`a sealing purpose is lowercase letters, digits and /_-: ${purpose}`);
}

function text(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}

/** The plaintext, or undefined when the key is not the one or the value was altered (GCM refuses both alike). */
function openGcm(key: Buffer, iv: string, tag: string, ciphertext: string, aad?: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: 16, // a shortened tag would make forgery easier
    });
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
