import { ROLE_MATRIX } from '@tessera/authz';
import { EVENTS_STREAM, ROLES, Role } from '@tessera/contracts';
import { GitHubStandIn, eventually } from '@tessera/testing';
import { NatsConnection } from 'nats';
import { request as httpRequest } from 'node:http';
import { GitHubPlatform } from './support/github-platform';
import { InProcessPlatform } from './support/in-process-platform';
import { browser, signInWithGitHub } from './support/sign-in';
import { TeamFixtures } from './support/teams';
import { TestUser, signUp } from './support/users';

describe('teams: workspaces, members, roles and invitations', () => {
  let stack: GitHubPlatform;
  let platform: InProcessPlatform;
  let github: GitHubStandIn;
  let nc: NatsConnection;
  let fixtures: TeamFixtures;

  beforeAll(async () => {
    stack = await GitHubPlatform.start();
    ({ github, platform, nc, fixtures } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const uniqueEmail = (name: string) => fixtures.uniqueEmail(name);
  const user = (name: string) => fixtures.user(name);
  const as = (who: TestUser) => fixtures.as(who);
  const createTeam = (admin: TestUser, name?: string) => fixtures.createTeam(admin, name);
  const addMember = (admin: TestUser, teamId: string, role: Role, name: string) =>
    fixtures.addMember(admin, teamId, role, name);
  const invitationToken = (invitationId: string) => fixtures.invitationToken(invitationId);
  let url: Promise<string> | undefined;
  /** The gateway on a loopback port, for tests that drive a raw HTTP request (bound once, on first use). */
  const listening = () => (url ??= platform.listen());

  /** Every event written so far has reached the stream (the relay publishes shortly after each commit). */
  async function settled(): Promise<void> {
    await eventually(async () =>
      expect(await platform.query('SELECT 1 FROM teams.outbox WHERE published_at IS NULL')).toHaveLength(0),
    );
  }

  async function invitedCount(): Promise<number> {
    await settled();
    const info = await (
      await nc.jetstreamManager()
    ).streams.info(EVENTS_STREAM, {
      subjects_filter: 'tessera.events.teams.invitation.created',
    });
    return info.state.subjects?.['tessera.events.teams.invitation.created'] ?? 0;
  }

  it('creates a team whose creator is its Admin, listed among the accounts to act as', async () => {
    const ada = await user('ada');
    const teamId = await createTeam(ada, 'Platform');
    const accounts = await as(ada).get('/v1/me/accounts').expect(200);
    expect(accounts.body.map((a: { kind: string }) => a.kind)).toEqual(['personal', 'team']);
    await as(ada).get('/v1/me').set('x-tessera-account', teamId).expect(200);
    expect((await as(ada).post('/v1/teams').send({ name: '' }).expect(400)).body.error.code).toBe(
      'validation_failed',
    );
    expect(
      (
        await as(ada)
          .post('/v1/teams')
          .send({ name: 'x'.repeat(65) })
          .expect(400)
      ).body.error.code,
    ).toBe('validation_failed');
  });

  describe('the role table, cell by cell, through HTTP', () => {
    let admin: TestUser;
    let teamId: string;
    const members = {} as Record<Role, TestUser>;

    beforeAll(async () => {
      admin = await user('matrix-admin');
      teamId = await createTeam(admin, 'Matrix');
      for (const role of ROLES) members[role] = await addMember(admin, teamId, role, `matrix-${role}`);
    });

    /** One request per action that has a route today; the expected status when allowed. */
    const probes: Partial<
      Record<(typeof ROLE_MATRIX)[number]['action'], (who: TestUser) => Promise<number>>
    > = {
      'members.read': async (who) => (await as(who).get(`/v1/teams/${teamId}/members`)).status,
      'team.manage': async (who) =>
        (await as(who).patch(`/v1/teams/${teamId}`).send({ name: 'Matrix' })).status,
      'invitations.manage': async (who) =>
        (
          await as(who)
            .post(`/v1/teams/${teamId}/invitations`)
            .send({ email: uniqueEmail('probe'), role: 'developer' })
        ).status,
      'members.manage': async (who) =>
        (
          await as(who)
            .patch(`/v1/teams/${teamId}/members/${members.developer.id}`)
            .send({ role: 'developer' })
        ).status,
      'secrets.manage': async (who) => (await as(who).get(`/v1/accounts/${teamId}/secrets`)).status,
    };

    it.each(ROLES)('GET /permissions tells a %s exactly their row of the table', async (role) => {
      const response = await as(members[role]).get(`/v1/teams/${teamId}/permissions`).expect(200);
      expect(response.body).toEqual({
        role,
        actions: Object.fromEntries(ROLE_MATRIX.map((row) => [row.action, row.roles.includes(role)])),
      });
    });

    for (const row of ROLE_MATRIX.filter((r) => probes[r.action])) {
      for (const role of ROLES) {
        const allowed = row.roles.includes(role);
        it(`${row.action} by ${role}: ${allowed ? 'allowed' : '403 forbidden'}`, async () => {
          const status = await probes[row.action]!(members[role]);
          if (allowed) expect(status).toBeLessThan(300);
          else expect(status).toBe(403);
        });
      }
    }

    it('a Developer cannot promote themself; a Billing member cannot invite', async () => {
      const promote = await as(members.developer)
        .patch(`/v1/teams/${teamId}/members/${members.developer.id}`)
        .send({ role: 'admin' })
        .expect(403);
      expect(promote.body.error.code).toBe('forbidden');
      await as(members.billing)
        .post(`/v1/teams/${teamId}/invitations`)
        .send({ email: uniqueEmail('nope'), role: 'admin' })
        .expect(403);
    });
  });

  it('answers 404 for every team route to a member of another team (no existence leak)', async () => {
    const owner = await user('iso-owner');
    const outsider = await user('iso-outsider');
    const teamId = await createTeam(owner, 'Private');
    await createTeam(outsider, 'Elsewhere');
    const invitation = await as(owner)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email: uniqueEmail('iso'), role: 'developer' })
      .expect(201);
    const routes: [keyof ReturnType<typeof as>, string, object?][] = [
      ['get', `/v1/teams/${teamId}`],
      ['patch', `/v1/teams/${teamId}`, { name: 'Mine now' }],
      ['post', `/v1/teams/${teamId}/archive`],
      ['get', `/v1/teams/${teamId}/members`],
      ['get', `/v1/teams/${teamId}/permissions`],
      ['patch', `/v1/teams/${teamId}/members/${owner.id}`, { role: 'billing' }],
      ['delete', `/v1/teams/${teamId}/members/${owner.id}`],
      ['delete', `/v1/teams/${teamId}/members/me`],
      ['get', `/v1/teams/${teamId}/invitations`],
      ['post', `/v1/teams/${teamId}/invitations`, { email: uniqueEmail('x'), role: 'admin' }],
      ['post', `/v1/teams/${teamId}/invitations/bulk?dryRun=true`],
      ['delete', `/v1/teams/${teamId}/invitations/${invitation.body.id}`],
      ['post', `/v1/teams/${teamId}/invitations/${invitation.body.id}/resend`],
    ];
    const missing = '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90';
    for (const [method, path, body] of routes) {
      const response = await as(outsider)
        [method](path)
        .send(body ?? {});
      expect({ path, status: response.status, code: response.body.error?.code }).toEqual({
        path,
        status: 404,
        code: 'not_found',
      });
      // Exactly the answer for a team that does not exist.
      const ghost = await as(outsider)
        [method](path.replace(teamId, missing))
        .send(body ?? {});
      expect(ghost.body.error?.message).toBe(response.body.error.message);
    }
    expect((await as(owner).get(`/v1/teams/${teamId}`).expect(200)).body.name).toBe('Private');
  });

  it('refuses a malformed id, body or query by field, an unknown field by name, and reads the old `dry_run`', async () => {
    const admin = await user('strict');
    const teamId = await createTeam(admin, 'Strict');
    const malformed = await as(admin).patch(`/v1/teams/${teamId}/members/not-a-uuid`).send({ role: 'admin' });
    expect({ status: malformed.status, details: malformed.body.error.details }).toEqual({
      status: 400,
      details: [{ path: 'userId', message: 'Must be a UUID.' }],
    });
    expect((await as(admin).get('/v1/teams/not-a-uuid').expect(400)).body.error.code).toBe(
      'validation_failed',
    );
    const invite = await as(admin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email: '=1+1@x.co', role: 'owner' })
      .expect(400);
    expect(invite.body.error.details).toEqual([
      { path: 'email', message: 'That is not a valid e-mail address.' },
      { path: 'role', message: 'The role must be admin, developer or billing.' },
    ]);
    const unknown = await as(admin)
      .patch(`/v1/teams/${teamId}`)
      .send({ name: 'Strict', title: 'x' })
      .expect(400);
    expect(unknown.body.error.details).toEqual([{ path: '', message: 'Unrecognized key: "title"' }]);
    const query = await as(admin)
      .post(`/v1/teams/${teamId}/invitations/bulk?dryRun=maybe`)
      .set('content-type', 'text/csv')
      .send('email,role\n')
      .expect(400);
    expect(query.body.error.details[0].path).toBe('dryRun');
    const old = await as(admin)
      .post(`/v1/teams/${teamId}/invitations/bulk?dry_run=true`)
      .set('content-type', 'text/csv')
      .send('email,role\nold-name@example.com,developer')
      .expect(200);
    expect(old.body.dryRun).toBe(true);
    expect(old.headers.deprecation).toMatch(/^@\d+$/);
    expect((await as(admin).get(`/v1/teams/${teamId}/invitations`)).body).toEqual([]);
    expect(
      (await as(admin).post('/v1/invitations/accept').send({}).expect(400)).body.error.details[0].path,
    ).toBe('token');
  });

  describe('members', () => {
    it('keeps at least one Admin, even when two Admins demote each other at once', async () => {
      const first = await user('admin-one');
      const teamId = await createTeam(first, 'Admins');
      const demoteSelf = await as(first)
        .patch(`/v1/teams/${teamId}/members/${first.id}`)
        .send({ role: 'developer' });
      expect(demoteSelf.status).toBe(409);
      expect(demoteSelf.body.error.code).toBe('last_admin');
      expect((await as(first).delete(`/v1/teams/${teamId}/members/me`)).body.error.code).toBe('last_admin');

      const second = await addMember(first, teamId, 'admin', 'admin-two');
      const results = await Promise.all([
        as(first).patch(`/v1/teams/${teamId}/members/${second.id}`).send({ role: 'developer' }),
        as(second).patch(`/v1/teams/${teamId}/members/${first.id}`).send({ role: 'developer' }),
      ]);
      // The loser is refused either as the last Admin (409), or, if the winner's change reached the gateway's
      // membership cache first, as no longer an Admin (403). Never both demoted.
      const [won, lost] = [...results].sort((a, b) => a.status - b.status);
      expect(won.status).toBe(200);
      expect([
        { status: 403, code: 'forbidden' },
        { status: 409, code: 'last_admin' },
      ]).toContainEqual({ status: lost.status, code: lost.body.error.code });
      const members = await as(first).get(`/v1/teams/${teamId}/members`);
      const list = members.status === 200 ? members : await as(second).get(`/v1/teams/${teamId}/members`);
      expect(list.body.filter((m: { role: string }) => m.role === 'admin')).toHaveLength(1);
    });

    it('removing a member ends their access to the team at once; a member may leave', async () => {
      const admin = await user('remover');
      const teamId = await createTeam(admin, 'Removals');
      const dev = await addMember(admin, teamId, 'developer', 'removed-dev');
      const billing = await addMember(admin, teamId, 'billing', 'leaving-billing');
      await as(dev).get(`/v1/teams/${teamId}/members`).expect(200);
      await as(dev).get('/v1/me').set('x-tessera-account', teamId).expect(200);

      await as(admin).delete(`/v1/teams/${teamId}/members/${dev.id}`).expect(204);
      await as(dev).get(`/v1/teams/${teamId}/members`).expect(404);
      expect((await as(dev).get('/v1/me').set('x-tessera-account', teamId).expect(403)).body.error.code).toBe(
        'not_a_member',
      );

      await as(billing).delete(`/v1/teams/${teamId}/members/me`).expect(204);
      const left = await as(admin).get(`/v1/teams/${teamId}/members`).expect(200);
      expect(left.body.map((m: { email: string }) => m.email)).toEqual([admin.email]);
    });

    it('archives a team for good: gone from lists, members can no longer act for it', async () => {
      const admin = await user('archiver');
      const teamId = await createTeam(admin, 'Old');
      await as(admin).post(`/v1/teams/${teamId}/archive`).expect(200);
      expect((await as(admin).get('/v1/me/accounts')).body.map((a: { id: string }) => a.id)).not.toContain(
        teamId,
      );
      await as(admin).get(`/v1/teams/${teamId}`).expect(404);
      await as(admin).get('/v1/me').set('x-tessera-account', teamId).expect(403);
    });
  });

  describe('invitations', () => {
    let admin: TestUser;
    let teamId: string;

    beforeAll(async () => {
      admin = await user('inviter');
      teamId = await createTeam(admin, 'Invites');
    });

    const invite = (email: string, role: Role = 'developer') =>
      as(admin).post(`/v1/teams/${teamId}/invitations`).send({ email, role });

    it('invites once per address, accepts as the invited address only, and lists the team afterwards', async () => {
      const email = uniqueEmail('guest');
      const first = await invite(email).expect(201);
      expect(first.body.result).toBe('invited');
      const again = await invite(email.toUpperCase()).expect(200);
      expect(again.body).toMatchObject({ id: first.body.id, result: 'already_invited' });
      expect(
        (await as(admin).get(`/v1/teams/${teamId}/invitations`)).body.map((i: { id: string }) => i.id),
      ).toContain(first.body.id);
      const token = await invitationToken(first.body.id);
      expect(token).toMatch(/^tsi_[A-Za-z0-9_-]{43}$/);

      const stranger = await user('stranger');
      const mismatch = await as(stranger).post('/v1/invitations/accept').send({ token }).expect(403);
      expect(mismatch.body.error.code).toBe('invitation_email_mismatch');

      const guest = await signUp(platform.http, github, email);
      const accepted = await as(guest).post('/v1/invitations/accept').send({ token }).expect(200);
      expect(accepted.body).toMatchObject({ id: teamId, kind: 'team', role: 'developer' });
      expect((await as(guest).get('/v1/me/accounts')).body.map((a: { id: string }) => a.id)).toContain(
        teamId,
      );
      expect(
        (await as(guest).post('/v1/invitations/accept').send({ token }).expect(410)).body.error.code,
      ).toBe('invitation_used');
      expect((await invite(email).expect(409)).body.error.code).toBe('already_member');
    });

    it('says which: expired, cancelled (revoked), replaced by a resend; unknown tokens are invalid', async () => {
      const expiredEmail = uniqueEmail('late');
      const expired = await invite(expiredEmail).expect(201);
      const expiredToken = await invitationToken(expired.body.id);
      await platform.query(
        `UPDATE teams.invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`,
        [expired.body.id],
      );
      const late = await signUp(platform.http, github, expiredEmail);
      expect(
        (await as(late).post('/v1/invitations/accept').send({ token: expiredToken }).expect(410)).body.error
          .code,
      ).toBe('invitation_expired');

      const cancelledEmail = uniqueEmail('cancelled');
      const cancelled = await invite(cancelledEmail).expect(201);
      const cancelledToken = await invitationToken(cancelled.body.id);
      await as(admin).delete(`/v1/teams/${teamId}/invitations/${cancelled.body.id}`).expect(200);
      const cancelledUser = await signUp(platform.http, github, cancelledEmail);
      const revoked = await as(cancelledUser)
        .post('/v1/invitations/accept')
        .send({ token: cancelledToken })
        .expect(410);
      expect(revoked.body.error.code).toBe('invitation_revoked');

      const resentEmail = uniqueEmail('resent');
      const original = await invite(resentEmail).expect(201);
      const oldToken = await invitationToken(original.body.id);
      const resent = await as(admin)
        .post(`/v1/teams/${teamId}/invitations/${original.body.id}/resend`)
        .expect(200);
      const newToken = await invitationToken(resent.body.id);
      const resentUser = await signUp(platform.http, github, resentEmail);
      await as(resentUser).post('/v1/invitations/accept').send({ token: oldToken }).expect(410);
      await as(resentUser).post('/v1/invitations/accept').send({ token: newToken }).expect(200);

      expect(
        (await as(admin).post('/v1/invitations/accept').send({ token: 'tsi_nope' }).expect(404)).body.error
          .code,
      ).toBe('invalid_invitation');
    });

    it("accepts from the e-mail's link in the browser: sign in first, then one click", async () => {
      const email = uniqueEmail('clicker');
      const invitation = await invite(email, 'billing').expect(201);
      const token = await invitationToken(invitation.body.id);
      const link = `/invite/accept?${new URLSearchParams({ token })}`;
      const person = browser(platform.http);
      const first = await person.get(link).expect(302);
      expect(first.headers.location).toBe(`/signin?${new URLSearchParams({ return_to: link })}`);
      github.setUser({
        id: 77_001,
        login: 'clicker',
        emails: [{ email, primary: true, verified: true }],
      });
      expect(await signInWithGitHub(person, github, link)).toBe(link);
      const page = await person.get(link).expect(200);
      expect(page.text).toContain('Accept the invitation');
      const joined = await person.post('/invite/accept').type('form').send({ token }).expect(200);
      expect(joined.text).toContain('You joined <strong>Invites</strong>');
      const again = await person.post('/invite/accept').type('form').send({ token }).expect(410);
      expect(again.text).toContain('already accepted');
    });

    it('lets exactly one of two concurrent accepts win', async () => {
      const email = uniqueEmail('race');
      const invitation = await invite(email).expect(201);
      const token = await invitationToken(invitation.body.id);
      const racer = await signUp(platform.http, github, email);
      const results = await Promise.all([
        as(racer).post('/v1/invitations/accept').send({ token }),
        as(racer).post('/v1/invitations/accept').send({ token }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    });
  });

  describe('bulk invitations from CSV', () => {
    let admin: TestUser;
    let teamId: string;

    beforeAll(async () => {
      admin = await user('bulk-admin');
      teamId = await createTeam(admin, 'Bulk');
    });

    const bulk = (csv: string, query = '') =>
      as(admin)
        .post(`/v1/teams/${teamId}/invitations/bulk${query}`)
        .set('content-type', 'text/csv')
        .send(csv);
    const rows = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com,${ROLES[i % 3]}`).join('\n');

    it('invites 50 rows; refuses 51 whole, sending nothing; a re-run invites nobody twice', async () => {
      const before = await invitedCount();
      const tooMany = await bulk(`email,role\n${rows(51, 'over')}`).expect(413);
      expect(tooMany.body.error.code).toBe('batch_too_large');
      expect(await invitedCount()).toBe(before);

      const fifty = `email,role\n${rows(50, 'fifty')}`;
      const first = await bulk(fifty).expect(200);
      expect(first.body.summary.invited).toBe(50);
      expect(first.body.results[0]).toMatchObject({
        line: 2,
        email: 'fifty0@example.com',
        result: 'invited',
      });
      await eventually(async () => expect(await invitedCount()).toBe(before + 50));

      const rerun = await bulk(fifty).expect(200);
      expect(rerun.body.summary).toMatchObject({ invited: 0, already_invited: 50 });
    });

    it('reports each row: invalid e-mail or role, duplicates, members, pending; dry run writes nothing', async () => {
      const member = await addMember(admin, teamId, 'billing', 'bulk-member');
      await as(admin)
        .post(`/v1/teams/${teamId}/invitations`)
        .send({ email: 'pending@example.com', role: 'admin' });
      const csv = [
        '\uFEFFEmail,Role',
        'new@example.com,ADMIN',
        '',
        'not-an-email,developer',
        'other@example.com,owner',
        'new@example.com,billing',
        `${member.email},developer`,
        'pending@example.com,admin',
        '"quoted@example.com","Developer"',
        "=cmd|' /C calc'!A0,admin",
        '=1+1@x.co,developer',
        '-2+3@x.co,developer',
        '+sum@x.co,developer',
      ].join('\r\n');
      const before = await invitedCount();
      const dry = await bulk(csv, '?dryRun=true').expect(200);
      expect(dry.body.dryRun).toBe(true);
      expect(dry.body.results.map((r: { line: number; result: string }) => [r.line, r.result])).toEqual([
        [2, 'invited'],
        [4, 'invalid_email'],
        [5, 'invalid_role'],
        [6, 'duplicate_in_batch'],
        [7, 'already_member'],
        [8, 'already_invited'],
        [9, 'invited'],
        [10, 'invalid_email'],
        [11, 'invalid_email'],
        [12, 'invalid_email'],
        [13, 'invalid_email'],
      ]);
      expect(dry.body.results[7].email).toBe("=cmd|' /C calc'!A0"); // reported as plain text, never evaluated
      expect(await invitedCount()).toBe(before);

      const real = await bulk(csv).expect(200);
      expect(real.body.summary.invited).toBe(2);
      await eventually(async () => expect(await invitedCount()).toBe(before + 2));
    });

    /**
     * Posts a multipart body to the bulk route part by part, each once the previous one is flushed, until the answer
     * comes or the parts run out; answers the response and how many parts were sent.
     */
    async function streamForm(
      parts: (i: number) => string,
      count: number,
      length?: number,
    ): Promise<{ status: number; body: { error: { code: string; message: string } }; sent: number }> {
      const url = new URL(`/v1/teams/${teamId}/invitations/bulk`, await listening());
      let sent = 0;
      return new Promise((resolve) => {
        const outgoing = httpRequest(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${admin.token}`,
            'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
            ...(length === undefined ? {} : { 'content-length': String(length) }),
          },
        });
        outgoing.on('response', (incoming) => {
          let body = '';
          incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(body), sent }),
          );
        });
        outgoing.on('error', () => undefined); // the server hangs up on the rest of the body, as it should
        const next = (): void => {
          if (outgoing.destroyed || outgoing.writableEnded) return;
          if (sent === count) return void outgoing.end(`--${BOUNDARY}--\r\n`);
          sent += 1;
          outgoing.write(parts(sent), () => setTimeout(next, 2));
        };
        // Headers first, and a moment for the server to answer on them alone: once it hangs up, a client busy
        // writing may lose the answer to its own write error.
        outgoing.flushHeaders();
        setTimeout(next, 300);
      });
    }
    const BOUNDARY = 'tessera-boundary';
    const field = (i: number) =>
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="f${i}"\r\n\r\n${'x'.repeat(1_000_000 - 70)}\r\n`;

    it('refuses a form of thousands of 1 MB fields by its size, before the rest is sent', async () => {
      const fields = 2000;
      const length = field(1).length * fields + `--${BOUNDARY}--\r\n`.length;
      const answer = await streamForm(field, fields, length);
      expect(answer.status).toBe(413);
      expect(answer.body.error.code).toBe('payload_too_large');
      expect(answer.sent).toBeLessThan(100);
      const chunked = await streamForm(field, fields);
      expect(chunked.status).toBe(400);
      expect(chunked.body.error.message).toContain('Content-Length');
      expect(chunked.sent).toBeLessThan(100);
    });

    it('refuses a multipart form with any field besides its file', async () => {
      const withField = await as(admin)
        .post(`/v1/teams/${teamId}/invitations/bulk?dryRun=true`)
        .field('note', 'x'.repeat(1000))
        .attach('file', Buffer.from('email,role\nfield@example.com,developer\n'), 'team.csv')
        .expect(400);
      expect(withField.body.error.code).toBe('bad_request');
    });

    it('accepts a multipart file and refuses a wrong header or a bad body', async () => {
      const upload = await as(admin)
        .post(`/v1/teams/${teamId}/invitations/bulk?dryRun=true`)
        .attach('file', Buffer.from('email,role\nfile@example.com,developer\n'), 'team.csv')
        .expect(200);
      expect(upload.body.results).toEqual([
        { line: 2, email: 'file@example.com', role: 'developer', result: 'invited' },
      ]);
      expect((await bulk('email,role,team\na@example.com,admin,x').expect(400)).body.error.code).toBe(
        'validation_failed',
      );
      expect((await bulk('mail,role\na@example.com,admin').expect(400)).body.error.code).toBe(
        'validation_failed',
      );
      await as(admin).post(`/v1/teams/${teamId}/invitations/bulk`).send({ csv: 'x' }).expect(415);
    });
  });
});
