import { createCipheriv, randomBytes } from 'node:crypto';
import { Keyring, SealedValueError, secretKeyId } from './keyring';
import { deriveKey } from './secrets';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

/** A value in the format written before key ids: `v1.<iv>.<tag>.<ciphertext>`, no purpose bound. */
function sealV1(secret: string, purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, purpose), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

describe('Keyring', () => {
  it('names a secret by a short id that does not reveal it', () => {
    expect(secretKeyId(A)).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(secretKeyId(A)).not.toBe(secretKeyId(B));
    expect(new Keyring([B, A]).keyIds).toEqual([secretKeyId(B), secretKeyId(A)]);
    expect(Keyring.fromConfig({ secretKey: B, secretKeyPrevious: [A, B] }).keyIds).toEqual([
      secretKeyId(B),
      secretKeyId(A),
    ]);
  });

  it('seals with the current secret, carrying its key id and purpose', () => {
    const sealed = new Keyring([A]).seal('test/purpose', 'hello');
    expect(sealed.split('.').slice(0, 3)).toEqual(['v2', secretKeyId(A), 'test/purpose']);
    expect(sealed).not.toContain('hello');
    expect(new Keyring([A]).open('test/purpose', sealed)).toEqual({ plaintext: 'hello', stale: false });
  });

  it('opens what an older secret sealed, and says it should be sealed again', () => {
    const sealed = new Keyring([A]).seal('test/purpose', 'hello');
    expect(new Keyring([B, A]).open('test/purpose', sealed)).toEqual({ plaintext: 'hello', stale: true });
  });

  it('opens v1 values under any listed secret, always as stale', () => {
    const legacy = sealV1(A, 'test/purpose', 'hello');
    expect(new Keyring([A]).open('test/purpose', legacy)).toEqual({ plaintext: 'hello', stale: true });
    expect(new Keyring([B, A]).open('test/purpose', legacy)).toEqual({ plaintext: 'hello', stale: true });
    expect(() => new Keyring([B]).open('test/purpose', legacy)).toThrow(SealedValueError);
  });

  it('refuses a value sealed under a secret it does not list, naming the variables', () => {
    const sealed = new Keyring([C]).seal('test/purpose', 'hello');
    expect(() => new Keyring([B, A]).open('test/purpose', sealed)).toThrow(
      /sealed under secret .{8}, which is neither TESSERA_SECRET_KEY nor in TESSERA_SECRET_KEY_PREVIOUS/,
    );
  });

  it('binds the purpose: a value sealed for one use does not open as another, even relabelled', () => {
    const keyring = new Keyring([A]);
    const sealed = keyring.seal('test/one', 'hello');
    expect(() => keyring.open('test/two', sealed)).toThrow(/sealed for test\/one/);
    // Relabelled to the other purpose: the key and the authenticated header no longer match.
    const relabelled = sealed.replace('.test/one.', '.test/two.');
    expect(() => keyring.open('test/two', relabelled)).toThrow('the sealed value is damaged');
  });

  it('refuses altered values and values with a shortened tag', () => {
    const keyring = new Keyring([A]);
    const parts = keyring.seal('test/purpose', 'hello').split('.');
    const flipped = Buffer.from(parts[5], 'base64url');
    flipped[0] ^= 1;
    const altered = [...parts.slice(0, 5), flipped.toString('base64url')].join('.');
    expect(() => keyring.open('test/purpose', altered)).toThrow(SealedValueError);
    const shortTag = [
      ...parts.slice(0, 4),
      Buffer.from(parts[4], 'base64url').subarray(0, 4).toString('base64url'),
      parts[5],
    ].join('.');
    expect(() => keyring.open('test/purpose', shortTag)).toThrow(SealedValueError);
    expect(() => keyring.open('test/purpose', 'garbage')).toThrow('not a sealed value');
  });

  it('derives one key per purpose under every secret, the current first', () => {
    const keys = new Keyring([B, A]).derive('test/purpose');
    expect(keys.map((k) => k.keyId)).toEqual([secretKeyId(B), secretKeyId(A)]);
    expect(keys[0].key.equals(deriveKey(B, 'test/purpose'))).toBe(true);
    expect(keys[1].key.equals(deriveKey(A, 'test/purpose'))).toBe(true);
  });
});
