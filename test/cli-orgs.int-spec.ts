import { randomUUID } from 'node:crypto';
import { DnsStandIn, SamlIdpStandIn } from '@tessera/testing';
import { CliResult, CliUnderTest, outcome, printed } from './support/cli';
import { GitHubPlatform } from './support/github-platform';
import { Browser, browser, signInWithGitHub } from './support/sign-in';
import { TestUser } from './support/users';

const ORGS_COMMANDS = [
  ['orgs'],
  ['orgs', 'list'],
  ['orgs', 'teams'],
  ['orgs', 'members'],
  ['orgs', 'policies'],
  ['orgs', 'policies', 'get'],
  ['orgs', 'policies', 'set'],
  ['orgs', 'domains'],
  ['orgs', 'domains', 'add'],
  ['orgs', 'domains', 'verify'],
  ['orgs', 'domains', 'list'],
  ['orgs', 'sso'],
  ['orgs', 'sso', 'list'],
  ['orgs', 'sso', 'test'],
];

/** What `--json` prints for a policy: the API's `EffectivePolicyView`. */
interface Policy {
  own: { version: number; settings: Record<string, unknown> };
  effective: Record<string, unknown>;
}

/**
 * `tessera orgs …` run as a user runs it (the compiled binary, a child process) against the whole platform: an Org
 * Admin who manages Acme from the terminal, and a developer of one of its teams whom every command refuses.
 */
describe('tessera orgs', () => {
  let stack: GitHubPlatform;
  let dns: DnsStandIn;
  let idp: SamlIdpStandIn;
  let host: string;
  /** Org Admin of Acme, logged in to `admin`. */
  let alice: TestUser;
  let admin: CliUnderTest;
  /** A developer in Acme's ML team, logged in to `developer`. */
  let bob: TestUser;
  let developer: CliUnderTest;
  let acme: string;
  let ml: string;

  beforeAll(async () => {
    [dns, idp] = await Promise.all([DnsStandIn.start(), SamlIdpStandIn.start()]);
    stack = await GitHubPlatform.start({ TESSERA_DNS_SERVERS: dns.address });
    host = await stack.platform.listen();
    // One at a time: the GitHub stand-in signs in whoever it was told of last.
    alice = await stack.fixtures.user('alice');
    admin = await loggedIn(alice);
    acme = (await as(alice).post('/v1/orgs').send({ name: 'Acme' }).expect(201)).body.id;
    ml = await orgTeam('ML');
    await orgTeam('Research');
    bob = await stack.fixtures.addMember(alice, ml, 'developer', 'bob');
    developer = await loggedIn(bob);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([admin?.remove(), developer?.remove()]);
    await stack?.stop();
    await dns?.stop();
  });

  const as = (who: TestUser) => stack.fixtures.as(who);

  async function orgTeam(name: string): Promise<string> {
    return (await as(alice).post(`/v1/orgs/${acme}/teams`).send({ name }).expect(201)).body.id;
  }

  /** A CLI logged in as the person the GitHub stand-in signs in now, by device login approved in their browser. */
  async function loggedIn(who: TestUser): Promise<CliUnderTest> {
    const agent: Browser = browser(stack.platform.http);
    await signInWithGitHub(agent, stack.github);
    const cli = await CliUnderTest.create(host);
    const login = cli.spawn(['auth', 'login', '--no-browser']);
    const finished = outcome(login);
    const [, userCode] = await printed(login, /one-time code: ([A-Z]{4}-[A-Z]{4})/);
    await agent.get(`/device?user_code=${userCode}`).expect(200);
    await agent
      .post('/auth/device/approve')
      .send({ user_code: userCode, account_id: who.personalAccountId })
      .expect(200);
    expect((await finished).code).toBe(0);
    return cli;
  }

  /** An API refusal as the CLI reports it: exit 1, the code and request id, no stack trace. */
  function expectRefused(result: CliResult, code: string): void {
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 1,
      stderr: expect.stringMatching(new RegExp(`^error: .*\\(${code}, request [\\w-]+\\)$`, 'm')),
    });
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }

  function expectUsageError(result: CliResult, message: string): void {
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining(`error: ${message}`),
    });
  }

  it('has --help with examples on every orgs command', async () => {
    for (const command of ORGS_COMMANDS) {
      const result = await admin.run([...command, '--help']);
      expect({ command, code: result.code }).toEqual({ command, code: 0 });
      expect(result.stdout).toContain(`Usage: tessera ${command.join(' ')}`);
      expect(result.stdout).toContain('$ tessera orgs');
    }
  });

  describe('list, teams and members', () => {
    it("lists the organizations of an Org Admin with their team counts, and none of a team's developer", async () => {
      expect(await admin.json(['orgs', 'list'])).toEqual([
        { id: acme, kind: 'organization', name: 'Acme', role: 'admin', teams: 2 },
      ]);
      expect((await admin.run(['orgs', 'list'])).stdout).toMatch(new RegExp(`^${acme}\\s+Acme\\s+2$`, 'm'));

      const none = await developer.run(['orgs', 'list']);
      expect(none).toEqual({ code: 0, stdout: '', stderr: 'You are an Org Admin of no organization.\n' });
      expect(await developer.json(['orgs', 'list'])).toEqual([]);
    });

    it('lists the teams and their members, the organization named by name or id', async () => {
      const teams = await admin.json<{ name: string; members: number }[]>(['orgs', 'teams', 'acme']);
      expect(
        teams.map(({ name, members }) => ({ name, members })).sort((a, b) => a.name.localeCompare(b.name)),
      ).toEqual([
        { name: 'ML', members: 2 },
        { name: 'Research', members: 1 },
      ]);
      expect((await admin.run(['orgs', 'teams', acme])).stdout).toMatch(/^[0-9a-f-]{36}\s+ML\s+2\s+0\s+/m);

      const members = await admin.json<{ teamName: string; email: string; role: string }[]>([
        'orgs',
        'members',
        acme,
      ]);
      expect(members).toContainEqual(
        expect.objectContaining({ teamName: 'ML', email: bob.email, role: 'developer' }),
      );
      expect(members).toContainEqual(
        expect.objectContaining({ teamName: 'Research', email: alice.email, role: 'admin' }),
      );
      expect((await admin.run(['orgs', 'members', 'Acme'])).stdout).toMatch(
        new RegExp(`^ML\\s+${bob.id}\\s+${bob.email.replace(/\./g, '\\.')}\\s+.*developer`, 'm'),
      );
    });

    it("refuses a team's developer (exit 1 by id, as for no such organization) and unknown names (exit 2)", async () => {
      for (const command of ['teams', 'members']) {
        expectRefused(await developer.run(['orgs', command, acme]), 'not_found');
        expectRefused(await admin.run(['orgs', command, randomUUID()]), 'not_found');
        expectUsageError(
          await developer.run(['orgs', command, 'Acme']),
          'No organization "Acme": "tessera orgs list" lists them.',
        );
        expectUsageError(await admin.run(['orgs', command, 'Globex']), 'No organization "Globex"');
      }
      expect((await developer.run(['orgs', 'teams'])).code).toBe(2);
    });

    it('refuses an API key: organizations are managed by people (exit 1)', async () => {
      const key = (
        await admin.run(['keys', 'create', '--name', 'ci', '--scope', 'ADMIN', '--team', 'personal'])
      ).stdout.trim();
      for (const args of [
        ['orgs', 'list'],
        ['orgs', 'teams', acme],
      ]) {
        const result = await admin.run(args, { TESSERA_KEY: key });
        expect({ args, code: result.code }).toEqual({ args, code: 1 });
        expect(result.stderr).toMatch(/^error: .*\(\w+, request [\w-]+\)$/m);
      }
    });
  });

  describe('policies', () => {
    it('shows version 0 and every setting unset before anything is set', async () => {
      const shown = await admin.run(['orgs', 'policies', 'get', 'Acme']);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('Version 0: no setting was ever set.');
      expect(shown.stdout).toMatch(/^keys\.maxLifetimeDays\s+-$/m);
      expect((await admin.json<Policy>(['orgs', 'policies', 'get', acme])).own).toMatchObject({
        version: 0,
        settings: {},
      });
    });

    it('changes settings of the current policy with --set and --unset', async () => {
      const set = await admin.run([
        'orgs',
        'policies',
        'set',
        'Acme',
        '--set',
        'keys.allowedScopes=API',
        '--set',
        'keys.maxLifetimeDays=90',
        '--set',
        'invitations.allowedDomains=acme.test, example.com',
      ]);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain(`by ${alice.email}.`);
      expect(set.stdout).toMatch(/^Version 1, set \d{4}-\d\d-\d\d /m);
      expect(set.stdout).toMatch(/^invitations\.allowedDomains\s+acme\.test, example\.com$/m);
      expect(set.stderr).toContain('stop working within a second');
      const stored = (await as(alice).get(`/v1/orgs/${acme}/policies`).expect(200)).body;
      expect(stored.own).toMatchObject({
        version: 1,
        settings: {
          'keys.allowedScopes': ['API'],
          'keys.maxLifetimeDays': 90,
          'invitations.allowedDomains': ['acme.test', 'example.com'],
        },
      });

      const unset = await admin.json<Policy>([
        'orgs',
        'policies',
        'set',
        acme,
        '--unset',
        'invitations.allowedDomains',
      ]);
      expect(unset.own).toEqual(
        expect.objectContaining({
          version: 2,
          settings: { 'keys.allowedScopes': ['API'], 'keys.maxLifetimeDays': 90 },
        }),
      );
    });

    it('replaces the whole policy with a file from standard input', async () => {
      const result = await admin.run(
        ['orgs', 'policies', 'set', 'Acme', '--file', '-', '--json'],
        {},
        '{ "sessions.maxAgeHours": 12, "data.retentionDays": 30 }',
      );
      expect(result.code).toBe(0);
      const written = JSON.parse(result.stdout) as Policy;
      expect(written.own).toMatchObject({
        version: 3,
        settings: { 'sessions.maxAgeHours': 12, 'data.retentionDays': 30 },
      });
      expect(written.own.settings).not.toHaveProperty('keys.allowedScopes');
    });

    it('refuses bad settings before asking the API (exit 2), and a stale version (exit 1)', async () => {
      expectUsageError(
        await admin.run(['orgs', 'policies', 'set', 'Acme', '--set', 'keys.maxLifetimeDays=0']),
        'keys.maxLifetimeDays: Must be a whole number of days from 1 to 3650.',
      );
      expectUsageError(
        await admin.run(['orgs', 'policies', 'set', 'Acme', '--set', 'keys.colour=blue']),
        'Unknown policy setting "keys.colour"',
      );
      expectUsageError(
        await admin.run(['orgs', 'policies', 'set', 'Acme', '--unset', 'sessions.maxAge']),
        'Unknown policy setting "sessions.maxAge". Settings: sso.enforced, ',
      );
      expectUsageError(
        await admin.run(['orgs', 'policies', 'set', 'Acme', '--file', '-'], {}, '{ "keys.colour": "blue" }'),
        'Unknown policy setting "keys.colour"',
      );
      expectUsageError(
        await admin.run(['orgs', 'policies', 'set', 'Acme', '--file', '-'], {}, 'not json'),
        'standard input is not JSON',
      );
      expectUsageError(await admin.run(['orgs', 'policies', 'set', 'Acme']), 'Give --file <policy.json>');
      expect((await admin.run(['orgs', 'policies', 'set', 'Acme', '--set', 'novalue'])).code).toBe(2);

      expectRefused(
        await admin.run([
          'orgs',
          'policies',
          'set',
          'Acme',
          '--set',
          'data.retentionDays=7',
          '--expect-version',
          '1',
        ]),
        'version_conflict',
      );
      expect((await admin.json<Policy>(['orgs', 'policies', 'get', 'Acme'])).own.version).toBe(3);
    });

    it("refuses a team's developer, and changes nothing", async () => {
      expectRefused(await developer.run(['orgs', 'policies', 'get', acme]), 'not_found');
      expectRefused(
        await developer.run(['orgs', 'policies', 'set', acme, '--file', '-'], {}, '{}'),
        'not_found',
      );
      expect((await admin.json<Policy>(['orgs', 'policies', 'get', 'Acme'])).own.settings).toEqual({
        'sessions.maxAgeHours': 12,
        'data.retentionDays': 30,
      });
    });
  });

  describe('domains', () => {
    it('claims a domain, printing the TXT record, and verifies it once the record is published', async () => {
      const added = await admin.run(['orgs', 'domains', 'add', 'Acme', 'acme.test']);
      expect(added.code).toBe(0);
      const [, name, value] = /^ {2}(\S+) TXT "(tessera-verification=\S+)"$/m.exec(added.stdout) ?? [];
      expect(name).toBe('_tessera-verification.acme.test');
      expect(added.stdout).toContain('Then: tessera orgs domains verify Acme acme.test');

      const early = await admin.run(['orgs', 'domains', 'verify', 'Acme', 'acme.test']);
      expectRefused(early, 'domain_not_verified');
      expect(early.stderr).toContain(name);

      dns.setTxt(name, [value]);
      const verified = await admin.run(['orgs', 'domains', 'verify', 'Acme', 'ACME.test']);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(
        /^acme\.test is verified \(since .*\): e-mails at it belong to this organization\.$/m,
      );
      expect(await admin.json(['orgs', 'domains', 'list', acme])).toEqual([
        expect.objectContaining({
          domain: 'acme.test',
          status: 'verified',
          txtRecord: expect.objectContaining({ name, value }),
        }),
      ]);
      expect((await admin.run(['orgs', 'domains', 'list', 'Acme'])).stdout).toMatch(
        /^[0-9a-f-]{36}\s+acme\.test\s+verified\s+/m,
      );
    });

    it('refuses a public e-mail domain and an unknown one (exit 1, exit 2), and a developer (exit 1)', async () => {
      expectRefused(await admin.run(['orgs', 'domains', 'add', 'Acme', 'gmail.com']), 'public_email_domain');
      expectUsageError(
        await admin.run(['orgs', 'domains', 'verify', 'Acme', 'other.test']),
        'No domain "other.test": "tessera orgs domains list Acme" lists them.',
      );
      expectRefused(await developer.run(['orgs', 'domains', 'add', acme, 'bob.test']), 'not_found');
      expectRefused(await developer.run(['orgs', 'domains', 'list', acme]), 'not_found');
      expect((await admin.json<unknown[]>(['orgs', 'domains', 'list', 'Acme'])).length).toBe(1);
    });
  });

  describe('single sign-on', () => {
    let connectionId: string;
    let acs: string;

    beforeAll(async () => {
      const created = await as(alice)
        .post(`/v1/orgs/${acme}/sso/connections`)
        .send({
          name: 'Okta',
          metadataXml: idp.metadata(),
          groupMappings: [{ group: 'ml-engineers', teamId: ml, role: 'developer' }],
        })
        .expect(201);
      connectionId = created.body.id;
      acs = new URL(created.body.serviceProvider.acsUrl).pathname;
      idp.trust(
        (await as(alice).get(new URL(created.body.serviceProvider.metadataUrl).pathname).expect(200)).text,
      );
    });

    it("lists the organization's connections", async () => {
      expect(await admin.json(['orgs', 'sso', 'list', 'Acme'])).toEqual([
        expect.objectContaining({ id: connectionId, name: 'Okta', enabled: true }),
      ]);
      expect((await admin.run(['orgs', 'sso', 'list', 'Acme'])).stdout).toMatch(
        new RegExp(
          `^${connectionId}\\s+Okta\\s+yes\\s+${idp.entityId.replace(/[.?]/g, '\\$&')}\\s+\\d{4}-\\d\\d-\\d\\d .*\\s+1$`,
          'm',
        ),
      );
    });

    it('tests a connection: prints the IdP URL, waits for the round trip, and shows what arrived', async () => {
      const test = admin.spawn(['orgs', 'sso', 'test', 'Acme', 'okta', '--no-browser']);
      const finished = outcome(test);
      const [, testUrl] = await printed(test, /Open (\S+)/);
      expect(testUrl.startsWith(idp.ssoUrl)).toBe(true);
      // The person tested signs in at the IdP, whose answer the browser posts to Tessera.
      const samlResponse = await idp.respond(testUrl, {
        nameId: 'tester@acme.test',
        email: 'tester@acme.test',
        name: 'Test Person',
        groups: ['ml-engineers'],
      });
      await browser(stack.platform.http)
        .post(acs)
        .type('form')
        .send({ SAMLResponse: samlResponse })
        .expect(200);

      const result = await finished;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('The test came back.');
      expect(result.stdout).toMatch(/^ {2}E-mail: {6}tester@acme\.test$/m);
      expect(result.stdout).toMatch(/^ {2}Groups: {6}ml-engineers$/m);
      expect(result.stdout).toMatch(/^ {2}Would join: {2}ML \(developer\)$/m);
      // Nobody was provisioned: the organization's members are as they were.
      const members = await admin.json<{ email: string }[]>(['orgs', 'members', 'Acme']);
      expect(members.map((member) => member.email)).not.toContain('tester@acme.test');
    }, 30_000);

    it('prints only the URL with --no-wait, for scripts', async () => {
      const result = await admin.run(['orgs', 'sso', 'test', 'Acme', connectionId, '--no-wait']);
      expect(result.code).toBe(0);
      expect(result.stdout.trim().startsWith(idp.ssoUrl)).toBe(true);
      const json = JSON.parse(
        (await admin.run(['orgs', 'sso', 'test', 'Acme', 'Okta', '--no-wait', '--json'])).stdout,
      );
      expect(json.testUrl.startsWith(idp.ssoUrl)).toBe(true);
    });

    it('refuses an unknown connection (exit 2) and a developer (exit 1)', async () => {
      expectUsageError(
        await admin.run(['orgs', 'sso', 'test', 'Acme', 'Entra', '--no-wait']),
        'No SSO connection "Entra": "tessera orgs sso list Acme" lists them.',
      );
      expectRefused(await developer.run(['orgs', 'sso', 'list', acme]), 'not_found');
      expectRefused(
        await developer.run(['orgs', 'sso', 'test', acme, connectionId, '--no-wait']),
        'not_found',
      );
      expect((await admin.run(['orgs', 'sso', 'test', 'Acme', 'Okta', '--timeout', 'soon'])).code).toBe(2);
    });
  });
});
