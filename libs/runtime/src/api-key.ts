import { createHmac, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The API key format: `tsk_` + 32 random base62 characters (≈190 bits from the OS generator) + a 6-character
 * base62 CRC-32 of everything before it — 42 characters, e.g. `tsk_4KcV…Qx9a3Zt1`.
 *
 * - The prefix lets secret scanners (and people) recognise a leaked Tessera key.
 * - The checksum lets a typo or a made-up key be refused before any lookup, so guessing costs the attacker a
 *   request and Tessera nothing. It is not a secret and proves nothing about validity.
 * - Only `keyHash` is stored: HMAC-SHA-256 under a pepper derived from `TESSERA_SECRET_KEY`, so a copy of the
 *   database alone cannot even confirm a leaked key. A fast hash is right: the keys are random.
 */
export const API_KEY_PREFIX = 'tsk_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);
export const API_KEY_PEPPER_PURPOSE = 'keys/pepper';

export function generateApiKey(): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += BASE62[randomInt(BASE62.length)];
  return `${API_KEY_PREFIX}${body}${checksum(API_KEY_PREFIX + body)}`;
}

/** True when the text has the shape and checksum of a Tessera key (it may still be unknown or revoked). */
export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_PATTERN.test(key)) return false;
  const cut = key.length - CHECKSUM_LENGTH;
  return checksum(key.slice(0, cut)) === key.slice(cut);
}

export function apiKeyHash(pepper: Buffer, key: string): string {
  return createHmac('sha256', pepper).update(key).digest('base64url');
}

/** What may be shown of a key: its first eight characters and its last four. */
export function apiKeyHint(key: string): { prefix: string; last4: string } {
  return { prefix: key.slice(0, API_KEY_PREFIX.length + 4), last4: key.slice(-4) };
}

function checksum(text: string): string {
  let value = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}
