import { HttpStandIn, SeenRequest } from '@tessera/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTesseraClient } from './create-client';
import { UnknownTeamError } from './errors';
import { Profile, SavedLogin, TesseraHome } from './store';

const PERSONAL = '0190f0a0-0000-7000-8000-000000000001';
const RESEARCH = '0190f0a0-0000-7000-8000-000000000002';
const PLATFORM = '0190f0a0-0000-7000-8000-000000000003';
const KEY_ACCOUNT = '0190f0a0-0000-7000-8000-000000000004';
const UNREACHABLE = 'http://127.0.0.1:9';

/** The few answers the resolution needs: the person's accounts, the principal, and a token refresh. */
function answer(request: SeenRequest) {
  if (request.path === '/v1/me/accounts')
    return {
      status: 200,
      body: [
        { id: PERSONAL, kind: 'personal', name: 'Ada Lovelace', role: 'admin' },
        { id: RESEARCH, kind: 'team', name: 'Research', role: 'admin' },
        { id: PLATFORM, kind: 'team', name: 'Platform', role: 'developer' },
      ],
    };
  if (request.path === '/auth/token')
    return {
      status: 200,
      body: { access_token: 'fresh', refresh_token: 'tsr_rotated', expires_in: 900, token_type: 'Bearer' },
    };
  const account = request.headers['x-tessera-account'] ?? KEY_ACCOUNT;
  return { status: 200, body: { account: { id: account, kind: 'team' }, actor: { type: 'member' } } };
}

describe('createTesseraClient', () => {
  let api: HttpStandIn;
  let dir: string;
  let home: TesseraHome;

  beforeAll(async () => {
    api = await HttpStandIn.start(answer);
  });
  afterAll(() => api.stop());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-sdk-'));
    home = new TesseraHome(dir);
    api.seen.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const login = (host = api.url, expiresAt = '2999-01-01T00:00:00.000Z'): SavedLogin => ({
    host,
    accessToken: 'saved',
    refreshToken: 'tsr_saved',
    expiresAt,
  });

  async function given(profiles: Record<string, Profile>, logins: Record<string, SavedLogin> = {}) {
    await home.saveProfiles({ current: 'default', profiles });
    for (const [name, saved] of Object.entries(logins)) await home.saveLogin(name, saved);
  }

  /** What one request of the client sends. */
  async function sent(client: Awaited<ReturnType<typeof createTesseraClient>>) {
    await client.principal();
    const { headers } = api.seen.at(-1)!;
    return { authorization: headers.authorization, account: headers['x-tessera-account'] };
  }

  const env = (variables: Record<string, string> = {}) => ({ TESSERA_HOME: dir, ...variables });

  it("after `auth login` and `teams set`: the saved login, in the profile's team, with no lookup", async () => {
    await given({ default: { host: api.url, team: RESEARCH } }, { default: login() });
    const client = await createTesseraClient({ env: env() });
    expect(await sent(client)).toEqual({ authorization: 'Bearer saved', account: RESEARCH });
    expect(await client.accountId()).toBe(RESEARCH);
    expect(api.seen.map((request) => request.path)).toEqual(['/v1/principal']);
  });

  it("TESSERA_KEY first, then the profile's key; a key never sends the profile's team", async () => {
    await given({ default: { host: api.url, team: RESEARCH, key: 'tsk_profile' } }, { default: login() });
    const fromEnvironment = await createTesseraClient({ env: env({ TESSERA_KEY: 'tsk_env' }) });
    expect(await sent(fromEnvironment)).toEqual({ authorization: 'Key tsk_env', account: undefined });
    const fromProfile = await createTesseraClient({ env: env() });
    expect(await sent(fromProfile)).toEqual({ authorization: 'Key tsk_profile', account: undefined });
    expect(await fromProfile.accountId()).toBe(KEY_ACCOUNT);
  });

  it("TESSERA_FORCE_AUTH_BY_USER=1: the saved login even with keys, in the profile's team", async () => {
    await given({ default: { host: api.url, team: RESEARCH, key: 'tsk_profile' } }, { default: login() });
    const client = await createTesseraClient({
      env: env({ TESSERA_KEY: 'tsk_env', TESSERA_FORCE_AUTH_BY_USER: '1' }),
    });
    expect(await sent(client)).toEqual({ authorization: 'Bearer saved', account: RESEARCH });
  });

  it('picks the profile (option, then TESSERA_PROFILE, then `profile use`) and its host, unless TESSERA_HOST', async () => {
    await given({
      default: { host: UNREACHABLE, key: 'tsk_default' },
      work: { host: api.url, key: 'tsk_work' },
    });
    const work = await createTesseraClient({ env: env({ TESSERA_PROFILE: 'work' }) });
    expect(work.options.host).toBe(api.url);
    expect(await sent(work)).toMatchObject({ authorization: 'Key tsk_work' });

    const chosen = await createTesseraClient({ env: env({ TESSERA_PROFILE: 'work' }), profile: 'default' });
    expect(chosen.options.host).toBe(UNREACHABLE);
    expect(await chosen.options.credential.authorization()).toBe('Key tsk_default');
    expect((await createTesseraClient({ env: env() })).options.host).toBe(UNREACHABLE);

    const moved = await createTesseraClient({ env: env({ TESSERA_HOST: api.url }) });
    expect(await sent(moved)).toMatchObject({ authorization: 'Key tsk_default' });
  });

  it('reads the folder given as `home` over TESSERA_HOME', async () => {
    await given({ default: { host: api.url, team: PLATFORM } }, { default: login() });
    const client = await createTesseraClient({ env: { TESSERA_HOME: join(dir, 'elsewhere') }, home: dir });
    expect(await sent(client)).toEqual({ authorization: 'Bearer saved', account: PLATFORM });
  });

  it("acts for the `team` option over the profile's, a name looked up once; a key takes ids only", async () => {
    await given({ default: { host: api.url, team: RESEARCH } }, { default: login() });
    const byName = await createTesseraClient({ env: env(), team: 'platform' });
    expect(await sent(byName)).toEqual({ authorization: 'Bearer saved', account: PLATFORM });
    expect(api.seen.map((request) => request.path)).toEqual(['/v1/me/accounts', '/v1/principal']);
    expect(await sent(await createTesseraClient({ env: env(), team: 'personal' }))).toMatchObject({
      account: PERSONAL,
    });

    await expect(createTesseraClient({ env: env(), team: 'Nowhere' })).rejects.toThrow(
      new UnknownTeamError('You have no team "Nowhere": "tessera teams list" shows yours.'),
    );
    const keyed = env({ TESSERA_KEY: 'tsk_env' });
    await expect(createTesseraClient({ env: keyed, team: 'Research' })).rejects.toThrow(UnknownTeamError);
    expect(await sent(await createTesseraClient({ env: keyed, team: RESEARCH }))).toEqual({
      authorization: 'Key tsk_env',
      account: RESEARCH,
    });
  });

  it('refreshes an expired saved login before the first request, and saves the rotated tokens', async () => {
    await given(
      { default: { host: api.url, team: RESEARCH } },
      { default: login(api.url, new Date(Date.now() - 1000).toISOString()) },
    );
    const client = await createTesseraClient({ env: env() });
    expect(await sent(client)).toEqual({ authorization: 'Bearer fresh', account: RESEARCH });
    expect(JSON.parse(api.seen[0].body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'tsr_saved' });
    expect(await home.login('default')).toMatchObject({ accessToken: 'fresh', refreshToken: 'tsr_rotated' });
  });
});
