import { Keyring } from '@tessera/runtime';
import { PendingLink, openPendingLink, sealPendingLink } from './link-confirmation';

const key = new Keyring(['a'.repeat(40)]);
const PENDING: PendingLink = {
  connectionId: '0190b5a0-0000-7000-8000-000000000001',
  subject: 'grace',
  email: 'grace@acme.test',
  name: null,
  placements: [{ teamId: '0190b5a0-0000-7000-8000-000000000002', role: 'developer' }],
  returnTo: '/',
  userId: '0190b5a0-0000-7000-8000-000000000003',
};

describe('pending SSO links', () => {
  it('opens what it sealed, for ten minutes', () => {
    const token = sealPendingLink(key, PENDING, 0);
    expect(openPendingLink(key, token, 10 * 60_000 - 1)).toEqual(PENDING);
    expect(openPendingLink(key, token, 10 * 60_000)).toBeUndefined();
  });

  it('opens nothing altered, sealed with another key, or not a token at all', () => {
    const token = sealPendingLink(key, PENDING, 0);
    const parts = token.split('.');
    const body = parts.pop()!;
    const flipped = `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    expect(openPendingLink(key, [...parts, flipped].join('.'), 0)).toBeUndefined();
    expect(openPendingLink(new Keyring(['b'.repeat(40)]), token, 0)).toBeUndefined();
    for (const junk of ['', 'v1.x.y.z', undefined, 42]) expect(openPendingLink(key, junk, 0)).toBeUndefined();
  });
});
