import { POLICIES_RPC, PolicySettingsInputSchema, PolicySettingsSchema } from './policies';
import { validationDetails } from './schema';

const command = {
  accountId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90',
  actorUserId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d91',
};
const set = POLICIES_RPC['tessera.teams.policy.set'].request;

const details = (value: unknown) => validationDetails(set, value);

describe('policy settings schema', () => {
  it('names each wrong setting by its path', () => {
    expect(
      details({
        ...command,
        settings: {
          'keys.maxLifetimeDays': 0,
          'sessions.maxAgeHours': 1.5,
          'keys.allowedScopes': [],
          'signin.allowedMethods': ['password'],
          'sso.enforced': 'yes',
        },
      }),
    ).toEqual([
      { path: 'settings.sso.enforced', message: 'Must be true or false.' },
      { path: 'settings.signin.allowedMethods[0]', message: 'Must be github, google or saml.' },
      { path: 'settings.keys.allowedScopes', message: 'Must be a list of API, ADMIN (1 to 100).' },
      { path: 'settings.keys.maxLifetimeDays', message: 'Must be a whole number of days from 1 to 3650.' },
      { path: 'settings.sessions.maxAgeHours', message: 'Must be a whole number of hours from 1 to 8760.' },
    ]);
  });

  it('refuses an unknown setting by name, a document that is not an object, and a bad version', () => {
    const [unknown] = details({ ...command, settings: { 'keys.allowedScope': ['API'] } });
    expect(unknown).toMatchObject({ path: 'settings' });
    expect(unknown?.message).toContain('"keys.allowedScope"');
    expect(details({ ...command, settings: 'everything' })[0]?.message).toContain('`settings`');
    expect(details({ ...command, settings: {}, expectedVersion: -1 })[0]?.path).toBe('expectedVersion');
  });

  it('reads lists as stored (sorted, without repeats, domains normalized) and drops removed settings', () => {
    expect(
      PolicySettingsInputSchema.parse({
        'keys.allowedScopes': ['API', 'ADMIN', 'API'],
        'invitations.allowedDomains': ['Acme.COM.', 'beta.example'],
        'keys.maxLifetimeDays': null,
      }),
    ).toEqual({
      'keys.allowedScopes': ['ADMIN', 'API'],
      'invitations.allowedDomains': ['acme.com', 'beta.example'],
    });
    const [domain] = details({ ...command, settings: { 'invitations.allowedDomains': ['not a domain'] } });
    expect(domain?.path).toBe('settings.invitations.allowedDomains[0]');
  });

  it('reads a stored policy unchanged', () => {
    const stored = { 'signin.allowedMethods': ['google', 'saml'], 'data.retentionDays': 30 };
    expect(PolicySettingsSchema.parse(stored)).toEqual(stored);
  });
});
