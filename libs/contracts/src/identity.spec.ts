import { IDENTITY_EVENTS, IDENTITY_RPC, MAX_USERS_PER_LOOKUP } from './identity';

const USER = '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90';
const SESSION = '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d91';

function paths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

describe('identity payload schemas', () => {
  const decide = IDENTITY_RPC['tessera.identity.device.decide'].request;
  const getMany = IDENTITY_RPC['tessera.identity.user.get-many'].request;
  const complete = IDENTITY_RPC['tessera.identity.signin.complete'].request;

  it('takes a device decision with ids and refuses malformed ones, by field', () => {
    expect(
      decide.safeParse({ userCode: 'bcdf-ghjk', userId: USER, sessionId: SESSION, approve: true }).success,
    ).toBe(true);
    expect(
      paths(
        decide.safeParse({
          userCode: 'BCDFGHJK',
          userId: 'me',
          sessionId: SESSION,
          approve: 'yes',
          accountId: 1,
        }),
      ),
    ).toEqual(['userId', 'approve', 'accountId']);
  });

  it('bounds a user lookup instead of cutting it short', () => {
    expect(getMany.safeParse({ userIds: Array(MAX_USERS_PER_LOOKUP).fill(USER) }).success).toBe(true);
    expect(paths(getMany.safeParse({ userIds: Array(MAX_USERS_PER_LOOKUP + 1).fill(USER) }))).toEqual([
      'userIds',
    ]);
  });

  it('refuses a sign-in for an unknown provider or with an unknown client field', () => {
    expect(
      paths(
        complete.safeParse({
          provider: 'gitlab',
          params: { state: 's' },
          client: { ip: '::1', browser: 'x' },
        }),
      ),
    ).toEqual(['provider', 'client']);
  });

  it('describes why a session was revoked with a closed set of reasons', () => {
    const revoked = IDENTITY_EVENTS['tessera.events.identity.session.revoked'];
    expect(revoked.safeParse({ sessionId: SESSION, userId: USER, reason: 'policy' }).success).toBe(true);
    expect(revoked.safeParse({ sessionId: SESSION, userId: USER, reason: 'bored' }).success).toBe(false);
  });
});
