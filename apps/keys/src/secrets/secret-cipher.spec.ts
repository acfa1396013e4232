import { Keyring, SealedValueError } from '@tessera/runtime';
import { randomBytes } from 'node:crypto';
import { SecretCipher, SecretIntegrityError } from './secret-cipher';

const A = randomBytes(32).toString('base64url');
const B = randomBytes(32).toString('base64url');
const ACCOUNT = '0193a5c8-0000-7000-8000-000000000001';
const OTHER = '0193a5c8-0000-7000-8000-000000000002';

describe('SecretCipher', () => {
  const cipher = new SecretCipher(new Keyring([A]));
  const { key, wrapped } = cipher.newDataKey();

  it('opens a value under its data key, account and name only', () => {
    const stored = cipher.encrypt(key, ACCOUNT, 'TOKEN', 'hunter2 ✓');
    expect(stored.ciphertext.toString('utf8')).not.toContain('hunter2');
    expect(cipher.decrypt(key, ACCOUNT, 'TOKEN', stored)).toBe('hunter2 ✓');
    expect(() => cipher.decrypt(key, OTHER, 'TOKEN', stored)).toThrow(SecretIntegrityError);
    expect(() => cipher.decrypt(key, ACCOUNT, 'OTHER_TOKEN', stored)).toThrow(SecretIntegrityError);
    expect(() => cipher.decrypt(randomBytes(32), ACCOUNT, 'TOKEN', stored)).toThrow(SecretIntegrityError);
    const altered = { ...stored, ciphertext: Buffer.from(stored.ciphertext).fill(0, 0, 1) };
    expect(() => cipher.decrypt(key, ACCOUNT, 'TOKEN', altered)).toThrow(SecretIntegrityError);
  });

  it('gives each value its own IV', () => {
    const [first, second] = [1, 2].map(() => cipher.encrypt(key, ACCOUNT, 'TOKEN', 'same'));
    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
  });

  it('unwraps a data key wrapped under a previous root secret as stale, and wraps it under the current one', () => {
    const rotated = new SecretCipher(new Keyring([B, A]));
    const opened = rotated.unwrap(wrapped);
    expect(opened).toEqual({ key, stale: true });
    const rewrapped = rotated.rewrap(opened.key);
    expect(rotated.unwrap(rewrapped)).toEqual({ key, stale: false });
    expect(() => new SecretCipher(new Keyring([B])).unwrap(wrapped)).toThrow(SealedValueError);
  });
});
