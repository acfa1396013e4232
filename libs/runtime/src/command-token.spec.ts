import { createHmac } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import {
  COMMAND_TOKEN_CLOCK_SKEW_SECONDS,
  COMMAND_TOKEN_LIFETIME_SECONDS,
  CommandTokenSigner,
  CommandTokenVerifier,
} from './command-token';
import { deriveKey } from './secrets';

const SECRET = 'a-root-secret-of-at-least-thirty-two-characters';
const SUBJECT = 'tessera.keys.key.create';
const DATA = { accountId: 'acc-1', actorUserId: 'user-1', name: 'ci', scope: 'ADMIN' };

describe('command tokens', () => {
  let clock: number;
  const now = () => clock;
  let signer: CommandTokenSigner;
  let verifier: CommandTokenVerifier;

  beforeEach(() => {
    clock = Date.UTC(2026, 11, 7, 12);
    signer = new CommandTokenSigner([SECRET], now);
    verifier = new CommandTokenVerifier('keys', [SECRET], now);
  });

  it('accepts a token minted for this call, once', () => {
    const token = signer.sign(SUBJECT, DATA);
    expect(verifier.verify(token, SUBJECT, { ...DATA })).toBeUndefined();
    expect(verifier.verify(token, SUBJECT, DATA)).toBe('replayed');
  });

  it('binds the data whatever the order of its keys, and refuses any change to it', () => {
    const token = signer.sign(SUBJECT, DATA);
    const reordered = { scope: 'ADMIN', name: 'ci', actorUserId: 'user-1', accountId: 'acc-1' };
    expect(verifier.verify(token, SUBJECT, reordered)).toBeUndefined();
    for (const changed of [
      { ...DATA, accountId: 'acc-2' },
      { ...DATA, scope: 'API' },
      { ...DATA, extra: true },
    ]) {
      expect(verifier.verify(signer.sign(SUBJECT, DATA), SUBJECT, changed)).toBe('payload_mismatch');
    }
  });

  it('refuses a token for another subject or another service', () => {
    expect(verifier.verify(signer.sign('tessera.keys.key.rotate', DATA), SUBJECT, DATA)).toBe(
      'wrong_subject',
    );
    // Same subject text, but minted for identity: its key is identity's, so keys cannot even read it.
    const forIdentity = new CommandTokenVerifier('identity', [SECRET], now);
    expect(forIdentity.verify(signer.sign(SUBJECT, DATA), SUBJECT, DATA)).toBe('bad_signature');
  });

  it('refuses a token past its lifetime and one from the future, with a small allowance for skew', () => {
    const token = signer.sign(SUBJECT, DATA);
    clock += (COMMAND_TOKEN_LIFETIME_SECONDS + COMMAND_TOKEN_CLOCK_SKEW_SECONDS) * 1000;
    expect(verifier.verify(token, SUBJECT, DATA)).toBe('expired');

    clock = Date.UTC(2026, 11, 7, 12);
    const ahead = new CommandTokenSigner([SECRET], () => clock + 60_000).sign(SUBJECT, DATA);
    expect(verifier.verify(ahead, SUBJECT, DATA)).toBe('not_yet_valid');
    const slightlyAhead = new CommandTokenSigner([SECRET], () => clock + 3_000).sign(SUBJECT, DATA);
    expect(verifier.verify(slightlyAhead, SUBJECT, DATA)).toBeUndefined();
  });

  it('refuses tokens made without the secret, tampered, or not tokens at all', () => {
    const foreign = new CommandTokenSigner(['another-secret-of-at-least-thirty-two-chars'], now);
    expect(verifier.verify(foreign.sign(SUBJECT, DATA), SUBJECT, DATA)).toBe('bad_signature');
    const token = signer.sign(SUBJECT, DATA);
    const [version, claims, mac] = token.split('.') as [string, string, string];
    const widened = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(verifier.verify(`${version}.${widened}.${mac}`, SUBJECT, DATA)).toBe('bad_signature');
    expect(verifier.verify(undefined, SUBJECT, DATA)).toBe('missing');
    for (const junk of ['', 'x', 'v1.a', 'v2.a.b', 'v1..', `${token}.x`]) {
      expect(verifier.verify(junk, SUBJECT, DATA)).toMatch(/missing|malformed|bad_signature/);
    }
  });

  it('refuses a correctly signed token whose lifetime is longer than the rule', () => {
    const key = deriveKey(SECRET, 'bus/command-token:keys');
    const iat = Math.floor(clock / 1000);
    const claims = { aud: 'keys', sub: SUBJECT, act: 'user-1', bh: 'x', iat, exp: iat + 3600, jti: 'j' };
    const signed = `v1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const token = `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
    expect(verifier.verify(token, SUBJECT, DATA)).toBe('malformed');
  });

  it('accepts a token signed with a previous secret while the verifier still lists it', () => {
    const rotated = new CommandTokenVerifier(
      'keys',
      ['the-new-root-secret-of-thirty-two-chars!', SECRET],
      now,
    );
    expect(rotated.verify(signer.sign(SUBJECT, DATA), SUBJECT, DATA)).toBeUndefined();
  });

  it('names the actor of the data in the token and checks it', () => {
    const token = signer.sign(SUBJECT, DATA);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { act?: string };
    expect(claims.act).toBe('user-1');
    const byUserId = signer.sign('tessera.keys.key.list', { userId: 'user-9' });
    expect(JSON.parse(Buffer.from(byUserId.split('.')[1]!, 'base64url').toString())).toMatchObject({
      act: 'user-9',
    });
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and reads like JSON after a round trip', () => {
    const value = { b: [3, { z: 1, a: undefined }, undefined], a: { d: new Date(0), c: null }, u: undefined };
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":"1970-01-01T00:00:00.000Z"},"b":[3,{"z":1},null]}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
    expect(canonicalJson(undefined)).toBe('null');
  });
});
