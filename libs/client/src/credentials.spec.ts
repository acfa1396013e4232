import { HttpStandIn } from '@tessera/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCredential } from './credentials';
import { readClientEnvironment } from './environment';
import { NotSignedInError } from './errors';
import { REFRESH_TIMEOUT_MS } from './lock-file';
import { TesseraHome } from './store';

const HOST = 'https://tessera.example.com';
const LOGIN = { host: HOST, accessToken: 'a', refreshToken: 'tsr_r', expiresAt: '2999-01-01T00:00:00.000Z' };

describe('chooseCredential', () => {
  let dir: string;
  let home: TesseraHome;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-client-'));
    home = new TesseraHome(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const choose = (env: Record<string, string>, profile: { host: string; key?: string } = { host: HOST }) =>
    chooseCredential(readClientEnvironment({ TESSERA_HOME: dir, ...env }), home, 'default', profile, HOST);

  it('uses TESSERA_KEY first, then the profile key, then the saved login', async () => {
    await home.saveLogin('default', LOGIN);
    const keyed = { host: HOST, key: 'tsk_profile' };
    expect(await (await choose({ TESSERA_KEY: 'tsk_env' }, keyed)).authorization()).toBe('Key tsk_env');
    expect(await (await choose({}, keyed)).authorization()).toBe('Key tsk_profile');
    expect(await (await choose({})).authorization()).toBe('Bearer a');
  });

  it('uses the saved login when TESSERA_FORCE_AUTH_BY_USER=1, even with keys', async () => {
    await home.saveLogin('default', LOGIN);
    const credential = await choose(
      { TESSERA_KEY: 'tsk_env', TESSERA_FORCE_AUTH_BY_USER: '1' },
      { host: HOST, key: 'tsk_profile' },
    );
    expect(credential).toMatchObject({ type: 'bearer', source: 'login' });
    expect(credential.why).toContain('TESSERA_FORCE_AUTH_BY_USER');
  });

  it('refuses a login saved for another host, and says what to do without one', async () => {
    await home.saveLogin('default', { ...LOGIN, host: 'https://other.example.com' });
    await expect(choose({})).rejects.toThrow(NotSignedInError);
    await expect(choose({ TESSERA_FORCE_AUTH_BY_USER: '1', TESSERA_KEY: 'tsk_env' })).rejects.toThrow(
      /TESSERA_FORCE_AUTH_BY_USER is set but profile "default" has no login/,
    );
  });

  it('ignores an empty TESSERA_KEY', async () => {
    await home.saveLogin('default', LOGIN);
    expect((await choose({ TESSERA_KEY: '  ' })).type).toBe('bearer');
  });

  it('refreshes with a request that gives up after the refresh timeout, long before the lock could turn stale', async () => {
    const api = await HttpStandIn.start(() => ({
      status: 200,
      body: { access_token: 'fresh', refresh_token: 'tsr_rotated', expires_in: 900, token_type: 'Bearer' },
    }));
    try {
      await home.saveLogin('default', { ...LOGIN, host: api.url, expiresAt: '2000-01-01T00:00:00.000Z' });
      const timeouts = jest.spyOn(AbortSignal, 'timeout');
      const credential = await chooseCredential(
        readClientEnvironment({ TESSERA_HOME: dir }),
        home,
        'default',
        { host: api.url },
        api.url,
      );
      expect(await credential.authorization()).toBe('Bearer fresh');
      expect(api.seen.map((request) => request.path)).toEqual(['/auth/token']);
      expect(timeouts).toHaveBeenCalledWith(REFRESH_TIMEOUT_MS);
    } finally {
      jest.restoreAllMocks();
      await api.stop();
    }
  });
});
