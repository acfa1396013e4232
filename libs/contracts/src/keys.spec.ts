import { KEYS_RPC, MAX_GRACE_SECONDS } from './keys';
import { validationDetails } from './schema';

const command = {
  accountId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90',
  actorUserId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d91',
};

describe('key payload schemas', () => {
  const create = KEYS_RPC['tessera.keys.key.create'].request;
  const rotate = KEYS_RPC['tessera.keys.key.rotate'].request;
  const query = KEYS_RPC['tessera.keys.usage.query'].request;

  it('trims a name and refuses a blank or too long one, an unknown scope and a malformed expiry, by field', () => {
    expect(create.parse({ ...command, name: ' CI ', scope: 'API' }).name).toBe('CI');
    expect(
      validationDetails(create, { ...command, name: ' ', scope: 'ROOT', expiresAt: 'tomorrow' }),
    ).toEqual([
      { path: 'name', message: 'A key name has 1 to 64 characters.' },
      { path: 'scope', message: 'The scope must be API or ADMIN.' },
      { path: 'expiresAt', message: 'Must be an ISO 8601 date-time.' },
    ]);
    expect(validationDetails(create, { ...command, name: 'x'.repeat(65), scope: 'API' })[0]?.path).toBe(
      'name',
    );
  });

  it('refuses an unknown field by name rather than dropping it', () => {
    expect(validationDetails(create, { ...command, name: 'x', scope: 'API', expires_in: 3600 })).toEqual([
      { path: '', message: 'Unrecognized key: "expires_in"' },
    ]);
  });

  it('takes a grace of 0 to 7 days in whole seconds', () => {
    const keyId = '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d92';
    expect(rotate.parse({ ...command, keyId, graceSeconds: MAX_GRACE_SECONDS }).graceSeconds).toBe(604800);
    for (const graceSeconds of [-1, 1.5, MAX_GRACE_SECONDS + 1, '60'])
      expect(validationDetails(rotate, { ...command, keyId, graceSeconds })[0]?.path).toBe('graceSeconds');
  });

  it('refuses a usage range that is backwards or longer than a year', () => {
    const base = { accountId: command.accountId, groupBy: 'actor' };
    expect(
      validationDetails(query, { ...base, from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
    ).toEqual([{ path: 'to', message: '`from` must be before `to`.' }]);
    expect(
      validationDetails(query, { ...base, from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })[0]
        .message,
    ).toBe('A usage range spans at most 366 days.');
  });
});
