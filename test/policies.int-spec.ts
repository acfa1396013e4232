import { AuthzCheckReply, AuthzCheckRequest, PolicyView } from '@tessera/contracts';
import { eventually } from '@tessera/testing';
import { JSONCodec } from 'nats';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { QueryRunner } from 'typeorm';
import { OrganizationOnlySignInSettings1765600000000 } from '../apps/teams/src/migrations/1765600000000-organization-only-sign-in-settings';
import { GitHubPlatform } from './support/github-platform';
import { Browser, accessToken, browser, signInWithGitHub } from './support/sign-in';
import { TeamFixtures } from './support/teams';
import { TestUser, signUp } from './support/users';

const codec = JSONCodec();
/** "Within 1 s" is the contract for applying a policy change to existing keys and sessions. */
const APPLIED_WITHIN_MS = 1000;
const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
let githubIds = 881_000;

describe('organization policies: validated, versioned, inherited, applied', () => {
  let stack: GitHubPlatform;
  let fixtures: TeamFixtures;
  let orgAdmin: TestUser;
  let orgId: string;
  let teamId: string;

  beforeAll(async () => {
    stack = await GitHubPlatform.start();
    fixtures = stack.fixtures;
    orgAdmin = await fixtures.user('policy-admin');
    orgId = (await as(orgAdmin).post('/v1/orgs').send({ name: 'Policed' }).expect(201)).body.id;
    teamId = (await as(orgAdmin).post(`/v1/orgs/${orgId}/teams`).send({ name: 'Models' }).expect(201)).body
      .id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const as = (who: TestUser) => fixtures.as(who);
  const setOrgPolicy = (settings: unknown, version?: number) =>
    as(orgAdmin)
      .put(`/v1/orgs/${orgId}/policies`)
      .send({ settings, ...(version !== undefined ? { version } : {}) });

  async function check(body: Partial<AuthzCheckRequest>): Promise<AuthzCheckReply> {
    const reply = await stack.nc.request('tessera.authz.check', codec.encode(body), { timeout: 5000 });
    return codec.decode(reply.data) as AuthzCheckReply;
  }

  /** Moves a user's sessions' sign-in time into the past (a test cannot wait hours). */
  async function signedInAgo(userId: string, interval: string): Promise<void> {
    await stack.platform.query(
      `UPDATE identity.sessions SET created_at = now() - $2::interval, signed_in_at = now() - $2::interval
        WHERE user_id = $1`,
      [userId, interval],
    );
  }

  /** A member of the organization's team signed in with GitHub in a browser of their own. */
  async function memberInBrowser(name: string): Promise<{ agent: Browser; member: TestUser }> {
    const email = fixtures.uniqueEmail(name);
    stack.github.setUser({
      id: (githubIds += 1),
      login: name,
      name,
      emails: [{ email, primary: true, verified: true }],
    });
    const agent = browser(stack.platform.http);
    expect(await signInWithGitHub(agent, stack.github)).toBe('/');
    const token = await accessToken(agent);
    const me = await request(stack.platform.http).get('/v1/me').set('authorization', `Bearer ${token}`);
    const member: TestUser = { id: me.body.id, email, token, personalAccountId: '' };
    const invitation = await as(orgAdmin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email, role: 'developer' })
      .expect(201);
    await as(member)
      .post('/v1/invitations/accept')
      .send({ token: await fixtures.invitationToken(invitation.body.id) })
      .expect(200);
    return { agent, member };
  }

  const deviceCode = async () =>
    (await request(stack.platform.http).post('/auth/device/code').send({}).expect(200)).body as {
      device_code: string;
      user_code: string;
    };

  function createKey(scope: 'API' | 'ADMIN', expiresAt?: string) {
    return as(orgAdmin)
      .post(`/v1/accounts/${teamId}/keys`)
      .send({ name: `${scope.toLowerCase()}-key`, scope, ...(expiresAt ? { expires_at: expiresAt } : {}) });
  }

  it('refuses unknown settings and bad values, naming the setting, and keeps the policy as it was', async () => {
    for (const [settings, named] of [
      [{ 'keys.allowedScope': ['API'] }, 'keys.allowedScope'],
      [{ 'keys.allowedScopes': ['ROOT'] }, 'keys.allowedScopes'],
      [{ 'keys.allowedScopes': [] }, 'keys.allowedScopes'],
      [{ 'keys.maxLifetimeDays': 0 }, 'keys.maxLifetimeDays'],
      [{ 'sessions.maxAgeHours': 1.5 }, 'sessions.maxAgeHours'],
      [{ 'sso.enforced': 'yes' }, 'sso.enforced'],
      [{ 'signin.allowedMethods': ['password'] }, 'signin.allowedMethods'],
      [{ 'invitations.allowedDomains': ['not a domain'] }, 'invitations.allowedDomains'],
      ['everything', '`settings`'],
    ] as const) {
      const refused = await setOrgPolicy(settings).expect(400);
      expect(refused.body.error).toMatchObject({ code: 'validation_failed' });
      expect(refused.body.error.message).toContain(named);
    }
    const several = await setOrgPolicy({ 'keys.maxLifetimeDays': 4000, 'data.retentionDays': 'long' }).expect(
      400,
    );
    expect(several.body.error.details).toEqual([
      { path: 'settings.keys.maxLifetimeDays', message: 'Must be a whole number of days from 1 to 3650.' },
      { path: 'settings.data.retentionDays', message: 'Must be a whole number of days from 1 to 3650.' },
    ]);
    const policy = await as(orgAdmin).get(`/v1/orgs/${orgId}/policies`).expect(200);
    expect(policy.body.own).toMatchObject({ version: 0, settings: {} });
  });

  it('keeps every version with who set it, and refuses a write based on a stale version', async () => {
    const first = await setOrgPolicy({ 'data.retentionDays': 90 }, 0).expect(200);
    expect(first.body.own).toMatchObject({ version: 1, updatedByUserId: orgAdmin.id });
    const stale = await setOrgPolicy({ 'data.retentionDays': 60 }, 0).expect(409);
    expect(stale.body.error.code).toBe('version_conflict');
    await setOrgPolicy({ 'data.retentionDays': 30 }, 1).expect(200);
    const versions = await as(orgAdmin).get(`/v1/orgs/${orgId}/policies/versions`).expect(200);
    expect(versions.body.map((v: PolicyView) => [v.version, v.settings])).toEqual([
      [2, { 'data.retentionDays': 30 }],
      [1, { 'data.retentionDays': 90 }],
    ]);
    await eventually(async () => {
      const event = await fixtures.lastEvent<{ accountId: string; version: number; affected: unknown[] }>(
        'tessera.events.teams.policy.changed',
      );
      expect(event?.data).toMatchObject({ accountId: orgId, version: 2 });
      expect(event?.data.affected).toEqual(
        expect.arrayContaining([{ accountId: teamId, effective: { 'data.retentionDays': 30 } }]),
      );
    });
  });

  it('lets a team only tighten what it inherits, and answers the effective policy', async () => {
    await setOrgPolicy({ 'data.retentionDays': 30, 'keys.maxLifetimeDays': 365 }).expect(200);
    const looser = await as(orgAdmin)
      .put(`/v1/teams/${teamId}/policies`)
      .send({ settings: { 'keys.maxLifetimeDays': 400 } })
      .expect(422);
    expect(looser.body.error).toMatchObject({ code: 'policy_violation' });
    expect(looser.body.error.message).toContain(
      "keys.maxLifetimeDays may only be tightened: the organization's policy allows at most 365 days",
    );

    const tighter = await as(orgAdmin)
      .put(`/v1/teams/${teamId}/policies`)
      .send({ settings: { 'keys.maxLifetimeDays': 180 } })
      .expect(200);
    expect(tighter.body.effective).toEqual({ 'data.retentionDays': 30, 'keys.maxLifetimeDays': 180 });
    // The decision point tells serving services how long to keep what a request makes.
    const key = await createKey('API', new Date(Date.now() + 30 * 86_400_000).toISOString()).expect(201);
    await eventually(async () => {
      const reply = await check({ authorization: `Key ${key.body.secret}`, action: 'models.call' });
      expect(reply).toMatchObject({ allow: true, retentionDays: 30 });
    });
    // Reset the team's own settings for the tests below.
    await as(orgAdmin).put(`/v1/teams/${teamId}/policies`).send({ settings: {} }).expect(200);
  });

  it('revokes ADMIN keys within a second of forbidding them, and refuses new ones', async () => {
    await setOrgPolicy({}).expect(200);
    const admin = await createKey('ADMIN').expect(201);
    const api = await createKey('API').expect(201);
    expect((await check({ authorization: `Key ${admin.body.secret}`, action: 'apps.deploy' })).allow).toBe(
      true,
    );

    const changed = Date.now();
    await setOrgPolicy({ 'keys.allowedScopes': ['API'] }).expect(200);
    await eventually(
      async () => {
        const reply = await check({ authorization: `Key ${admin.body.secret}`, action: 'models.call' });
        expect(reply).toMatchObject({ allow: false, reason: 'invalid_credentials' });
      },
      APPLIED_WITHIN_MS - (Date.now() - changed),
    );
    expect((await check({ authorization: `Key ${api.body.secret}`, action: 'models.call' })).allow).toBe(
      true,
    );
    await eventually(async () => {
      const revoked = await fixtures.lastEvent<{ keyId: string; reason: string }>(
        'tessera.events.keys.key.revoked',
      );
      expect(revoked?.data).toMatchObject({
        keyId: admin.body.key.id,
        reason: expect.stringContaining('keys.allowedScopes'),
      });
    });

    const refused = await createKey('ADMIN').expect(422);
    expect(refused.body.error).toMatchObject({ code: 'policy_violation' });
  });

  it('makes keys expire under keys.maxLifetimeDays: new keys must, existing ones are brought forward', async () => {
    await setOrgPolicy({}).expect(200);
    const forever = await createKey('API').expect(201);
    await setOrgPolicy({ 'keys.maxLifetimeDays': 30 }).expect(200);
    const limit = Date.parse(forever.body.key.createdAt) + 30 * 86_400_000;
    await eventually(async () => {
      const keys = await as(orgAdmin).get(`/v1/accounts/${teamId}/keys`).expect(200);
      const key = keys.body.find((k: { id: string }) => k.id === forever.body.key.id);
      expect(Date.parse(key.expiresAt)).toBe(limit);
    }, APPLIED_WITHIN_MS);

    const noExpiry = await createKey('API').expect(422);
    expect(noExpiry.body.error.message).toContain('keys.maxLifetimeDays');
    await createKey('API', new Date(Date.now() + 31 * 86_400_000).toISOString()).expect(422);
    await createKey('API', new Date(Date.now() + 29 * 86_400_000).toISOString()).expect(201);
  });

  it('refuses invitations to other domains, one by one and row by row', async () => {
    await setOrgPolicy({ 'invitations.allowedDomains': ['acme.test'] }).expect(200);
    const refused = await as(orgAdmin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email: 'someone@elsewhere.test', role: 'developer' })
      .expect(422);
    expect(refused.body.error).toMatchObject({ code: 'policy_violation' });
    await as(orgAdmin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email: 'someone@acme.test', role: 'developer' })
      .expect(201);
    const bulk = await as(orgAdmin)
      .post(`/v1/teams/${teamId}/invitations/bulk`)
      .set('content-type', 'text/csv')
      .send('email,role\nok@ACME.test,developer\nno@elsewhere.test,billing\n')
      .expect(200);
    expect(bulk.body.results.map((r: { result: string }) => r.result)).toEqual([
      'invited',
      'domain_not_allowed',
    ]);
  });

  it('ends sessions older than sessions.maxAgeHours within a second, for the members of its teams', async () => {
    await setOrgPolicy({}).expect(200);
    const veteran = await fixtures.addMember(orgAdmin, teamId, 'developer', 'veteran');
    const newcomer = await fixtures.addMember(orgAdmin, teamId, 'developer', 'newcomer');
    const outsider = await fixtures.user('outsider');
    for (const who of [veteran, outsider]) await signedInAgo(who.id, '3 hours');
    await as(veteran).get('/v1/me').expect(200);

    const changed = Date.now();
    await setOrgPolicy({ 'sessions.maxAgeHours': 2 }).expect(200);
    await eventually(
      async () => {
        const refused = await as(veteran).get('/v1/me').expect(401);
        expect(refused.body.error.code).toBe('invalid_token');
      },
      APPLIED_WITHIN_MS - (Date.now() - changed),
    );
    await as(newcomer).get('/v1/me').expect(200);
    // Someone outside the organization is not governed by its policy.
    await as(outsider).get('/v1/me').expect(200);
  });

  it('refuses sign-in methods signin.allowedMethods leaves out, for members of its teams', async () => {
    await setOrgPolicy({}).expect(200);
    stack.github.setUser({
      id: 880_001,
      login: 'method-member',
      name: 'Method Member',
      emails: [{ email: 'method.member@example.com', primary: true, verified: true }],
    });
    const agent = browser(stack.platform.http);
    expect(await signInWithGitHub(agent, stack.github)).toBe('/');
    const member: TestUser = { id: '', email: '', token: await accessToken(agent), personalAccountId: '' };
    const invitation = await as(orgAdmin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email: 'method.member@example.com', role: 'developer' })
      .expect(201);
    const token = await fixtures.invitationToken(invitation.body.id);
    await as(member).post('/v1/invitations/accept').send({ token }).expect(200);

    await setOrgPolicy({ 'signin.allowedMethods': ['google', 'saml'] }).expect(200);
    expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toBe(
      '/signin?error=signin_method_not_allowed',
    );
    await setOrgPolicy({}).expect(200);
    expect(await signInWithGitHub(browser(stack.platform.http), stack.github)).toBe('/');
  });

  it('is managed by Org Admins and team Admins only', async () => {
    const developer = await fixtures.addMember(orgAdmin, teamId, 'developer', 'policy-dev');
    await as(developer).get(`/v1/orgs/${orgId}/policies`).expect(404);
    await as(developer).put(`/v1/orgs/${orgId}/policies`).send({ settings: {} }).expect(404);
    await as(developer).get(`/v1/teams/${teamId}/policies`).expect(200);
    const forbidden = await as(developer)
      .put(`/v1/teams/${teamId}/policies`)
      .send({ settings: {} })
      .expect(403);
    expect(forbidden.body.error.code).toBe('forbidden');
    const other = await fixtures.user('other-org-admin');
    const otherOrg = (await as(other).post('/v1/orgs').send({ name: 'Other' }).expect(201)).body.id;
    await as(other).get(`/v1/orgs/${orgId}/policies`).expect(404);
    await as(orgAdmin).put(`/v1/orgs/${otherOrg}/policies`).send({ settings: {} }).expect(404);
  });

  it("keeps sign-in and session rules to organizations: a team Admin cannot reach a member's account", async () => {
    const inviter = await fixtures.user('team-inviter');
    const lure = await fixtures.createTeam(inviter, 'Lure');
    const invitee = await fixtures.addMember(inviter, lure, 'developer', 'invitee');
    for (const [settings, named] of [
      [{ 'sessions.maxAgeHours': 1 }, 'sessions.maxAgeHours'],
      [{ 'signin.allowedMethods': ['google'] }, 'signin.allowedMethods'],
      [{ 'sso.enforced': true }, 'sso.enforced'],
    ] as const) {
      const refused = await as(inviter).put(`/v1/teams/${lure}/policies`).send({ settings }).expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.message).toContain(named);
    }
    // A team inside an organization cannot set them either: they are the organization's.
    const child = await as(orgAdmin)
      .put(`/v1/teams/${teamId}/policies`)
      .send({ settings: { 'sessions.maxAgeHours': 1 } })
      .expect(400);
    expect(child.body.error.message).toContain('sessions.maxAgeHours');
    expect((await as(inviter).get(`/v1/teams/${lure}/policies`).expect(200)).body.own.version).toBe(0);
    await as(invitee).get('/v1/me').expect(200);

    // A team value stored before this rule reaches nobody's account...
    await stack.platform.query(
      `INSERT INTO teams.policy_versions (account_id, version, settings, actor_user_id)
       VALUES ($1, 1, '{"sessions.maxAgeHours": 1, "signin.allowedMethods": ["google"]}', $2)`,
      [lure, inviter.id],
    );
    expect(await stack.rpc.request('tessera.teams.policy.for-user', { userId: invitee.id })).toEqual({});
    // ...and the upgrade writes a new version without it, by no one.
    const runner = { query: (sql: string) => stack.platform.query(sql) } as unknown as QueryRunner;
    await new OrganizationOnlySignInSettings1765600000000().up(runner);
    expect(
      await stack.platform.query(
        'SELECT version, settings, actor_user_id FROM teams.policy_versions WHERE account_id = $1 ORDER BY version',
        [lure],
      ),
    ).toEqual([
      {
        version: 1,
        settings: expect.objectContaining({ 'sessions.maxAgeHours': 1 }),
        actor_user_id: inviter.id,
      },
      { version: 2, settings: {}, actor_user_id: null },
    ]);
  });

  it('refuses a device login approved from a browser session older than sessions.maxAgeHours', async () => {
    await setOrgPolicy({ 'sessions.maxAgeHours': 2 }).expect(200);
    const { agent, member } = await memberInBrowser('over-age');
    await signedInAgo(member.id, '3 hours');
    const code = await deviceCode();
    const refused = await agent.post('/auth/device/approve').send({ user_code: code.user_code }).expect(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    // Every page that reads the session cookie applies the policy: the device page asks to sign in again.
    const page = await agent.get(`/device?user_code=${code.user_code}`).expect(302);
    expect(page.headers.location).toMatch(/^\/signin\?/);
    await setOrgPolicy({}).expect(200);
  });

  it("counts a device-approved session from the approving session's sign-in", async () => {
    await setOrgPolicy({}).expect(200);
    const { agent, member } = await memberInBrowser('approver');
    await signedInAgo(member.id, '90 minutes');
    const code = await deviceCode();
    await agent.post('/auth/device/approve').send({ user_code: code.user_code }).expect(200);
    const cli = await request(stack.platform.http)
      .post('/auth/device/token')
      .send({ grant_type: DEVICE_GRANT_TYPE, device_code: code.device_code })
      .expect(200);

    await setOrgPolicy({ 'sessions.maxAgeHours': 1 }).expect(200);
    await eventually(async () => {
      const sessions = await stack.platform.query(
        'SELECT revoked_at FROM identity.sessions WHERE user_id = $1',
        [member.id],
      );
      expect(sessions).toEqual([{ revoked_at: expect.any(Date) }, { revoked_at: expect.any(Date) }]);
    });
    const refused = await request(stack.platform.http)
      .post('/auth/token')
      .send({ refresh_token: cli.body.refresh_token })
      .expect(400);
    expect(refused.body.error).toBe('invalid_grant');
    await setOrgPolicy({}).expect(200);
  });

  describe('a team moving into an organization, and key creation during a change', () => {
    /** A new organization of `orgAdmin` with `settings`, so these tests do not disturb the shared one. */
    async function organizationWith(settings: unknown): Promise<string> {
      const id = (await as(orgAdmin).post('/v1/orgs').send({ name: 'Strict' }).expect(201)).body.id;
      await as(orgAdmin).put(`/v1/orgs/${id}/policies`).send({ settings }).expect(200);
      return id;
    }
    const keyOf = (team: string, scope: 'API' | 'ADMIN') =>
      as(orgAdmin)
        .post(`/v1/accounts/${team}/keys`)
        .send({ name: `${scope}-key`, scope });
    const works = async (secret: string) =>
      (await check({ authorization: `Key ${secret}`, action: 'models.call' })).allow;

    it("applies the organization's key policy to the team's existing keys when it moves in", async () => {
      const strict = await organizationWith({ 'keys.allowedScopes': ['API'], 'keys.maxLifetimeDays': 30 });
      const team = await fixtures.createTeam(orgAdmin, 'Moving In');
      const admin = await keyOf(team, 'ADMIN').expect(201);
      const api = await keyOf(team, 'API').expect(201);
      expect(api.body.key.expiresAt).toBeNull();

      const moved = await as(orgAdmin)
        .post(`/v1/orgs/${strict}/transfers`)
        .send({ teamId: team })
        .expect(201);
      expect(moved.body.status).toBe('completed');

      await eventually(async () => expect(await works(admin.body.secret)).toBe(false), APPLIED_WITHIN_MS);
      expect(await works(api.body.secret)).toBe(true);
      await eventually(async () => {
        const keys = await as(orgAdmin).get(`/v1/accounts/${team}/keys`).expect(200);
        expect(keys.body).toEqual([
          expect.objectContaining({
            id: api.body.key.id,
            expiresAt: new Date(Date.parse(api.body.key.createdAt) + 30 * 86_400_000).toISOString(),
          }),
        ]);
      }, APPLIED_WITHIN_MS);
      expect((await keyOf(team, 'ADMIN').expect(422)).body.error.code).toBe('policy_violation');
    });

    it('applies the policy of a move recorded before moves carried it, as teams answers it now', async () => {
      const strict = await organizationWith({ 'keys.allowedScopes': ['API'] });
      const team = await fixtures.createTeam(orgAdmin, 'Moved Long Ago');
      const admin = await keyOf(team, 'ADMIN').expect(201);
      // The team joined the organization before the upgrade: its move event has no `effective`.
      await stack.platform.query('UPDATE teams.accounts SET organization_id = $1 WHERE id = $2', [
        strict,
        team,
      ]);
      const js = stack.nc.jetstream();
      await js.publish(
        'tessera.events.teams.team.moved',
        codec.encode({
          id: randomUUID(),
          type: 'tessera.events.teams.team.moved',
          occurredAt: new Date().toISOString(),
          data: {
            accountId: team,
            actorUserId: orgAdmin.id,
            transferId: randomUUID(),
            teamId: team,
            organizationId: strict,
            requestedBy: 'organization',
          },
        }),
      );
      await eventually(async () => expect(await works(admin.body.secret)).toBe(false), APPLIED_WITHIN_MS);
    });

    it('revokes a key whose creation was under way when its scope was forbidden', async () => {
      const changing = await organizationWith({});
      const team = (
        await as(orgAdmin).post(`/v1/orgs/${changing}/teams`).send({ name: 'Racing' }).expect(201)
      ).body.id as string;
      const before = await keyOf(team, 'ADMIN').expect(201);
      // Hold key creation between its policy check and its commit: the secret's insert waits for this lock.
      const blocker = new Client({ connectionString: stack.platform.config.databaseUrl });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE keys.key_secrets IN EXCLUSIVE MODE');
        const creation = keyOf(team, 'ADMIN').then((response) => response);
        await eventually(async () => {
          const [waiting] = (await stack.platform.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%key_secrets%'`,
          )) as { n: number }[];
          expect(waiting.n).toBeGreaterThan(0);
        });
        await as(orgAdmin)
          .put(`/v1/orgs/${changing}/policies`)
          .send({ settings: { 'keys.allowedScopes': ['API'] } })
          .expect(200);
        // Let the change reach the keys service (it revokes the older key unless it has to wait for the new one).
        await eventually(async () => expect(await works(before.body.secret)).toBe(false), 1500).catch(
          () => undefined,
        );
        await blocker.query('COMMIT');
        const made = await creation;
        if (made.status === 201)
          // Not the one-second contract under test here (the gateway may have cached the key meanwhile).
          await eventually(async () => expect(await works(made.body.secret)).toBe(false), 5000);
        else expect(made.body.error.code).toBe('policy_violation');
        expect(await works(before.body.secret)).toBe(false);
      } finally {
        await blocker.end();
      }
    });
  });

  describe('invitations.allowedDomains after the fact', () => {
    async function hiringTeam(name: string) {
      await setOrgPolicy({}).expect(200);
      const team = (await as(orgAdmin).post(`/v1/orgs/${orgId}/teams`).send({ name }).expect(201)).body
        .id as string;
      const invite = async (email: string) => {
        const id = (
          await as(orgAdmin)
            .post(`/v1/teams/${team}/invitations`)
            .send({ email, role: 'developer' })
            .expect(201)
        ).body.id as string;
        return { id, token: await fixtures.invitationToken(id) };
      };
      return { team, invite };
    }

    it('cancels pending invitations a new policy refuses, with the cancelled event', async () => {
      const { team, invite } = await hiringTeam('Hiring');
      const outsider = fixtures.uniqueEmail('outsider');
      const refused = await invite(outsider);
      const kept = await invite(`insider.${Date.now()}@acme.test`);

      await setOrgPolicy({ 'invitations.allowedDomains': ['acme.test'] }).expect(200);
      const pending = await as(orgAdmin).get(`/v1/teams/${team}/invitations`).expect(200);
      expect(pending.body.map((i: { id: string }) => i.id)).toEqual([kept.id]);
      await eventually(async () => {
        const cancelled = await fixtures.lastEvent<{ invitationId: string; actorUserId: string }>(
          'tessera.events.teams.invitation.cancelled',
        );
        expect(cancelled?.data).toMatchObject({ invitationId: refused.id, actorUserId: orgAdmin.id });
      });
      const person = await signUp(stack.platform.http, stack.github, outsider);
      const revoked = await as(person)
        .post('/v1/invitations/accept')
        .send({ token: refused.token })
        .expect(410);
      expect(revoked.body.error.code).toBe('invitation_revoked');
      await setOrgPolicy({}).expect(200);
    });

    it('re-checks invitations.allowedDomains when an invitation is accepted or resent', async () => {
      const { team, invite } = await hiringTeam('Hiring Later');
      const outsider = fixtures.uniqueEmail('late');
      const invitation = await invite(outsider);
      await setOrgPolicy({ 'invitations.allowedDomains': ['acme.test'] }).expect(200);
      // As if the invitation had escaped the cancellation (made while the policy was being written).
      await stack.platform.query(`UPDATE teams.invitations SET status = 'pending' WHERE id = $1`, [
        invitation.id,
      ]);
      const resent = await as(orgAdmin)
        .post(`/v1/teams/${team}/invitations/${invitation.id}/resend`)
        .expect(422);
      expect(resent.body.error.code).toBe('policy_violation');
      const person = await signUp(stack.platform.http, stack.github, outsider);
      const accepted = await as(person)
        .post('/v1/invitations/accept')
        .send({ token: invitation.token })
        .expect(422);
      expect(accepted.body.error.code).toBe('policy_violation');
      const members = await as(orgAdmin).get(`/v1/teams/${team}/members`).expect(200);
      expect(members.body.map((m: { userId: string }) => m.userId)).not.toContain(person.id);
      await setOrgPolicy({}).expect(200);
    });

    it("cancels a moving team's pending invitations that its new organization's policy refuses", async () => {
      const strict = (await as(orgAdmin).post('/v1/orgs').send({ name: 'Domains' }).expect(201)).body.id;
      await as(orgAdmin)
        .put(`/v1/orgs/${strict}/policies`)
        .send({ settings: { 'invitations.allowedDomains': ['acme.test'] } })
        .expect(200);
      const team = await fixtures.createTeam(orgAdmin, 'Standalone Hiring');
      const outsider = fixtures.uniqueEmail('mover');
      const invitation = (
        await as(orgAdmin)
          .post(`/v1/teams/${team}/invitations`)
          .send({ email: outsider, role: 'developer' })
          .expect(201)
      ).body.id as string;
      await as(orgAdmin).post(`/v1/orgs/${strict}/transfers`).send({ teamId: team }).expect(201);
      expect((await as(orgAdmin).get(`/v1/teams/${team}/invitations`).expect(200)).body).toEqual([]);
      const person = await signUp(stack.platform.http, stack.github, outsider);
      const token = await fixtures.invitationToken(invitation);
      const refused = await as(person).post('/v1/invitations/accept').send({ token }).expect(410);
      expect(refused.body.error.code).toBe('invitation_revoked');
    });
  });
});
