import { randomBytes } from 'node:crypto';
import { apiKeyHash, apiKeyHint, generateApiKey, isWellFormedApiKey } from './api-key';

describe('API key format', () => {
  it('generates well-formed, distinct keys with the tsk_ prefix', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
    for (const key of keys) {
      expect(key).toMatch(/^tsk_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('refuses any single-character typo by its checksum', () => {
    const key = generateApiKey();
    for (let i = 4; i < key.length; i++) {
      const replacement = key[i] === 'a' ? 'b' : 'a';
      expect(isWellFormedApiKey(key.slice(0, i) + replacement + key.slice(i + 1))).toBe(false);
    }
  });

  it('refuses random text, other prefixes and wrong lengths', () => {
    const key = generateApiKey();
    expect(
      isWellFormedApiKey(`tsk_${randomBytes(28).toString('base64url').replace(/[-_]/g, 'x').slice(0, 38)}`),
    ).toBe(false);
    expect(isWellFormedApiKey(key.replace('tsk_', 'tsx_'))).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}0`)).toBe(false);
    expect(isWellFormedApiKey('')).toBe(false);
  });

  it('hashes under a pepper, and shows only a prefix and the last four', () => {
    const key = generateApiKey();
    const pepper = randomBytes(32);
    expect(apiKeyHash(pepper, key)).toBe(apiKeyHash(pepper, key));
    expect(apiKeyHash(pepper, key)).not.toBe(apiKeyHash(randomBytes(32), key));
    expect(apiKeyHash(pepper, key)).not.toContain(key.slice(4, 12));
    expect(apiKeyHint(key)).toEqual({ prefix: key.slice(0, 8), last4: key.slice(-4) });
  });
});
