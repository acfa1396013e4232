import { DnsStandIn, GitHubStandIn, SamlIdpStandIn } from '@tessera/testing';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { CliUnderTest, outcome, printed } from './support/cli';
import { GitHubPlatform } from './support/github-platform';
import { InProcessPlatform } from './support/in-process-platform';
import { accessToken, browser, signInWithGitHub } from './support/sign-in';
import { TeamFixtures } from './support/teams';
import { TestUser } from './support/users';

const ALL_COMMANDS = [
  [],
  ['auth', 'login'],
  ['auth', 'logout'],
  ['auth', 'status'],
  ['auth', 'token'],
  ['teams', 'list'],
  ['teams', 'set'],
  ['teams', 'create'],
  ['teams', 'archive'],
  ['profile', 'create'],
  ['profile', 'list'],
  ['profile', 'use'],
  ['profile', 'delete'],
  ['keys', 'create'],
  ['keys', 'list'],
  ['keys', 'revoke'],
  ['keys', 'rotate'],
  ['members', 'list'],
  ['members', 'invite'],
  ['members', 'role'],
  ['members', 'remove'],
  ['invitations', 'list'],
  ['invitations', 'cancel'],
  ['invitations', 'resend'],
  ['authz', 'check'],
  ['usage'],
];

/** What `tessera auth status --json` prints. */
interface Status {
  host: string;
  profile: string;
  credential: { type: 'key' | 'bearer'; source: string; why: string };
  user?: { id: string; email: string };
  actor: { type: 'member' | 'key'; role?: string; scope?: string };
  account: { id: string; kind: string; name?: string };
}

interface SavedLogins {
  [profile: string]: { host: string; accessToken: string; refreshToken: string; expiresAt: string };
}

describe('the tessera CLI', () => {
  let stack: GitHubPlatform;
  let platform: InProcessPlatform;
  let github: GitHubStandIn;
  let fixtures: TeamFixtures;
  let host: string;
  let cli: CliUnderTest;
  let person: TestUser;
  let researchId: string;
  let apiKey: string;

  let dns: DnsStandIn;

  beforeAll(async () => {
    dns = await DnsStandIn.start();
    stack = await GitHubPlatform.start({ TESSERA_DNS_SERVERS: dns.address });
    ({ github, platform, fixtures } = stack);
    host = await platform.listen();
    cli = await CliUnderTest.create(host);
  });

  afterAll(async () => {
    await cli?.remove();
    await stack?.stop();
    await dns?.stop();
  });

  const logins = async (): Promise<SavedLogins> =>
    JSON.parse(await readFile(join(cli.tesseraHome, 'auth.json'), 'utf8'));

  describe('before login', () => {
    it('has --help with examples on every command', async () => {
      for (const command of ALL_COMMANDS) {
        const result = await cli.run([...command, '--help']);
        expect({ command, code: result.code }).toEqual({ command, code: 0 });
        expect(result.stdout).toContain(`Usage: tessera ${command.join(' ')}`.trim());
        expect(result.stdout).toContain('$ tessera');
      }
    });

    it('exits 2 on usage errors, with the reason and no stack trace', async () => {
      for (const args of [
        ['bogus'],
        ['keys', 'create', '--name', 'ci'],
        ['keys', 'create', '--name', 'ci', '--scope', 'ROOT'],
        ['keys', 'create', '--name', 'ci', '--scope', 'API', '--expires', 'tomorrow'],
        ['members', 'role', 'someone@example.com', 'owner'],
        ['--profile', 'nowhere', 'teams', 'list'],
      ]) {
        const result = await cli.run(args);
        expect({ args, code: result.code }).toEqual({ args, code: 2 });
        expect(result.stderr).toMatch(/^error: /m);
        expect(result.stderr).not.toMatch(/^\s+at /m);
      }
    });

    it('says how to log in when there is no credential (exit 1)', async () => {
      const result = await cli.run(['teams', 'list']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Not logged in to ${host}: run "tessera auth login", or set TESSERA_KEY.`,
      );
    });
  });

  describe('device login', () => {
    it('prints a code, waits for approval in the browser, and saves the tokens in auth.json (0600)', async () => {
      github.setUser({
        id: 77_001,
        login: 'cli-person',
        name: 'CLI Person',
        emails: [{ email: 'cli.person@example.com', primary: true, verified: true }],
      });
      const agent = browser(platform.http);
      await signInWithGitHub(agent, github);
      const token = await accessToken(agent);
      const me = await request(platform.http).get('/v1/me').set('authorization', `Bearer ${token}`);
      person = { id: me.body.id, email: 'cli.person@example.com', token, personalAccountId: '' };
      researchId = await fixtures.createTeam(person, 'Research');

      const login = cli.spawn(['auth', 'login', '--no-browser']);
      const finished = outcome(login);
      const [, userCode] = await printed(login, /one-time code: ([A-Z]{4}-[A-Z]{4})/);
      // The person opens the printed page in a signed-in browser and picks the team.
      const page = await agent.get(`/device?user_code=${userCode}`).expect(200);
      expect(page.text).toContain(researchId);
      await agent
        .post('/auth/device/approve')
        .send({ user_code: userCode, account_id: researchId })
        .expect(200);

      const result = await finished;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        `Logged in to ${host} as cli.person@example.com, acting for Research (team).`,
      );
      expect((await stat(join(cli.tesseraHome, 'auth.json'))).mode & 0o777).toBe(0o600);
      expect((await stat(cli.tesseraHome)).mode & 0o777).toBe(0o700);
      expect((await logins()).default).toMatchObject({
        host,
        refreshToken: expect.stringMatching(/^tsr_/),
        accessToken: expect.any(String),
      });

      const status = await cli.json<Status>(['auth', 'status']);
      expect(status).toMatchObject({
        host,
        profile: 'default',
        credential: { type: 'bearer', source: 'login' },
        user: { email: 'cli.person@example.com' },
        account: { id: researchId, kind: 'team', name: 'Research' },
        actor: { type: 'member', role: 'admin' },
      });
      const human = await cli.run(['auth', 'status']);
      expect(human.stdout).toContain('Acting for:  Research (team');
      expect(human.stdout).toContain('because you logged in with "tessera auth login"');
    }, 60_000);
  });

  describe('teams', () => {
    let platformTeamId: string;

    it('creates a team (--no-switch: the active one stays) and lists every account, the active one marked', async () => {
      platformTeamId = (await cli.json<{ id: string }>(['teams', 'create', 'Platform', '--no-switch'])).id;
      const accounts = await cli.json<{ id: string; name: string; kind: string; active: boolean }[]>([
        'teams',
        'list',
      ]);
      expect(accounts.map(({ kind, name, active }) => ({ kind, name, active }))).toEqual([
        { kind: 'personal', name: expect.any(String), active: false },
        { kind: 'team', name: 'Platform', active: false },
        { kind: 'team', name: 'Research', active: true },
      ]);
      const table = await cli.run(['teams', 'list']);
      expect(table.stdout).toMatch(/^\*\s+[0-9a-f-]{36}\s+Research\s+team\s+admin$/m);
    });

    it('persists `teams set` for later commands, and `--team` overrides it once', async () => {
      const set = await cli.run(['teams', 'set', 'platform']);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain(`now act for Platform (team, ${platformTeamId})`);
      const config = JSON.parse(await readFile(join(cli.tesseraHome, 'config.json'), 'utf8'));
      expect(config.profiles.default.team).toBe(platformTeamId);

      expect((await cli.json<Status>(['auth', 'status'])).account.id).toBe(platformTeamId);
      expect((await cli.json<Status>(['auth', 'status', '--team', 'Research'])).account.id).toBe(researchId);
      expect((await cli.json<Status>(['--team', researchId, 'auth', 'status'])).account.id).toBe(researchId);
      expect((await cli.json<Status>(['auth', 'status', '--team', 'personal'])).account.kind).toBe(
        'personal',
      );
      expect((await cli.json<Status>(['auth', 'status'])).account.id).toBe(platformTeamId);

      const unknown = await cli.run(['teams', 'set', 'Nonexistent']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('You have no team "Nonexistent"');
      expect((await cli.run(['teams', 'set', 'Research'])).code).toBe(0);
    });
  });

  describe('an expired access token', () => {
    it('is refreshed before the request, and the rotated refresh token is saved', async () => {
      const before = (await logins()).default;
      await writeFile(
        join(cli.tesseraHome, 'auth.json'),
        JSON.stringify({ default: { ...before, expiresAt: new Date(Date.now() - 1000).toISOString() } }),
        { mode: 0o600 },
      );
      expect((await cli.run(['teams', 'list'])).code).toBe(0);
      const after = (await logins()).default;
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(after.accessToken).not.toBe(before.accessToken);
      expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now());
    });

    it('is refreshed by one process when several find it expired at once, so the session survives', async () => {
      const before = (await logins()).default;
      await writeFile(
        join(cli.tesseraHome, 'auth.json'),
        JSON.stringify({ default: { ...before, expiresAt: new Date(Date.now() - 1000).toISOString() } }),
        { mode: 0o600 },
      );
      // Without the lock on auth.json, the second refresh would replay a rotated token and revoke the session.
      const results = await Promise.all([1, 2, 3, 4].map(() => cli.run(['teams', 'list'])));
      expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0]);
      expect((await cli.run(['teams', 'list'])).code).toBe(0);
      expect((await logins()).default.refreshToken).not.toBe(before.refreshToken);
    });

    it('is renewed once when the API rejects it before its expiry', async () => {
      const before = (await logins()).default;
      await writeFile(
        join(cli.tesseraHome, 'auth.json'),
        JSON.stringify({ default: { ...before, accessToken: 'not-a-token' } }),
        { mode: 0o600 },
      );
      expect((await cli.run(['teams', 'list'])).code).toBe(0);
      expect((await logins()).default.refreshToken).not.toBe(before.refreshToken);
    });
  });

  describe('keys and the decision point', () => {
    it('creates a key whose secret is printed once, lists metadata only, and checks actions with it', async () => {
      const created = await cli.run(['keys', 'create', '--name', 'ci', '--scope', 'api', '--expires', '30d']);
      expect(created.code).toBe(0);
      apiKey = created.stdout.trim();
      expect(apiKey).toMatch(/^tsk_[0-9A-Za-z]{38}$/);
      expect(created.stderr).toContain('Created API key "ci"');
      expect(created.stderr).toContain('cannot show it again');

      const keys = await cli.json<Record<string, unknown>[]>(['keys', 'list']);
      expect(keys).toEqual([
        expect.objectContaining({ name: 'ci', scope: 'API', accountId: researchId, last4: apiKey.slice(-4) }),
      ]);
      expect(JSON.stringify(keys)).not.toContain(apiKey);
      expect((await cli.run(['keys', 'list'])).stdout).not.toContain(apiKey);

      const allowed = await cli.run(['authz', 'check', 'models.call', '--json'], { TESSERA_KEY: apiKey });
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({
        allow: true,
        principal: { account: { id: researchId }, actor: { type: 'key', scope: 'API' }, via: 'key' },
      });
      const denied = await cli.run(['authz', 'check', 'apps.deploy'], { TESSERA_KEY: apiKey });
      expect(denied.code).toBe(1);
      expect(denied.stdout).toContain('denied: apps.deploy (scope_insufficient)');
      expect(denied.stderr).toBe('');
    });

    it('prefers TESSERA_KEY to the saved login, unless TESSERA_FORCE_AUTH_BY_USER=1', async () => {
      const withKey = await cli.json<Status>(['auth', 'status'], { TESSERA_KEY: apiKey });
      expect(withKey).toMatchObject({
        credential: { type: 'key', source: 'TESSERA_KEY', why: 'TESSERA_KEY is set in the environment' },
        actor: { type: 'key', scope: 'API' },
        account: { id: researchId },
      });
      const forced = await cli.json<Status>(['auth', 'status'], {
        TESSERA_KEY: apiKey,
        TESSERA_FORCE_AUTH_BY_USER: '1',
      });
      expect(forced).toMatchObject({
        credential: { type: 'bearer', source: 'login' },
        user: { email: 'cli.person@example.com' },
      });
      expect(forced.credential.why).toContain('TESSERA_FORCE_AUTH_BY_USER');
    });

    it('shows the API refusal (exit 1) when a key tries to manage keys', async () => {
      const result = await cli.run(['keys', 'create', '--name', 'x', '--scope', 'API'], {
        TESSERA_KEY: apiKey,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: API keys cannot do this.*\(forbidden, request [\w-]+\)$/m);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    });

    it('rotates with a grace period, then revokes by name', async () => {
      const rotated = await cli.json<{ secret: string; key: { previousSecretValidUntil: string } }>([
        'keys',
        'rotate',
        'ci',
        '--grace',
        '600',
      ]);
      expect(rotated.secret).not.toBe(apiKey);
      expect(Date.parse(rotated.key.previousSecretValidUntil)).toBeGreaterThan(Date.now() + 500_000);
      expect((await cli.run(['authz', 'check', 'models.call'], { TESSERA_KEY: apiKey })).code).toBe(0);

      const revoked = await cli.run(['keys', 'revoke', 'ci']);
      expect(revoked.code).toBe(0);
      for (const secret of [apiKey, rotated.secret]) {
        const result = await cli.run(['authz', 'check', 'models.call'], { TESSERA_KEY: secret });
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('(invalid_credentials)');
      }
    });
  });

  describe('profiles', () => {
    it('keeps named profiles with their own key and host; --profile picks one for a command', async () => {
      const key = (
        await cli.json<{ secret: string }>(['keys', 'create', '--name', 'deploy', '--scope', 'ADMIN'])
      ).secret;
      expect((await cli.run(['profile', 'create', 'ci', '--key', key, '--host', host])).code).toBe(0);
      const profiles = await cli.json<Record<string, unknown>[]>(['profile', 'list']);
      expect(profiles).toEqual([
        expect.objectContaining({ name: 'default', current: true, loggedIn: true, key: null }),
        expect.objectContaining({
          name: 'ci',
          current: false,
          host,
          key: `${key.slice(0, 8)}…${key.slice(-4)}`,
        }),
      ]);
      expect((await cli.run(['profile', 'list'])).stdout).not.toContain(key);

      const once = await cli.json<Status>(['--profile', 'ci', 'auth', 'status']);
      expect(once).toMatchObject({
        profile: 'ci',
        credential: { type: 'key', source: 'profile' },
        actor: { type: 'key', scope: 'ADMIN' },
      });
      expect((await cli.json<Status>(['auth', 'status'])).profile).toBe('default');
      expect((await cli.json<Status>(['auth', 'status'], { TESSERA_PROFILE: 'ci' })).profile).toBe('ci');

      expect((await cli.run(['profile', 'use', 'ci'])).code).toBe(0);
      const used = await cli.run(['authz', 'check', 'apps.deploy']);
      expect(used.code).toBe(0);
      expect(used.stdout).toContain('allowed: apps.deploy');
      expect((await cli.run(['profile', 'use', 'default'])).code).toBe(0);

      expect((await cli.run(['profile', 'create', 'ci'])).code).toBe(2);
      expect((await cli.run(['profile', 'delete', 'ci'])).code).toBe(0);
      expect((await cli.run(['--profile', 'ci', 'auth', 'status'])).code).toBe(2);
    });

    it('keeps everything under TESSERA_HOME when it is set', async () => {
      const elsewhere = join(cli.home, 'elsewhere');
      const result = await cli.run(['profile', 'create', 'other', '--host', host], {
        TESSERA_HOME: elsewhere,
      });
      expect(result.code).toBe(0);
      expect((await stat(join(elsewhere, 'config.json'))).mode & 0o777).toBe(0o600);
    });
  });

  describe('members and invitations', () => {
    it('invites from a CSV with a bad row: a result per row, a progress line, exit 1', async () => {
      const csv = join(cli.home, 'people.csv');
      await writeFile(
        csv,
        'email,role\nada@example.com,developer\nnot-an-email,developer\ngrace@example.com,billing\n',
      );
      const result = await cli.run(['members', 'invite', '--csv', csv]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Inviting 3 rows of ${csv}…`);
      expect(result.stderr).toContain('2 invited, 1 invalid email.');
      expect(result.stderr).toContain('error: 1 of 3 rows were refused (line 3).');
      expect(result.stdout).toMatch(/^2\s+ada@example\.com\s+developer\s+invited$/m);
      expect(result.stdout).toMatch(/^3\s+not-an-email\s+developer\s+invalid_email$/m);

      const again = await cli.run(
        ['members', 'invite', '--csv', '-', '--dry-run', '--json'],
        {},
        'email,role\nada@example.com,developer\n',
      );
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual([
        { line: 2, email: 'ada@example.com', role: 'developer', result: 'already_invited' },
      ]);
    });

    it('re-invites a pending address with another role: role_updated, not a refusal; the same role sends nothing', async () => {
      const rows = await cli.run(
        ['members', 'invite', '--csv', '-'],
        {},
        'email,role\nada@example.com,admin\n',
      );
      expect(rows.code).toBe(0);
      expect(rows.stderr).toContain('1 role updated.');
      expect(rows.stdout).toMatch(/^2\s+ada@example\.com\s+admin\s+role_updated$/m);

      const same = await cli.run(['members', 'invite', 'ada@example.com', '--role', 'admin']);
      expect(same.code).toBe(0);
      expect(same.stdout).toContain(
        'ada@example.com already has a pending invitation as admin; nothing was sent.',
      );
      const changed = await cli.run(['members', 'invite', 'ada@example.com', '--role', 'developer']);
      expect(changed.code).toBe(0);
      expect(changed.stdout).toContain(
        'The pending invitation of ada@example.com is now for developer: a fresh link',
      );
      expect(changed.stdout).toContain('the earlier link no longer works.');
    });

    it('lists, resends and cancels invitations by e-mail', async () => {
      const pending = await cli.json<{ email: string; id: string }[]>(['invitations', 'list']);
      expect(pending.map((invitation) => invitation.email).sort()).toEqual([
        'ada@example.com',
        'grace@example.com',
      ]);
      const resent = await cli.json<{ id: string; email: string }>([
        'invitations',
        'resend',
        'ada@example.com',
      ]);
      expect(resent.id).not.toBe(pending.find((invitation) => invitation.email === 'ada@example.com')!.id);
      const cancelled = await cli.run(['invitations', 'cancel', 'grace@example.com']);
      expect(cancelled.code).toBe(0);
      expect((await cli.json<unknown[]>(['invitations', 'list'])).length).toBe(1);
    });

    it("changes a member's role and removes them; the API's refusals exit 1 with its code", async () => {
      const developer = await fixtures.addMember(person, researchId, 'developer', 'dev');
      const changed = await cli.json<{ role: string }>(['members', 'role', developer.email, 'Billing']);
      expect(changed.role).toBe('billing');
      const lastAdmin = await cli.run(['members', 'role', person.email, 'developer']);
      expect(lastAdmin.code).toBe(1);
      expect(lastAdmin.stderr).toMatch(/\(last_admin, request [\w-]+\)/);
      expect((await cli.run(['members', 'remove', developer.id])).code).toBe(0);
      const members = await cli.json<{ email: string }[]>(['members', 'list']);
      expect(members.map((member) => member.email)).toEqual([person.email]);
    });
  });

  describe('logout', () => {
    it('revokes the session on the server and forgets the tokens', async () => {
      const { refreshToken } = (await logins()).default;
      const result = await cli.run(['auth', 'logout']);
      expect(result.code).toBe(0);
      expect((await logins()).default).toBeUndefined();
      const refused = await request(platform.http)
        .post('/auth/token')
        .send({ grant_type: 'refresh_token', refresh_token: refreshToken })
        .expect(400);
      expect(refused.body.error).toBe('invalid_grant');
      expect((await cli.run(['teams', 'list'])).code).toBe(1);
    });
  });

  describe('single sign-on', () => {
    it('logs in through the organization SSO found by work e-mail, landing on the approval page', async () => {
      const idp = await SamlIdpStandIn.start();
      const orgId = (await fixtures.as(person).post('/v1/orgs').send({ name: 'Acme' }).expect(201)).body.id;
      const teamId = (
        await fixtures.as(person).post(`/v1/orgs/${orgId}/teams`).send({ name: 'ML' }).expect(201)
      ).body.id;
      const claim = await fixtures.as(person).post(`/v1/orgs/${orgId}/domains`).send({ domain: 'acme.test' });
      dns.setTxt(claim.body.txtRecord.name, [claim.body.txtRecord.value]);
      await fixtures.as(person).post(`/v1/orgs/${orgId}/domains/${claim.body.id}/verify`).expect(200);
      const connection = await fixtures
        .as(person)
        .post(`/v1/orgs/${orgId}/sso/connections`)
        .send({ metadataXml: idp.metadata(), defaultTeamId: teamId, defaultRole: 'developer' })
        .expect(201);
      idp.trust((await request(platform.http).get(`/auth/saml/${connection.body.id}/metadata`)).text);

      // An e-mail without SSO: said, and the usual approval page is printed.
      const nobody = cli.spawn(['auth', 'login', '--sso', 'x@nowhere.test', '--no-browser']);
      const [fallback] = await printed(nobody, /No single sign-on[^]*Open \S+\/device\?user_code=/);
      nobody.kill();
      expect(fallback).toContain('No single sign-on is set up for nowhere.test');

      const login = cli.spawn(['auth', 'login', '--sso', 'ada@acme.test', '--no-browser']);
      const finished = outcome(login);
      const [, ssoUrl] = await printed(login, /Open (\S+)/);
      const { pathname, search } = new URL(ssoUrl);
      expect(pathname).toBe(`/auth/saml/${connection.body.id}/login`);
      // The browser: Tessera → IdP → ACS → the approval page, signed in through SSO.
      const agent = browser(platform.http);
      const toIdp = await agent.get(`${pathname}${search}`).expect(302);
      const samlResponse = await idp.respond(toIdp.headers.location, {
        nameId: 'ada@acme.test',
        email: 'ada@acme.test',
        name: 'Ada',
      });
      const acs = await agent
        .post(`/auth/saml/${connection.body.id}/acs`)
        .type('form')
        .send({ SAMLResponse: samlResponse });
      expect(acs.headers.location).toBe('/auth/saml/finish');
      const landed = await agent.get(acs.headers.location).expect(303);
      expect(landed.headers.location).toMatch(/^\/device\?user_code=[A-Z]{4}-[A-Z]{4}$/);
      await agent.get(landed.headers.location).expect(200);
      const userCode = new URL(landed.headers.location, host).searchParams.get('user_code');
      await agent.post('/auth/device/approve').send({ user_code: userCode, account_id: teamId }).expect(200);

      const result = await finished;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`Logged in to ${host} as ada@acme.test, acting for ML (team).`);
    }, 60_000);
  });
});
