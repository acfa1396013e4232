import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret, URL-safe: `bytes` of entropy from the OS generator (32 bytes = 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * The stored form of a random secret (refresh token, device code, state). A fast hash is right here: the secrets
 * are random, so there is nothing to guess that a slow hash would protect.
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A 256-bit key for one purpose from a root secret, so no two uses share a key (see `Keyring` for all secrets). */
export function deriveKey(rootSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', rootSecret, 'tessera', purpose, 32));
}
