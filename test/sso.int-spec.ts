import { SsoConnectionView } from '@tessera/contracts';
import { DnsStandIn, SamlIdpStandIn, SamlStandInUser, eventually } from '@tessera/testing';
import { GitHubPlatform } from './support/github-platform';
import {
  Browser,
  accessToken,
  browser,
  deliverCallback,
  signInWithGitHub,
  startSignIn,
} from './support/sign-in';
import { TeamFixtures } from './support/teams';
import { TestUser } from './support/users';

/**
 * SAML single sign-on through the gateway, end to end, with a real SAML IdP (samlify) on loopback: connections
 * set up by Org Admins, SP- and IdP-initiated sign-in, just-in-time provisioning by groups, the "test connection"
 * round trip, discovery by verified e-mail domain, and `sso.enforced` against GitHub sign-in.
 */
describe('SAML SSO for organizations', () => {
  let stack: GitHubPlatform;
  let fixtures: TeamFixtures;
  let idp: SamlIdpStandIn;
  let dns: DnsStandIn;
  let itAdmin: TestUser;
  let orgId: string;
  let research: string;
  let platform: string;
  let connection: SsoConnectionView;

  beforeAll(async () => {
    [idp, dns] = await Promise.all([SamlIdpStandIn.start(), DnsStandIn.start()]);
    stack = await GitHubPlatform.start({ TESSERA_DNS_SERVERS: dns.address });
    fixtures = stack.fixtures;
    itAdmin = await fixtures.user('it-admin');
    orgId = (await as(itAdmin).post('/v1/orgs').send({ name: 'Acme' }).expect(201)).body.id;
    research = await childTeam('Research');
    platform = await childTeam('Platform');
    // Acme proves it owns acme.test.
    await verifyDomain(itAdmin, orgId, 'acme.test');
  });

  afterAll(async () => {
    await stack?.stop();
    await dns?.stop();
  });

  const as = (who: TestUser) => fixtures.as(who);
  const pathOf = (url: string) => {
    const parsed = new URL(url, 'http://unused.invalid');
    return `${parsed.pathname}${parsed.search}`;
  };

  async function childTeam(name: string, admin = itAdmin, org = orgId): Promise<string> {
    return (await as(admin).post(`/v1/orgs/${org}/teams`).send({ name }).expect(201)).body.id;
  }

  /** The organization proves by DNS (the stand-in) that it owns `domain`; answers the domain's id. */
  async function verifyDomain(admin: TestUser, org: string, domain: string): Promise<string> {
    const claim = await as(admin).post(`/v1/orgs/${org}/domains`).send({ domain }).expect(201);
    dns.setTxt(claim.body.txtRecord.name, [claim.body.txtRecord.value]);
    await as(admin).post(`/v1/orgs/${org}/domains/${claim.body.id}/verify`).expect(200);
    return claim.body.id;
  }

  /** SP-initiated: Tessera's redirect, the IdP's signed answer, and the post to the ACS; answers the ACS response. */
  async function signInWithSso(
    agent: Browser,
    user: SamlStandInUser,
    start = connection.serviceProvider.loginUrl,
  ) {
    const redirect = await agent.get(pathOf(start)).expect(302);
    const samlResponse = await idp.respond(redirect.headers.location, user);
    return postToAcs(agent, samlResponse, acsOf(start));
  }

  /** The ACS of the connection a login URL belongs to. */
  const acsOf = (loginUrl: string) => pathOf(loginUrl).replace(/\/login(\?.*)?$/, '/acs');

  /** Posts an IdP's answer from the browser, and takes the session it opens: answers the last redirect. */
  async function postToAcs(
    agent: Browser,
    samlResponse: string,
    acs = pathOf(connection.serviceProvider.acsUrl),
  ) {
    const posted = await agent.post(acs).type('form').send({ SAMLResponse: samlResponse });
    return posted.headers.location === '/auth/saml/finish' ? agent.get('/auth/saml/finish') : posted;
  }

  /** The signed-in browser as an API caller, with an access token from its session. */
  async function caller(agent: Browser) {
    return fixtures.as({ id: '', email: '', token: await accessToken(agent), personalAccountId: '' });
  }

  async function accountsOf(agent: Browser): Promise<{ id: string; kind: string; role: string }[]> {
    return (await (await caller(agent)).get('/v1/me/accounts').expect(200)).body;
  }

  describe('setting up a connection', () => {
    it('creates one from the IdP metadata, answering what to copy into the IdP', async () => {
      const created = await as(itAdmin)
        .post(`/v1/orgs/${orgId}/sso/connections`)
        .send({
          name: 'Okta',
          metadataXml: idp.metadata(),
          groupMappings: [
            { group: 'ml-engineers', teamId: research, role: 'developer' },
            { group: 'platform-admins', teamId: platform, role: 'admin' },
          ],
        })
        .expect(201);
      connection = created.body;
      expect(connection.identityProvider).toMatchObject({ entityId: idp.entityId, ssoUrl: idp.ssoUrl });
      expect(connection.identityProvider.certificates).toHaveLength(1);
      expect(connection.serviceProvider.acsUrl).toMatch(new RegExp(`/auth/saml/${connection.id}/acs$`));
      await eventually(async () => {
        const event = await fixtures.lastEvent<{ connectionId: string }>(
          'tessera.events.identity.sso_connection.created',
        );
        expect(event?.data.connectionId).toBe(connection.id);
      });

      // The IdP's admin imports Tessera's metadata.
      const xml = await fixtures
        .as(itAdmin)
        .get(pathOf(connection.serviceProvider.metadataUrl))
        .expect(200)
        .expect('content-type', /samlmetadata\+xml/);
      expect(xml.text).toContain(connection.serviceProvider.acsUrl);
      idp.trust(xml.text);
    });

    it('refuses bad settings with validation_failed naming the field', async () => {
      const other = await fixtures.user('other-org-admin');
      const otherOrg = (await as(other).post('/v1/orgs').send({ name: 'Other' }).expect(201)).body.id;
      const foreignTeam = (await as(other).post(`/v1/orgs/${otherOrg}/teams`).send({ name: 'X' }).expect(201))
        .body.id;
      for (const [body, named] of [
        [
          { idpEntityId: 'x', idpSsoUrl: 'https://idp.test/sso', idpCertificates: ['not a certificate'] },
          'certificate',
        ],
        [
          { idpEntityId: 'x', idpSsoUrl: 'http://idp.example/sso', idpCertificates: [idp.certificate] },
          'idpSsoUrl',
        ],
        [{ metadataXml: '<!DOCTYPE x [<!ENTITY a "b">]><x/>' }, 'document type'],
        [
          {
            metadataXml: idp.metadata(),
            groupMappings: [{ group: 'g', teamId: foreignTeam, role: 'admin' }],
          },
          'teamId',
        ],
        [{ metadataXml: idp.metadata(), clockSkewSeconds: 3600 }, 'clockSkewSeconds'],
        [{ metadataXml: idp.metadata(), defaultTeamId: research }, 'defaultRole'],
      ] as const) {
        const refused = await as(itAdmin).post(`/v1/orgs/${orgId}/sso/connections`).send(body).expect(400);
        expect(refused.body.error.code).toBe('validation_failed');
        expect(refused.body.error.message).toContain(named);
      }
      // Connections are the organization's own business.
      await as(other).get(`/v1/orgs/${orgId}/sso/connections`).expect(404);
      await as(other).patch(`/v1/orgs/${orgId}/sso/connections/${connection.id}`).send({}).expect(404);
      await as(itAdmin).get(`/v1/orgs/${otherOrg}/sso/connections`).expect(404);
    });

    it('names every wrong field in `details`, misspelt ones included, and a malformed id', async () => {
      const refused = await as(itAdmin)
        .post(`/v1/orgs/${orgId}/sso/connections`)
        .send({
          name: ' ',
          clockSkewSeconds: 'soon',
          groupMappings: [{ group: 'g', teamId: 'x', role: 'owner' }],
          idp_entity_id: 'x',
        })
        .expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.details).toEqual(
        expect.arrayContaining([
          { path: 'name', message: 'A connection name has 1 to 64 characters.' },
          { path: 'clockSkewSeconds', message: expect.any(String) },
          { path: 'groupMappings[0].teamId', message: 'Must be a UUID.' },
          { path: 'groupMappings[0].role', message: 'The role must be admin, developer or billing.' },
          { path: '', message: 'Unrecognized key: "idp_entity_id"' },
        ]),
      );
      // A rule that needs the organization names the field in the subject's payload.
      const foreign = await as(itAdmin)
        .patch(`/v1/orgs/${orgId}/sso/connections/${connection.id}`)
        .send({ defaultTeamId: connection.id, defaultRole: 'developer' })
        .expect(400);
      expect(foreign.body.error.details).toEqual([
        { path: 'input.defaultTeamId', message: 'Must be the id of a team of this organization.' },
      ]);
      for (const malformed of [
        as(itAdmin).patch(`/v1/orgs/${orgId}/sso/connections/42`).send({}),
        browser(stack.platform.http).get('/auth/saml/not-a-uuid/metadata'),
      ]) {
        expect((await malformed.expect(400)).body.error).toMatchObject({
          code: 'validation_failed',
          details: [{ path: 'connectionId', message: 'Must be a UUID.' }],
        });
      }
      const { paths } = (await browser(stack.platform.http).get('/docs-json').expect(200)).body;
      expect(
        paths['/v1/orgs/{orgId}/sso/connections'].post.requestBody.content['application/json'].schema,
      ).toEqual({ $ref: '#/components/schemas/SsoConnectionInput' });
    });
  });

  describe('signing in', () => {
    const ada: SamlStandInUser = {
      nameId: 'ada@acme.test',
      email: 'ada@acme.test',
      name: 'Ada Lovelace',
      groups: ['ml-engineers'],
    };

    it('signs in SP-initiated, creating the user just in time in the team their group maps to', async () => {
      const agent = browser(stack.platform.http);
      const acs = await signInWithSso(
        agent,
        ada,
        `${connection.serviceProvider.loginUrl}?return_to=/welcome`,
      );
      expect(acs.status).toBe(303);
      expect(acs.headers.location).toBe('/welcome');
      const accounts = await accountsOf(agent);
      expect(accounts).toContainEqual(expect.objectContaining({ id: research, role: 'developer' }));
      expect(accounts.map((a) => a.id)).not.toContain(platform);
      await eventually(async () => {
        const event = await fixtures.lastEvent<{ userId: string; created: boolean }>(
          'tessera.events.identity.sso.succeeded',
        );
        expect(event?.data).toMatchObject({ created: true });
      });
    });

    it('brings the memberships in line with the groups at the next sign-in', async () => {
      const agent = browser(stack.platform.http);
      await signInWithSso(agent, { ...ada, groups: ['platform-admins'] });
      const accounts = await accountsOf(agent);
      expect(accounts).toContainEqual(expect.objectContaining({ id: platform, role: 'admin' }));
      expect(accounts.map((a) => a.id)).not.toContain(research);
    });

    it('admits nobody whom no group places (no default team), and says why', async () => {
      const agent = browser(stack.platform.http);
      const acs = await signInWithSso(agent, {
        ...ada,
        nameId: 'eve@acme.test',
        email: 'eve@acme.test',
        groups: [],
      });
      expect(acs.headers.location).toBe('/signin?error=forbidden');
      await eventually(async () => {
        const failed = await fixtures.lastEvent<{ reason: string }>('tessera.events.identity.sso.failed');
        expect(failed?.data.reason).toBe('not_provisioned');
      });
    });

    it('refuses IdP-initiated sign-in until the connection allows it, then lands on /', async () => {
      const agent = browser(stack.platform.http);
      const unsolicited = () => idp.unsolicited(connection.serviceProvider.entityId, ada);
      const refused = await agent
        .post(pathOf(connection.serviceProvider.acsUrl))
        .type('form')
        .send({ SAMLResponse: await unsolicited() })
        .expect(303);
      expect(refused.headers.location).toBe('/signin?error=signin_failed');
      await eventually(async () => {
        const failed = await fixtures.lastEvent<{ reason: string }>('tessera.events.identity.sso.failed');
        expect(failed?.data.reason).toBe('unsolicited_not_allowed');
      });

      await as(itAdmin)
        .patch(`/v1/orgs/${orgId}/sso/connections/${connection.id}`)
        .send({ allowIdpInitiated: true })
        .expect(200);
      // Nothing ties the answer to this browser: a signed-out browser is asked before it is signed in.
      const asked = await postToAcs(agent, await unsolicited());
      expect(asked.status).toBe(200);
      expect(asked.text).toContain(`Continue as ada@acme.test (via ${connection.name})?`);
      const accepted = await agent
        .post('/auth/saml/finish')
        .type('form')
        .send({ choice: 'switch' })
        .expect(303);
      expect(accepted.headers.location).toBe('/');
      await accessToken(agent);
    });

    it('refuses a forged response and a missing one without a stack trace', async () => {
      const agent = browser(stack.platform.http);
      const forged = await agent
        .post(pathOf(connection.serviceProvider.acsUrl))
        .type('form')
        .send({ SAMLResponse: Buffer.from('<samlp:Response/>').toString('base64') })
        .expect(303);
      expect(forged.headers.location).toBe('/signin?error=signin_failed');
      const missing = await agent
        .post(pathOf(connection.serviceProvider.acsUrl))
        .type('form')
        .send({})
        .expect(400);
      expect(missing.body.error.code).toBe('validation_failed');
    });
  });

  it('shows the IT admin what the IdP sends in a test round trip, provisioning nobody', async () => {
    const lastTest = `/v1/orgs/${orgId}/sso/connections/${connection.id}/test`;
    expect((await as(itAdmin).get(lastTest).expect(200)).body).toEqual({
      connectionId: connection.id,
      lastTest: null,
    });
    const { body } = await as(itAdmin)
      .post(`/v1/orgs/${orgId}/sso/connections/${connection.id}/test`)
      .expect(200);
    // The IdP's own URL: the round trip is started for the Org Admin, not through a public Tessera route.
    expect(body.testUrl.startsWith(idp.ssoUrl)).toBe(true);
    const agent = browser(stack.platform.http);
    const tester: SamlStandInUser = {
      nameId: 'tester@acme.test',
      email: 'tester@acme.test',
      name: 'Test Person',
      groups: ['ml-engineers'],
    };
    const page = await postToAcs(agent, await idp.respond(body.testUrl, tester));
    expect(page.status).toBe(200);
    expect(page.text).toContain('tester@acme.test');
    expect(page.text).toContain('ml-engineers');
    expect(page.text).toContain(`${research}:developer`);
    expect(page.headers['set-cookie']).toBeUndefined();
    // The console reads the same result back through the API.
    const result = await as(itAdmin).get(lastTest).expect(200);
    expect(result.body).toEqual({
      connectionId: connection.id,
      lastTest: {
        testedAt: expect.any(String),
        profile: expect.objectContaining({
          nameId: 'tester@acme.test',
          email: 'tester@acme.test',
          name: 'Test Person',
          groups: ['ml-engineers'],
          attributes: expect.any(Object),
        }),
        teams: [{ teamId: research, teamName: expect.any(String), role: 'developer' }],
      },
    });
    expect(result.body.lastTest.profile).not.toHaveProperty('assertionId');
    // Only the organization's Org Admins read it: a member of its teams or an outsider finds no such thing.
    const teamMember = await fixtures.addMember(itAdmin, research, 'admin', 'sso-test-reader');
    const outsider = await fixtures.user('sso-test-outsider');
    for (const who of [teamMember, outsider]) {
      const refused = await as(who).get(lastTest).expect(404);
      expect(refused.body.error.code).toBe('not_found');
    }
    const members = await as(itAdmin).get(`/v1/orgs/${orgId}/members`).expect(200);
    expect(members.body.map((m: { email: string }) => m.email)).not.toContain('tester@acme.test');
  });

  it('finds the SSO by verified e-mail domain, for the sign-in page and the CLI', async () => {
    const found = await fixtures
      .as(itAdmin)
      .post('/auth/sso/discover')
      .send({ email: 'someone@ACME.test' })
      .expect(200);
    expect(found.body).toEqual({ loginUrl: connection.serviceProvider.loginUrl });
    for (const email of ['someone@gmail.com', 'someone@unverified.test', 'not-an-email'])
      expect(
        (await fixtures.as(itAdmin).post('/auth/sso/discover').send({ email }).expect(200)).body,
      ).toEqual({
        loginUrl: null,
      });
    const form = await browser(stack.platform.http)
      .get('/auth/sso?email=bob@acme.test&return_to=/x')
      .expect(302);
    expect(form.headers.location).toBe(`/auth/saml/${connection.id}/login?return_to=%2Fx`);
    // Submitted from the sign-in page itself: a page that moves on by Refresh, not a redirect (decision 024).
    const submitted = await browser(stack.platform.http)
      .get('/auth/sso?email=bob@acme.test&return_to=/x')
      .set('sec-fetch-site', 'same-origin')
      .expect(200);
    expect(submitted.headers.refresh).toBe(`0; url=/auth/saml/${connection.id}/login?return_to=%2Fx`);
    expect(submitted.text).toContain(`href="/auth/saml/${connection.id}/login?return_to=%2Fx"`);
  });

  it('with sso.enforced, refuses GitHub sign-in for a verified-domain e-mail and points to the SSO', async () => {
    // Before the policy, a GitHub user with an acme.test address signs in as usual.
    stack.github.setUser({
      id: 990_001,
      login: 'grace',
      name: 'Grace',
      emails: [{ email: 'grace@acme.test', primary: true, verified: true }],
    });
    expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toBe('/');

    await as(itAdmin)
      .put(`/v1/orgs/${orgId}/policies`)
      .send({ settings: { 'sso.enforced': true } })
      .expect(200);
    const refused = await signInWithGitHub(browser(stack.platform.http), stack.github);
    expect(refused).toMatch(new RegExp(`^/signin\\?error=sso_required&sso=${connection.id}\\.[\\w-]+$`));
    const page = await browser(stack.platform.http).get(refused).expect(200);
    expect(page.text).toContain(`/auth/saml/${connection.id}/login`);
    // The hint is signed for this refusal: not for another error, nor as a bare id.
    for (const forged of [
      refused.replace('error=sso_required', 'error=signin_method_not_allowed'),
      `/signin?error=sso_required&sso=${connection.id}`,
    ]) {
      const shown = await browser(stack.platform.http).get(forged).expect(200);
      expect(shown.text).not.toContain(`/auth/saml/${connection.id}/login`);
    }

    // Through the SSO, Grace's existing account (same verified-domain e-mail) is linked once she agrees.
    const agent = browser(stack.platform.http);
    const asked = await signInWithSso(agent, {
      nameId: 'grace',
      email: 'grace@acme.test',
      groups: ['ml-engineers'],
    });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('grace@acme.test');
    const linked = await agent.post('/auth/saml/finish').type('form').send({ choice: 'link' }).expect(303);
    expect((await agent.get(linked.headers.location).expect(303)).headers.location).toBe('/');
    const me = await (await caller(agent)).get('/v1/me').expect(200);
    expect(me.body.identities.map((i: { provider: string }) => i.provider)).toEqual([
      'github',
      `saml:${connection.id}`,
    ]);
    // A GitHub user of another domain is not concerned.
    stack.github.setUser({
      id: 990_002,
      login: 'hal',
      name: 'Hal',
      emails: [{ email: 'hal@elsewhere.test', primary: true, verified: true }],
    });
    expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toBe('/');
  });

  describe('sign-in rules on every path', () => {
    const setPolicy = (settings: Record<string, unknown>) =>
      as(itAdmin).put(`/v1/orgs/${orgId}/policies`).send({ settings }).expect(200);
    const ada: SamlStandInUser = {
      nameId: 'ada@acme.test',
      email: 'ada@acme.test',
      groups: ['ml-engineers'],
    };

    const signedSsoHint = () => new RegExp(`^/signin\\?error=sso_required&sso=${connection.id}\\.[\\w-]+$`);

    beforeEach(async () => {
      await setPolicy({});
    });

    it("with sso.enforced, looks at the Tessera account's e-mails, not only the provider's", async () => {
      stack.github.setUser({
        id: 990_010,
        login: 'ivy',
        name: 'Ivy',
        emails: [{ email: 'ivy@acme.test', primary: true, verified: true }],
      });
      expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toBe('/');
      await setPolicy({ 'sso.enforced': true });
      // Ivy changes her GitHub e-mail to a personal one: her Tessera account is still an acme.test address.
      stack.github.setUser({
        id: 990_010,
        login: 'ivy',
        name: 'Ivy',
        emails: [{ email: 'ivy@home.test', primary: true, verified: true }],
      });
      expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toMatch(signedSsoHint());
    });

    it('refuses linking a provider (?link=1) the organization does not allow', async () => {
      await setPolicy({ 'signin.allowedMethods': ['saml'] });
      const agent = browser(stack.platform.http);
      expect((await signInWithSso(agent, ada)).headers.location).toBe('/');
      stack.github.setUser({
        id: 990_020,
        login: 'ada-at-home',
        name: 'Ada',
        emails: [{ email: 'ada@home.test', primary: true, verified: true }],
      });
      const authorize = await startSignIn(agent, '/auth/github?link=1');
      expect(await deliverCallback(agent, await stack.github.signIn(authorize))).toMatch(signedSsoHint());
      const me = await (await caller(agent)).get('/v1/me').expect(200);
      expect(me.body.identities.map((i: { provider: string }) => i.provider)).toEqual([
        `saml:${connection.id}`,
      ]);
    });

    it('refuses a SAML sign-in that signin.allowedMethods leaves out, changing nothing', async () => {
      await setPolicy({ 'signin.allowedMethods': ['github'] });
      const refused = await signInWithSso(browser(stack.platform.http), ada);
      expect(refused.status).toBe(303);
      expect(refused.headers.location).toBe('/signin?error=signin_method_not_allowed');
      const newcomer = await signInWithSso(browser(stack.platform.http), {
        nameId: 'newcomer@acme.test',
        email: 'newcomer@acme.test',
        groups: ['ml-engineers'],
      });
      expect(newcomer.headers.location).toBe('/signin?error=signin_method_not_allowed');
      const members = await as(itAdmin).get(`/v1/orgs/${orgId}/members`).expect(200);
      expect(members.body.map((m: { email: string }) => m.email)).not.toContain('newcomer@acme.test');
      await setPolicy({});
      expect((await signInWithSso(browser(stack.platform.http), ada)).headers.location).toBe('/');
    });
  });

  /**
   * Security round 2: a connection vouches only for its organization's verified domains, nobody can point the real
   * sign-in page at an IdP of their choosing, and an answer is accepted only from the browser that asked for it.
   */
  describe('trust boundaries', () => {
    let mallory: TestUser;
    let malloryOrg: string;
    let malloryTeam: string;
    let rogue: SsoConnectionView;

    /** A connection of `org` to the IdP stand-in, everyone placed in `team`; the IdP trusts it. */
    async function connect(admin: TestUser, org: string, team: string, settings: object = {}) {
      const created = await as(admin)
        .post(`/v1/orgs/${org}/sso/connections`)
        .send({ metadataXml: idp.metadata(), defaultTeamId: team, defaultRole: 'developer', ...settings });
      if (created.status === 201) {
        const made: SsoConnectionView = created.body;
        idp.trust((await as(admin).get(pathOf(made.serviceProvider.metadataUrl)).expect(200)).text);
      }
      return created;
    }

    const refusalReason = async () =>
      (await fixtures.lastEvent<{ reason: string }>('tessera.events.identity.sso.failed'))?.data.reason;

    beforeAll(async () => {
      mallory = await fixtures.user('mallory');
      malloryOrg = (await as(mallory).post('/v1/orgs').send({ name: 'Mallory' }).expect(201)).body.id;
      malloryTeam = await childTeam('Mallory team', mallory, malloryOrg);
    });

    it('lets an organization without a verified domain set up and test a connection, never enable it', async () => {
      const refused = await connect(mallory, malloryOrg, malloryTeam, { enabled: true });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('domain_not_verified');
      rogue = (await connect(mallory, malloryOrg, malloryTeam)).body;
      expect(rogue.enabled).toBe(false);
      const enabling = await as(mallory)
        .patch(`/v1/orgs/${malloryOrg}/sso/connections/${rogue.id}`)
        .send({ enabled: true })
        .expect(409);
      expect(enabling.body.error.code).toBe('domain_not_verified');

      // "Test connection" works meanwhile, and signs nobody in.
      const { body } = await as(mallory)
        .post(`/v1/orgs/${malloryOrg}/sso/connections/${rogue.id}/test`)
        .expect(200);
      const page = await postToAcs(
        browser(stack.platform.http),
        await idp.respond(body.testUrl, { nameId: 'cfo', email: 'cfo@victim.test' }),
        acsOf(rogue.serviceProvider.loginUrl),
      );
      expect(page.status).toBe(200);
      expect(page.text).toContain('cfo@victim.test');
      expect(page.headers['set-cookie']).toBeUndefined();
      const own = await as(mallory)
        .get(`/v1/orgs/${malloryOrg}/sso/connections/${rogue.id}/test`)
        .expect(200);
      expect(own.body.lastTest).toMatchObject({ profile: { email: 'cfo@victim.test' } });
      // Another organization's connection, under her own organization: no such connection.
      const foreign = await as(mallory)
        .get(`/v1/orgs/${malloryOrg}/sso/connections/${connection.id}/test`)
        .expect(404);
      expect(foreign.body.error.code).toBe('not_found');
    });

    it('never sends a browser from a Tessera page to the IdP of an organization without a verified domain', async () => {
      // The phishing link: the real sign-in page, an SSO button, and behind it an IdP the attacker runs.
      const login = `/auth/saml/${rogue.id}/login`;
      for (const sso of [rogue.id, `${rogue.id}.forged`]) {
        const page = await browser(stack.platform.http)
          .get(`/signin?${new URLSearchParams({ error: 'sso_required', sso })}`)
          .expect(200);
        expect(page.text).not.toContain(login);
      }
      const start = await browser(stack.platform.http).get(login).expect(404);
      expect(start.body.error.code).toBe('not_found');
      expect(start.headers.location).toBeUndefined();
    });

    it("refuses an e-mail outside the organization's verified domains: no signing in as cfo@victim.test", async () => {
      await verifyDomain(mallory, malloryOrg, 'mallory.test');
      await as(mallory)
        .patch(`/v1/orgs/${malloryOrg}/sso/connections/${rogue.id}`)
        .send({ enabled: true })
        .expect(200);
      const agent = browser(stack.platform.http);
      const acs = await signInWithSso(
        agent,
        { nameId: 'cfo', email: 'cfo@victim.test', groups: [] },
        rogue.serviceProvider.loginUrl,
      );
      expect(acs.headers.location).toBe('/signin?error=signin_failed');
      await eventually(async () => expect(await refusalReason()).toBe('email_domain_not_verified'));
      expect(stack.platform.logs.lines).toContainEqual(
        expect.objectContaining({ msg: 'SAML sign-in refused', reason: 'email_domain_not_verified' }),
      );
      await agent.post('/auth/token').expect(400);
      // The real owner of the address still signs in with GitHub: no user was made for it.
      stack.github.setUser({
        id: 990_101,
        login: 'cfo',
        name: 'CFO',
        emails: [{ email: 'cfo@victim.test', primary: true, verified: true }],
      });
      expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toBe('/');
      // An address in Mallory's own verified domain signs in.
      const own = await signInWithSso(
        browser(stack.platform.http),
        { nameId: 'm', email: 'm@mallory.test' },
        rogue.serviceProvider.loginUrl,
      );
      expect(own.headers.location).toBe('/');
    });

    it("never links by e-mail to a user known only through another organization's SSO", async () => {
      // Initech signs Bob in with its SSO, then gives up initech.test, which Mallory verifies next.
      const initechAdmin = await fixtures.user('initech-admin');
      const initech = (await as(initechAdmin).post('/v1/orgs').send({ name: 'Initech' }).expect(201)).body.id;
      const initechTeam = await childTeam('Initech team', initechAdmin, initech);
      const initechDomain = await verifyDomain(initechAdmin, initech, 'initech.test');
      const initechSso: SsoConnectionView = (await connect(initechAdmin, initech, initechTeam)).body;
      const bob = { nameId: 'bob', email: 'bob@initech.test' };
      const first = await signInWithSso(
        browser(stack.platform.http),
        bob,
        initechSso.serviceProvider.loginUrl,
      );
      expect(first.headers.location).toBe('/');
      await as(initechAdmin).delete(`/v1/orgs/${initech}/domains/${initechDomain}`).expect(204);
      await verifyDomain(mallory, malloryOrg, 'initech.test');

      const agent = browser(stack.platform.http);
      const taken = await signInWithSso(agent, { ...bob, nameId: 'not-bob' }, rogue.serviceProvider.loginUrl);
      expect(taken.headers.location).toBe('/signin?error=account_exists_with_different_provider');
      await agent.post('/auth/token').expect(400);
    });

    it('asks before linking SSO to an existing account with the same e-mail, and links nothing on cancel', async () => {
      stack.github.setUser({
        id: 990_102,
        login: 'lin',
        name: 'Lin',
        emails: [{ email: 'lin@mallory.test', primary: true, verified: true }],
      });
      expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toBe('/');
      const lin = { nameId: 'lin', email: 'lin@mallory.test' };
      const agent = browser(stack.platform.http);
      const asked = await signInWithSso(agent, lin, rogue.serviceProvider.loginUrl);
      expect(asked.status).toBe(200);
      expect(asked.text).toContain('lin@mallory.test');
      expect(asked.text).toContain('GitHub');
      await agent.post('/auth/token').expect(400);
      const cancelled = await agent
        .post('/auth/saml/finish')
        .type('form')
        .send({ choice: 'cancel' })
        .expect(303);
      expect(cancelled.headers.location).toBe('/signin');
      await agent.post('/auth/token').expect(400);
      // Nothing was linked: the next SSO sign-in asks again, and only from a Tessera page can it be agreed to.
      expect((await signInWithSso(agent, lin, rogue.serviceProvider.loginUrl)).status).toBe(200);
      await agent
        .post('/auth/saml/finish')
        .set('sec-fetch-site', 'cross-site')
        .type('form')
        .send({ choice: 'link' })
        .expect(403);
      const linked = await agent.post('/auth/saml/finish').type('form').send({ choice: 'link' }).expect(303);
      expect((await agent.get(linked.headers.location).expect(303)).headers.location).toBe('/');
      const me = await (await caller(agent)).get('/v1/me').expect(200);
      expect(me.body.identities.map((i: { provider: string }) => i.provider)).toEqual([
        'github',
        `saml:${rogue.id}`,
      ]);
    });

    it('accepts an SP-initiated answer only from the browser that asked for it (login CSRF)', async () => {
      // The attacker asks in their own browser, then makes the victim's browser post the IdP's answer.
      const attacker = browser(stack.platform.http);
      const redirect = await attacker.get(pathOf(connection.serviceProvider.loginUrl)).expect(302);
      const answer = await idp.respond(redirect.headers.location, {
        nameId: 'attacker@acme.test',
        email: 'attacker@acme.test',
        groups: ['ml-engineers'],
      });
      const victim = browser(stack.platform.http);
      const posted = await postToAcs(victim, answer);
      expect(posted.headers.location).toBe('/signin?error=signin_failed');
      await eventually(async () => expect(await refusalReason()).toBe('browser_mismatch'));
      await victim.post('/auth/token').expect(400);
      // The request still waits for its own browser.
      expect((await postToAcs(attacker, answer)).headers.location).toBe('/');
    });

    it('starts no sign-in from a link on another site: the person continues from a Tessera page (login CSRF)', async () => {
      // Mallory's own organization, domain and IdP. Her page navigates the victim's browser to her login URL; her
      // IdP answers at once for her own user, and the victim would upload into her account.
      const login = pathOf(rogue.serviceProvider.loginUrl);
      const mole = { nameId: 'mole', email: 'mole@mallory.test' };
      const victim = browser(stack.platform.http);
      const started = await victim
        .get(`${login}?return_to=/keys`)
        .set('sec-fetch-site', 'cross-site')
        .set('sec-fetch-mode', 'navigate');
      // Her IdP answers whatever request reached it; when none did, the one she started in her own browser.
      const request =
        started.headers.location ??
        (await browser(stack.platform.http).get(login).expect(302)).headers.location;
      const posted = await postToAcs(victim, await idp.respond(request, mole), acsOf(login));
      expect(posted.headers.location).toBe('/signin?error=signin_failed');
      expect(posted.headers['set-cookie'] ?? []).not.toContainEqual(
        expect.stringMatching(/^tessera_session=/),
      );
      await victim.post('/auth/token').expect(400);
      await victim.get('/v1/me').expect(401);

      // What the victim saw: a Tessera page, no request started, no binding cookie, out of other sites' frames.
      expect(started.status).toBe(200);
      expect(started.headers.location).toBeUndefined();
      expect(started.headers['set-cookie']).toBeUndefined();
      expect(started.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(started.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(started.text).toContain('Continue with single sign-on');
      expect(started.text).toContain(`href="${login}?return_to=%2Fkeys"`);
      // A same-site origin is another origin too; so is the e-mail discovery, whose redirect a browser marks the same.
      await victim.get(login).set('sec-fetch-site', 'same-site').expect(200);
      const discovered = await victim
        .get(`/auth/sso?${new URLSearchParams({ email: mole.email })}`)
        .set('sec-fetch-site', 'cross-site')
        .expect(302);
      expect(discovered.headers.location).toBe(`${login}?return_to=%2F`);

      // Clicking its link is a same-origin navigation: the sign-in starts and finishes, in that browser only.
      const person = browser(stack.platform.http);
      const clicked = await person
        .get(`${login}?return_to=/keys`)
        .set('sec-fetch-site', 'same-origin')
        .expect(302);
      const answer = await idp.respond(clicked.headers.location, mole);
      expect((await postToAcs(person, answer, acsOf(login))).headers.location).toBe('/keys');
      await (await caller(person)).get('/v1/me').expect(200);
    });

    it('asks a signed-out browser before an IdP-initiated answer signs it in (login CSRF)', async () => {
      // Mallory lets her connection take IdP-initiated answers; a form on her site auto-posts one for her own user
      // into the victim's signed-out browser. No request to bind to, no session to replace: she would be signed in.
      await as(mallory)
        .patch(`/v1/orgs/${malloryOrg}/sso/connections/${rogue.id}`)
        .send({ allowIdpInitiated: true })
        .expect(200);
      const mole = { nameId: 'mole', email: 'mole@mallory.test' };
      const unsolicited = () => idp.unsolicited(rogue.serviceProvider.entityId, mole);
      const acs = acsOf(rogue.serviceProvider.loginUrl);
      const victim = browser(stack.platform.http);
      const signedOut = async () => {
        await victim.post('/auth/token').expect(400);
        await victim.get('/v1/me').expect(401);
      };

      const asked = await postToAcs(victim, await unsolicited(), acs);
      expect(asked.status).toBe(200);
      expect(asked.text).toContain(`Continue as mole@mallory.test (via ${rogue.name})?`);
      expect(asked.headers['set-cookie'] ?? []).not.toContainEqual(
        expect.stringMatching(/^tessera_session=/),
      );
      expect(asked.headers['x-frame-options']).toBe('SAMEORIGIN');
      await signedOut();
      // Cancel ends the session the answer opened: nothing is left to take.
      const cancelled = await victim
        .post('/auth/saml/finish')
        .type('form')
        .send({ choice: 'cancel' })
        .expect(303);
      expect(cancelled.headers.location).toBe('/signin');
      const late = await victim.post('/auth/saml/finish').type('form').send({ choice: 'switch' }).expect(303);
      expect(late.headers.location).toBe('/signin?error=invalid_state');
      await signedOut();

      // Another site cannot press Continue for the person.
      expect((await postToAcs(victim, await unsolicited(), acs)).status).toBe(200);
      const crossSite = await victim
        .post('/auth/saml/finish')
        .set('origin', 'https://mallory.example')
        .type('form')
        .send({ choice: 'switch' })
        .expect(403);
      expect(crossSite.body.error.code).toBe('cross_site_request');
      await signedOut();
      // Someone who did start at their IdP's dashboard continues from the Tessera page.
      const continued = await victim
        .post('/auth/saml/finish')
        .type('form')
        .send({ choice: 'switch' })
        .expect(303);
      expect(continued.headers.location).toBe('/');
      expect((await (await caller(victim)).get('/v1/me').expect(200)).body.email).toBe('mole@mallory.test');
    });

    it("never silently replaces a signed-in person's session with another user's", async () => {
      const victim = browser(stack.platform.http);
      await signInWithSso(victim, {
        nameId: 'ada@acme.test',
        email: 'ada@acme.test',
        groups: ['ml-engineers'],
      });
      const whoAmI = async () => (await (await caller(victim)).get('/v1/me').expect(200)).body.email;
      expect(await whoAmI()).toBe('ada@acme.test');
      // An IdP-initiated answer for someone else, auto-posted into Ada's browser by another site.
      const intruder = {
        nameId: 'intruder@acme.test',
        email: 'intruder@acme.test',
        groups: ['ml-engineers'],
      };
      const unsolicited = () => idp.unsolicited(connection.serviceProvider.entityId, intruder);
      const asked = await postToAcs(victim, await unsolicited());
      expect(asked.status).toBe(200);
      expect(asked.text).toContain('ada@acme.test');
      expect(asked.text).toContain('intruder@acme.test');
      expect(await whoAmI()).toBe('ada@acme.test');
      const stayed = await victim.post('/auth/saml/finish').type('form').send({ choice: 'stay' }).expect(303);
      expect(stayed.headers.location).toBe('/');
      expect(await whoAmI()).toBe('ada@acme.test');

      // Switching is the person's choice, from a Tessera page only.
      expect((await postToAcs(victim, await unsolicited())).status).toBe(200);
      await victim
        .post('/auth/saml/finish')
        .set('origin', 'https://elsewhere.example')
        .type('form')
        .send({ choice: 'switch' })
        .expect(403);
      await victim.post('/auth/saml/finish').type('form').send({ choice: 'switch' }).expect(303);
      expect(await whoAmI()).toBe('intruder@acme.test');
    });
  });
});
