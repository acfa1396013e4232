import { AuthzCheckReply, AuthzCheckRequest, TransferView } from '@tessera/contracts';
import { eventually } from '@tessera/testing';
import { JSONCodec } from 'nats';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GitHubPlatform } from './support/github-platform';
import { TeamFixtures } from './support/teams';
import { TestUser } from './support/users';

const codec = JSONCodec();

describe('organizations: teams under one parent, Org Admins, moving teams in', () => {
  let stack: GitHubPlatform;
  let fixtures: TeamFixtures;
  /** Org Admin of Acme. */
  let alice: TestUser;
  let acme: string;

  beforeAll(async () => {
    stack = await GitHubPlatform.start({ TESSERA_USAGE_FLUSH_MS: '100' });
    fixtures = stack.fixtures;
    alice = await fixtures.user('alice');
    acme = await createOrganization(alice, 'Acme');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const as = (who: TestUser) => fixtures.as(who);

  async function createOrganization(admin: TestUser, name: string): Promise<string> {
    const response = await as(admin).post('/v1/orgs').send({ name }).expect(201);
    expect(response.body).toMatchObject({ id: expect.any(String), name });
    return response.body.id;
  }

  async function createChildTeam(orgId: string, admin: TestUser, name: string): Promise<string> {
    const response = await as(admin).post(`/v1/orgs/${orgId}/teams`).send({ name }).expect(201);
    expect(response.body).toMatchObject({ name, members: 1, pendingInvitations: 0 });
    return response.body.id;
  }

  it('makes its creator the first Org Admin, and lists the organization among the accounts to act as', async () => {
    await as(alice).get(`/v1/orgs/${acme}`).expect(200);
    const accounts = await as(alice).get('/v1/me/accounts').expect(200);
    expect(accounts.body.map((a: { kind: string }) => a.kind)).toEqual(['personal', 'organization']);
    expect(accounts.body[1]).toMatchObject({ id: acme, name: 'Acme', role: 'admin' });
    await eventually(async () => {
      const created = await fixtures.lastEvent<{ accountId: string }>(
        'tessera.events.teams.organization.created',
      );
      expect(created?.data.accountId).toBe(acme);
    });
  });

  it('refuses a bad name or a bad team id with validation_failed, and writes nothing', async () => {
    for (const name of ['', ' ', 'x'.repeat(65), undefined]) {
      const refused = await as(alice).post('/v1/orgs').send({ name }).expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
    }
    const badTeam = await as(alice).post(`/v1/orgs/${acme}/teams`).send({ name: '' }).expect(400);
    expect(badTeam.body.error.code).toBe('validation_failed');
    expect((await as(alice).get(`/v1/orgs/${acme}/teams`).expect(200)).body).toEqual([]);
    const badTransfer = await as(alice).post(`/v1/orgs/${acme}/transfers`).send({ teamId: 'x' }).expect(400);
    expect(badTransfer.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'teamId', message: 'Must be a UUID.' }],
    });
    const typo = await as(alice)
      .post(`/v1/orgs/${acme}/transfers`)
      .send({ teamId: acme, team_id: acme })
      .expect(400);
    expect(typo.body.error.details).toEqual([{ path: '', message: 'Unrecognized key: "team_id"' }]);
    const badId = await as(alice).get('/v1/orgs/not-a-uuid').expect(400);
    expect(badId.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'orgId' }] });
  });

  it('tells the caller what their organization role allows, and tells Org Members and outsiders nothing', async () => {
    const answer = await as(alice).get(`/v1/orgs/${acme}/permissions`).expect(200);
    expect(answer.body).toEqual({ role: 'admin', actions: { 'org.read': true, 'org.manage': true } });
    const team = await createChildTeam(acme, alice, 'Permissions Pool');
    const member = await fixtures.addMember(alice, team, 'admin', 'permissions-member');
    const outsider = await fixtures.user('permissions-outsider');
    for (const who of [member, outsider]) {
      const refused = await as(who).get(`/v1/orgs/${acme}/permissions`).expect(404);
      expect(refused.body.error.code).toBe('not_found');
      const unknown = await as(who).get(`/v1/orgs/${outsider.personalAccountId}/permissions`).expect(404);
      expect(unknown.body.error).toEqual({ ...refused.body.error, requestId: expect.any(String) });
    }
    await request(stack.platform.http).get(`/v1/orgs/${acme}/permissions`).expect(401);
  });

  it('creates teams inside the organization, listed for switching, with the organization on the team', async () => {
    const research = await createChildTeam(acme, alice, 'Research');
    const team = await as(alice).get(`/v1/teams/${research}`).expect(200);
    expect(team.body.organizationId).toBe(acme);
    const accounts = await as(alice).get('/v1/me/accounts').expect(200);
    expect(accounts.body).toContainEqual(
      expect.objectContaining({ id: research, kind: 'team', role: 'admin', organizationId: acme }),
    );
  });

  describe('moving a standalone team in', () => {
    it('takes a request by the team Admin and an approval by an Org Admin', async () => {
      const bob = await fixtures.user('bob');
      const teamId = await fixtures.createTeam(bob, 'Bob Labs');
      const asked = await as(bob).post(`/v1/orgs/${acme}/transfers`).send({ teamId }).expect(201);
      expect(asked.body).toMatchObject({ status: 'pending', requestedBy: 'team', teamName: 'Bob Labs' });

      // The asking side cannot approve its own request; a second request waits for the first.
      const own = await as(bob).post(`/v1/orgs/${acme}/transfers/${asked.body.id}/approve`).expect(403);
      expect(own.body.error.code).toBe('forbidden');
      const again = await as(bob).post(`/v1/orgs/${acme}/transfers`).send({ teamId }).expect(409);
      expect(again.body.error.code).toBe('transfer_pending');
      // Until it is approved, the Org Admin has no say in the team.
      await as(alice).get(`/v1/teams/${teamId}/members`).expect(404);
      const listed = await as(alice).get(`/v1/orgs/${acme}/transfers`).expect(200);
      expect(listed.body.map((t: TransferView) => t.id)).toContain(asked.body.id);
      const forTeam = await as(bob).get(`/v1/teams/${teamId}/transfers`).expect(200);
      expect(forTeam.body[0]).toMatchObject({ id: asked.body.id, organizationName: 'Acme' });

      const approved = await as(alice)
        .post(`/v1/orgs/${acme}/transfers/${asked.body.id}/approve`)
        .expect(201);
      expect(approved.body).toMatchObject({ status: 'completed', decidedAt: expect.any(String) });
      // The outbox relays the event after the change commits: it may follow the answer by a moment.
      await eventually(async () => {
        const moved = await fixtures.lastEvent<{ accountId: string; organizationId: string }>(
          'tessera.events.teams.team.moved',
        );
        expect(moved?.data).toMatchObject({ accountId: teamId, organizationId: acme });
      });

      // The Org Admin now acts as Admin in the team; the team's own Admin keeps their role.
      const members = await as(alice).get(`/v1/teams/${teamId}/members`).expect(200);
      expect(members.body).toEqual([expect.objectContaining({ userId: bob.id, role: 'admin' })]);
      await as(alice)
        .post(`/v1/teams/${teamId}/invitations`)
        .send({ email: 'x@acme.test', role: 'developer' })
        .expect(201);
      const moreRequests = await as(bob).post(`/v1/orgs/${acme}/transfers`).send({ teamId }).expect(409);
      expect(moreRequests.body.error.code).toBe('already_in_organization');
    });

    it('takes a request by an Org Admin and an approval by the team Admin; either side may decline', async () => {
      const carol = await fixtures.user('carol');
      const declinedTeam = await fixtures.createTeam(carol, 'Carol Declines');
      const offer = await as(alice)
        .post(`/v1/orgs/${acme}/transfers`)
        .send({ teamId: declinedTeam })
        .expect(201);
      expect(offer.body.requestedBy).toBe('organization');
      const declined = await as(carol)
        .post(`/v1/orgs/${acme}/transfers/${offer.body.id}/decline`)
        .expect(201);
      expect(declined.body.status).toBe('declined');
      await as(alice).post(`/v1/orgs/${acme}/transfers/${offer.body.id}/approve`).expect(404);
      await as(alice).get(`/v1/teams/${declinedTeam}`).expect(404);

      const acceptedTeam = await fixtures.createTeam(carol, 'Carol Accepts');
      const second = await as(alice)
        .post(`/v1/orgs/${acme}/transfers`)
        .send({ teamId: acceptedTeam })
        .expect(201);
      await as(carol).post(`/v1/orgs/${acme}/transfers/${second.body.id}/approve`).expect(201);
      await as(alice).get(`/v1/teams/${acceptedTeam}`).expect(200);
    });

    it('moves at once for someone on both sides, and hides both from someone on neither', async () => {
      const own = await fixtures.createTeam(alice, 'Alice Own');
      const moved = await as(alice).post(`/v1/orgs/${acme}/transfers`).send({ teamId: own }).expect(201);
      expect(moved.body.status).toBe('completed');

      const dave = await fixtures.user('dave');
      const daveTeam = await fixtures.createTeam(dave, 'Dave Team');
      const stranger = await fixtures.user('stranger');
      const refused = await as(stranger)
        .post(`/v1/orgs/${acme}/transfers`)
        .send({ teamId: daveTeam })
        .expect(404);
      expect(refused.body.error.code).toBe('not_found');
    });
  });

  describe('attacks on moving teams', () => {
    it('answers one not_found for every kind of wrong team id, and for a wrong organization id', async () => {
      const frank = await fixtures.user('frank');
      const frankTeam = await fixtures.createTeam(frank, 'Frank Team');
      const archived = await fixtures.createTeam(alice, 'Alice Archived');
      await as(alice).post(`/v1/teams/${archived}/archive`).expect(200);
      const personal = (await as(alice).get('/v1/me/accounts').expect(200)).body[0].id;
      const otherOrg = await createOrganization(frank, 'Frank Org');
      const frankChild = await createChildTeam(otherOrg, frank, 'Frank Child');
      const wrongTeamIds = [
        '0190a0a0-0000-7000-8000-000000000000', // no account at all
        personal, // the Org Admin's own personal account
        acme, // an organization, even the very one
        otherOrg, // someone else's organization
        archived, // a team the Org Admin archived
        frankChild, // a team of another organization
      ];
      const answers: unknown[] = [];
      const answer = ({
        status,
        body,
      }: {
        status: number;
        body: { error: { code: string; message: string } };
      }) => answers.push({ status, code: body.error?.code, message: body.error?.message });
      for (const teamId of wrongTeamIds)
        answer(await as(alice).post(`/v1/orgs/${acme}/transfers`).send({ teamId }));
      // From the team's side: organizations that do not exist, are teams, or are someone else's.
      for (const orgId of ['0190a0a0-0000-7000-8000-000000000000', frankTeam, personal])
        answer(await as(frank).post(`/v1/orgs/${orgId}/transfers`).send({ teamId: frankTeam }));
      expect(answers).toEqual(answers.map(() => answers[0]));
      expect(answers[0]).toMatchObject({ status: 404, code: 'not_found' });
    });

    it("never shows a team's name to the organization before the team's side agrees", async () => {
      const grace = await fixtures.user('grace');
      const secret = await fixtures.createTeam(grace, 'Grace Secret Project');
      const offer = await as(alice).post(`/v1/orgs/${acme}/transfers`).send({ teamId: secret }).expect(201);
      expect(offer.body).toMatchObject({ status: 'pending', teamName: null, waitingFor: ['team'] });
      const listed = (await as(alice).get(`/v1/orgs/${acme}/transfers`).expect(200)).body as TransferView[];
      expect(listed.find((t) => t.id === offer.body.id)?.teamName).toBeNull();
      expect(JSON.stringify(listed)).not.toContain('Grace Secret Project');
      // The team's own Admins see it, with the organization that asks.
      const forTeam = await as(grace).get(`/v1/teams/${secret}/transfers`).expect(200);
      expect(forTeam.body[0]).toMatchObject({ teamName: 'Grace Secret Project', organizationName: 'Acme' });
      // A declined offer reveals nothing either.
      await as(grace).post(`/v1/orgs/${acme}/transfers/${offer.body.id}/decline`).expect(201);
      const after = (await as(alice).get(`/v1/orgs/${acme}/transfers`).expect(200)).body as TransferView[];
      expect(after.find((t) => t.id === offer.body.id)?.teamName).toBeNull();
    });

    it('moves a team with two Admins only once a second Admin approves', async () => {
      const heidi = await fixtures.user('heidi');
      const shared = await fixtures.createTeam(heidi, 'Shared Team');
      const ivan = await fixtures.addMember(heidi, shared, 'admin', 'ivan');
      const asked = await as(heidi).post(`/v1/orgs/${acme}/transfers`).send({ teamId: shared }).expect(201);
      expect(asked.body.waitingFor).toEqual(['another_team_admin', 'organization']);
      const approved = await as(alice)
        .post(`/v1/orgs/${acme}/transfers/${asked.body.id}/approve`)
        .expect(201);
      expect(approved.body).toMatchObject({ status: 'pending', waitingFor: ['another_team_admin'] });
      // Neither the asking Admin nor the Org Admin can stand in for the second Admin.
      for (const who of [heidi, alice]) {
        const refused = await as(who).post(`/v1/orgs/${acme}/transfers/${asked.body.id}/approve`).expect(403);
        expect(refused.body.error.code).toBe('forbidden');
      }
      await as(alice).get(`/v1/teams/${shared}/members`).expect(404);
      const second = await as(ivan).post(`/v1/orgs/${acme}/transfers/${asked.body.id}/approve`).expect(201);
      expect(second.body).toMatchObject({ status: 'completed', waitingFor: [] });
      await as(alice).get(`/v1/teams/${shared}/members`).expect(200);
    });

    it('keeps needing a second Admin when the asking Admin demotes the other, and forgets an Admin who left', async () => {
      const kim = await fixtures.user('kim');
      const team = await fixtures.createTeam(kim, 'Demoted Co-Admin');
      const lee = await fixtures.addMember(kim, team, 'admin', 'lee');
      const asked = await as(kim).post(`/v1/orgs/${acme}/transfers`).send({ teamId: team }).expect(201);
      await as(kim).patch(`/v1/teams/${team}/members/${lee.id}`).send({ role: 'developer' }).expect(200);
      const approved = await as(alice)
        .post(`/v1/orgs/${acme}/transfers/${asked.body.id}/approve`)
        .expect(201);
      expect(approved.body).toMatchObject({ status: 'pending', waitingFor: ['another_team_admin'] });
      await as(alice).get(`/v1/teams/${team}/members`).expect(404);

      // An approving Admin who is no longer one does not count: the team's remaining Admin must agree.
      const other = await fixtures.createTeam(kim, 'Left Behind');
      const mia = await fixtures.addMember(kim, other, 'admin', 'mia');
      const offer = await as(kim).post(`/v1/orgs/${acme}/transfers`).send({ teamId: other }).expect(201);
      await as(kim).delete(`/v1/teams/${other}/members/me`).expect(204);
      const orgApproved = await as(alice)
        .post(`/v1/orgs/${acme}/transfers/${offer.body.id}/approve`)
        .expect(201);
      expect(orgApproved.body).toMatchObject({ status: 'pending', waitingFor: ['team'] });
      const agreed = await as(mia).post(`/v1/orgs/${acme}/transfers/${offer.body.id}/approve`).expect(201);
      expect(agreed.body).toMatchObject({ status: 'completed', waitingFor: [] });
    });

    it('does not move at once a team with two Admins for someone on both sides', async () => {
      const both = await fixtures.createTeam(alice, 'Alice Shared');
      const judy = await fixtures.addMember(alice, both, 'admin', 'judy');
      const asked = await as(alice).post(`/v1/orgs/${acme}/transfers`).send({ teamId: both }).expect(201);
      expect(asked.body).toMatchObject({ status: 'pending', waitingFor: ['another_team_admin'] });
      await as(judy).post(`/v1/orgs/${acme}/transfers/${asked.body.id}/approve`).expect(201);
      expect((await as(alice).get(`/v1/teams/${both}`).expect(200)).body.organizationId).toBe(acme);
    });
  });

  it('shows Org Admins every team with its members, pending invitations, key metadata and usage', async () => {
    const platform = await createChildTeam(acme, alice, 'Platform');
    const developer = await fixtures.addMember(alice, platform, 'developer', 'platform-dev');
    await as(alice)
      .post(`/v1/teams/${platform}/invitations`)
      .send({ email: 'pending@acme.test', role: 'billing' })
      .expect(201);
    const key = await as(alice)
      .post(`/v1/accounts/${platform}/keys`)
      .send({ name: 'ci', scope: 'API' })
      .expect(201);
    for (let i = 0; i < 3; i += 1) {
      const body: Partial<AuthzCheckRequest> = {
        authorization: `Key ${key.body.secret}`,
        action: 'models.call',
        record: true,
      };
      const reply = await stack.nc.request('tessera.authz.check', codec.encode(body), { timeout: 5000 });
      expect((codec.decode(reply.data) as AuthzCheckReply).allow).toBe(true);
    }

    const teams = await as(alice).get(`/v1/orgs/${acme}/teams`).expect(200);
    expect(teams.body).toContainEqual(
      expect.objectContaining({ id: platform, name: 'Platform', members: 2, pendingInvitations: 1 }),
    );
    const members = await as(alice).get(`/v1/orgs/${acme}/members`).expect(200);
    expect(members.body).toContainEqual(
      expect.objectContaining({
        teamId: platform,
        teamName: 'Platform',
        userId: developer.id,
        role: 'developer',
      }),
    );
    const invitations = await as(alice).get(`/v1/orgs/${acme}/invitations`).expect(200);
    expect(invitations.body).toContainEqual(
      expect.objectContaining({ teamId: platform, email: 'pending@acme.test', status: 'pending' }),
    );
    const keys = await as(alice).get(`/v1/orgs/${acme}/keys`).expect(200);
    const listed = keys.body.find((k: { id: string }) => k.id === key.body.key.id);
    expect(listed).toMatchObject({
      accountId: platform,
      teamName: 'Platform',
      name: 'ci',
      scope: 'API',
      createdBy: { userId: alice.id, email: alice.email, name: expect.any(String) },
    });
    expect(JSON.stringify(keys.body)).not.toContain(key.body.secret);
    await eventually(async () => {
      const usage = await as(alice).get(`/v1/orgs/${acme}/usage`).expect(200);
      const row = usage.body.teams.find((t: { teamId: string }) => t.teamId === platform);
      expect(row).toMatchObject({ requests: 3, byAction: [{ action: 'models.call', requests: 3 }] });
      expect(row).not.toHaveProperty('byPeriod');
      expect(usage.body.interval).toBeNull();
    });
    // Per hour or day, for a chart: each team's requests period by period, besides its totals by action.
    const hour = (at: string, action: string, requests: number) => ({
      accountId: platform,
      actorType: 'key' as const,
      actorId: key.body.key.id,
      action,
      hour: at,
      requests,
    });
    await stack.rpc.request('tessera.keys.usage.record', {
      batchId: randomUUID(),
      counts: [
        hour('2026-03-01T10:00:00.000Z', 'models.call', 4),
        hour('2026-03-01T10:00:00.000Z', 'apps.run', 1),
        hour('2026-03-01T12:00:00.000Z', 'apps.run', 6),
      ],
    });
    const hourly = await as(alice)
      .get(`/v1/orgs/${acme}/usage?from=2026-03-01&to=2026-03-02&interval=hour`)
      .expect(200);
    expect(hourly.body.interval).toBe('hour');
    expect(hourly.body.teams.find((t: { teamId: string }) => t.teamId === platform)).toEqual({
      teamId: platform,
      teamName: 'Platform',
      requests: 11,
      byAction: [
        { action: 'apps.run', requests: 7 },
        { action: 'models.call', requests: 4 },
      ],
      byPeriod: [
        { period: '2026-03-01T10:00:00.000Z', requests: 5 },
        { period: '2026-03-01T12:00:00.000Z', requests: 6 },
      ],
    });

    // A member of a child team is not an Org Admin: the organization does not exist for them.
    for (const path of [
      '',
      '/teams',
      '/members',
      '/invitations',
      '/keys',
      '/usage?interval=day',
      '/transfers',
    ])
      await as(developer).get(`/v1/orgs/${acme}${path}`).expect(404);
  });

  it('lets Org Admins make an Org Member an Org Admin, and take it back (never the last one)', async () => {
    const team = await createChildTeam(acme, alice, 'Admins Pool');
    const frank = await fixtures.addMember(alice, team, 'developer', 'frank');
    await as(frank).get(`/v1/orgs/${acme}`).expect(404);

    const added = await as(alice).post(`/v1/orgs/${acme}/admins`).send({ userId: frank.id }).expect(201);
    expect(added.body).toMatchObject({ userId: frank.id, role: 'admin' });
    await as(frank).get(`/v1/orgs/${acme}/teams`).expect(200);
    const admins = await as(frank).get(`/v1/orgs/${acme}/admins`).expect(200);
    expect(admins.body.map((a: { userId: string }) => a.userId).sort()).toEqual([alice.id, frank.id].sort());

    // Only people already in the organization's teams can become Org Admins.
    const stranger = await fixtures.user('not-in-acme');
    await as(alice).post(`/v1/orgs/${acme}/admins`).send({ userId: stranger.id }).expect(404);
    await as(alice).post(`/v1/orgs/${acme}/admins`).send({ userId: 'x' }).expect(400);

    await as(alice).delete(`/v1/orgs/${acme}/admins/${frank.id}`).expect(204);
    await as(frank).get(`/v1/orgs/${acme}/teams`).expect(404);
    const last = await as(alice).delete(`/v1/orgs/${acme}/admins/${alice.id}`).expect(409);
    expect(last.body.error.code).toBe('last_admin');
  });

  it('keeps organizations apart: an Org Admin of one reaches nothing of another', async () => {
    const erin = await fixtures.user('erin');
    const globex = await createOrganization(erin, 'Globex');
    const globexTeam = await createChildTeam(globex, erin, 'Globex Research');
    const acmeTeam = await createChildTeam(acme, alice, 'Acme Secret');

    for (const [who, org, foreignTeam] of [
      [erin, acme, acmeTeam],
      [alice, globex, globexTeam],
    ] as const) {
      for (const path of [
        '',
        '/permissions',
        '/teams',
        '/members',
        '/admins',
        '/invitations',
        '/keys',
        '/usage',
        '/transfers',
      ]) {
        const response = await as(who).get(`/v1/orgs/${org}${path}`).expect(404);
        expect(response.body.error.code).toBe('not_found');
      }
      await as(who).post(`/v1/orgs/${org}/teams`).send({ name: 'Intruder' }).expect(404);
      await as(who).get(`/v1/teams/${foreignTeam}/members`).expect(404);
      await as(who).get(`/v1/accounts/${foreignTeam}/keys`).expect(404);
      const accounts = await as(who).get('/v1/me/accounts').expect(200);
      expect(accounts.body.map((a: { id: string }) => a.id)).not.toContain(foreignTeam);
    }
    // Erin cannot pull Acme's team into Globex either.
    await as(erin).post(`/v1/orgs/${globex}/transfers`).send({ teamId: acmeTeam }).expect(404);
  });
});
