import { eventually } from '@tessera/testing';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { CliUnderTest, approvedLogin, outcome } from './support/cli';
import { GitHubPlatform } from './support/github-platform';
import { InProcessPlatform } from './support/in-process-platform';
import { accessToken, browser, signInWithGitHub } from './support/sign-in';

const SDK = resolve(__dirname, '..', 'dist', 'libs', 'client', 'src', 'index.js');
const SCRIPT = resolve(__dirname, 'support', 'zero-setup-script.js');

interface Account {
  id: string;
  name: string;
  kind: string;
  active: boolean;
}

interface UsageReport {
  accountId: string;
  groupBy: 'actor' | 'action';
  rows: {
    actor?: { type: string; label: string; email?: string; keyName?: string };
    action?: string;
    requests: number;
  }[];
}

/**
 * The seed's promise for scripts and the commands they lean on: after `tessera auth login` and `tessera teams set`,
 * any process on the machine acts as the person in that team; `auth token`, `usage` and `teams archive`.
 */
describe('tessera for scripts', () => {
  let stack: GitHubPlatform;
  let platform: InProcessPlatform;
  let host: string;
  let cli: CliUnderTest;
  let personalId: string;
  let researchId: string;
  let stagingId: string;
  let teamKey: string;

  beforeAll(async () => {
    stack = await GitHubPlatform.start({ TESSERA_USAGE_FLUSH_MS: '100' });
    platform = stack.platform;
    host = await platform.listen();
    cli = await CliUnderTest.create(host);
  });

  afterAll(async () => {
    await cli?.remove();
    await stack?.stop();
  });

  const profileFile = async () => JSON.parse(await readFile(join(cli.tesseraHome, 'config.json'), 'utf8'));
  const logins = async () => JSON.parse(await readFile(join(cli.tesseraHome, 'auth.json'), 'utf8'));
  const activeAccount = async () =>
    (await cli.json<Account[]>(['teams', 'list'])).find((account) => account.active)!;
  /** Makes the saved access token look expired, so the next user of the login refreshes it. */
  const expireLogin = async () => {
    const saved = await logins();
    saved.local.expiresAt = new Date(Date.now() - 1000).toISOString();
    await writeFile(join(cli.tesseraHome, 'auth.json'), JSON.stringify(saved), { mode: 0o600 });
    return saved.local as { accessToken: string; refreshToken: string };
  };
  /** The script, as its own process, with nothing but PATH and HOME from its environment. */
  const runScript = async (keyName: string, env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [SCRIPT, SDK, keyName], {
      env: { PATH: process.env.PATH, HOME: cli.home, ...env },
    });
    return outcome(child);
  };

  it('has --help with examples, and exits 2 on bad values', async () => {
    for (const command of [['auth', 'token'], ['usage'], ['teams', 'archive'], ['teams', 'create']]) {
      const help = await cli.run([...command, '--help']);
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      expect(help.stdout).toContain('$ tessera');
    }
    expect((await cli.run(['teams', 'create', '--help'])).stdout).toContain('--no-switch');
    for (const args of [
      ['usage', '--by', 'team'],
      ['usage', '--from', 'yesterday'],
      ['usage', '--to', '2026-13-45'],
      ['teams', 'archive'],
    ]) {
      const result = await cli.run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/^error: /m);
    }
  });

  it('logs in through a profile that names the host, acting for the personal account', async () => {
    stack.github.setUser({
      id: 77_101,
      login: 'script-person',
      name: 'Script Person',
      emails: [{ email: 'script.person@example.com', primary: true, verified: true }],
    });
    const agent = browser(platform.http);
    await signInWithGitHub(agent, stack.github);
    const accounts = await request(platform.http)
      .get('/v1/me/accounts')
      .set('authorization', `Bearer ${await accessToken(agent)}`)
      .expect(200);
    personalId = accounts.body[0].id;
    expect((await cli.run(['profile', 'create', 'local', '--host', host])).code).toBe(0);
    expect((await cli.run(['profile', 'use', 'local'])).code).toBe(0);
    const login = await approvedLogin(cli, agent, personalId);
    expect(login.code).toBe(0);
    expect((await activeAccount()).id).toBe(personalId);
  }, 60_000);

  it('switches to a team it creates, unless --no-switch', async () => {
    const created = await cli.run(['teams', 'create', 'Research']);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Commands of profile "local" now act for Research.');
    researchId = (await activeAccount()).id;
    expect((await activeAccount()).name).toBe('Research');
    expect((await profileFile()).profiles.local.team).toBe(researchId);

    const kept = await cli.json<{ id: string; name: string }>(['teams', 'create', 'Staging', '--no-switch']);
    stagingId = kept.id;
    expect(kept.name).toBe('Staging');
    expect((await activeAccount()).id).toBe(researchId);
    const said = await cli.run(['teams', 'create', 'Sandbox', '--no-switch']);
    expect(said.stdout).toContain('Switch to it: tessera teams set');
    expect((await activeAccount()).id).toBe(researchId);
  });

  it('a separate Node process picks up the login and the team chosen with `teams set`, and acts there', async () => {
    expect((await cli.run(['teams', 'set', 'Staging'])).code).toBe(0);
    const result = await runScript('made-by-script');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const { principal, key } = JSON.parse(result.stdout);
    expect(principal).toMatchObject({
      account: { id: stagingId, kind: 'team' },
      actor: { type: 'member', role: 'admin' },
    });
    expect(key).toMatchObject({ name: 'made-by-script', accountId: stagingId });
    const keys = await cli.json<{ id: string; name: string }[]>(['keys', 'list']);
    expect(keys.map(({ id, name }) => ({ id, name }))).toEqual([{ id: key.id, name: 'made-by-script' }]);
    expect(await cli.json<unknown[]>(['keys', 'list', '--team', 'Research'])).toEqual([]);
  });

  it('refreshes an expired login from the script and the CLI at once without revoking the session', async () => {
    const before = await expireLogin();
    const [script, command] = await Promise.all([runScript('refreshed'), cli.run(['keys', 'list'])]);
    expect([script.code, command.code]).toEqual([0, 0]);
    expect(JSON.parse(script.stdout).key.accountId).toBe(stagingId);
    const after = (await logins()).local;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect((await cli.run(['teams', 'list'])).code).toBe(0);
  });

  describe('auth token', () => {
    it('prints a working access token, refreshed first when it has expired', async () => {
      const before = await expireLogin();
      const printed = await cli.run(['auth', 'token']);
      expect(printed.code).toBe(0);
      const token = printed.stdout.trim();
      expect(token).not.toBe(before.accessToken);
      expect(token).toBe((await logins()).local.accessToken);
      const me = await fetch(new URL('/v1/me', host), { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { email: string }).email).toBe('script.person@example.com');

      const json = await cli.json<{ accessToken: string; expiresAt: string; profile: string; host: string }>([
        'auth',
        'token',
      ]);
      expect(json).toMatchObject({ accessToken: token, profile: 'local', host });
      expect(Date.parse(json.expiresAt)).toBeGreaterThan(Date.now());
    });

    it('refuses with an API key in use, saying why (exit 2)', async () => {
      teamKey = (await cli.run(['keys', 'create', '--name', 'ci', '--scope', 'API'])).stdout.trim();
      expect(teamKey).toMatch(/^tsk_/);
      const refused = await cli.run(['auth', 'token'], { TESSERA_KEY: teamKey });
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr).toContain(
        'error: There is no access token to print: the credential in use is an API key, because TESSERA_KEY is set',
      );
      const forced = await cli.run(['auth', 'token'], {
        TESSERA_KEY: teamKey,
        TESSERA_FORCE_AUTH_BY_USER: '1',
      });
      expect(forced.code).toBe(0);
    });
  });

  describe('usage', () => {
    it("reports the team's recorded requests by member and key, and by action", async () => {
      for (const env of [{}, {}, { TESSERA_KEY: teamKey }] as Record<string, string>[])
        expect((await cli.run(['authz', 'check', 'models.call', '--record'], env)).code).toBe(0);

      const byActor = await eventually(async () => {
        const report = await cli.json<UsageReport>(['usage']);
        expect(report.rows.reduce((sum, row) => sum + row.requests, 0)).toBe(3);
        return report;
      });
      expect(byActor).toMatchObject({ accountId: stagingId, groupBy: 'actor' });
      expect(byActor.rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actor: expect.objectContaining({ type: 'member', email: 'script.person@example.com' }),
            requests: 2,
          }),
          expect.objectContaining({
            actor: expect.objectContaining({ type: 'key', label: 'Team key', keyName: 'ci' }),
            requests: 1,
          }),
        ]),
      );
      const table = await cli.run(['usage']);
      expect(table.stderr).toMatch(/^Requests of account [0-9a-f-]{36} from .+ to .+, by actor:$/m);
      expect(table.stdout).toMatch(/^ACTOR\s+TYPE\s+WHO\s+REQUESTS$/m);
      expect(table.stdout).toMatch(/^Team key\s+key\s+ci\s+1$/m);

      const byAction = await cli.json<UsageReport>(['usage', '--by', 'action']);
      expect(byAction.rows).toEqual([{ action: 'models.call', requests: 3 }]);
      const elsewhere = await cli.run(['usage', '--from', '2020-01-01', '--to', '2020-01-02T00:00:00Z']);
      expect(elsewhere.code).toBe(0);
      expect(elsewhere.stderr).toContain('No requests were recorded in this range.');
      expect(await cli.json<UsageReport>(['usage', '--team', 'Research'])).toMatchObject({
        accountId: researchId,
        rows: [],
      });
    });

    it("answers the API's refusal with exit 1: an API key is not an ADMIN key", async () => {
      const refused = await cli.run(['usage'], { TESSERA_KEY: teamKey });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/\(scope_insufficient, request [\w-]+\)/);
    });
  });

  describe('teams archive', () => {
    it('archives the active team: gone from the list, its keys stop, the profile falls back to personal', async () => {
      const archived = await cli.run(['teams', 'archive', 'staging']);
      expect(archived.code).toBe(0);
      expect(archived.stdout).toContain(`Archived team Staging (${stagingId})`);
      expect(archived.stdout).toContain('Commands of profile "local" now act for');
      expect((await profileFile()).profiles.local.team).toBe(personalId);
      expect((await activeAccount()).id).toBe(personalId);
      const names = (await cli.json<Account[]>(['teams', 'list'])).map((account) => account.name);
      expect(names).not.toContain('Staging');
      const denied = await cli.run(['authz', 'check', 'models.call'], { TESSERA_KEY: teamKey });
      expect(denied.code).toBe(1);
      expect((await runScript('after-archive')).code).toBe(0);
    });

    it('keeps the active team when archiving another; refuses accounts that are not teams', async () => {
      const sandbox = await cli.json<{ id: string; name: string }>(['teams', 'archive', 'Sandbox']);
      expect(sandbox.name).toBe('Sandbox');
      expect((await profileFile()).profiles.local.team).toBe(personalId);
      const personal = await cli.run(['teams', 'archive', 'personal']);
      expect(personal.code).toBe(2);
      expect(personal.stderr).toContain('is not a team (personal)');
      const gone = await cli.run(['teams', 'archive', 'Staging']);
      expect(gone.code).toBe(2);
      expect(gone.stderr).toContain('You have no team "Staging"');
    });
  });
});
