import { GitHubStandIn } from '@tessera/testing';
import request, { Response } from 'supertest';
import { GitHubPlatform } from './support/github-platform';
import { accessToken, browser, signInWithGitHub } from './support/sign-in';
import { TeamFixtures } from './support/teams';
import { TestUser } from './support/users';

/**
 * Limits on what can be abused in bulk by a signed-in person: invitation e-mails (per inviter, per team, per
 * recipient) and attempts at device codes and invitation links (per person). Each is driven past its limit.
 */
describe('rate limits on invitations, device codes and invitation accepts', () => {
  let stack: GitHubPlatform;
  let github: GitHubStandIn;
  let fixtures: TeamFixtures;

  beforeAll(async () => {
    stack = await GitHubPlatform.start({
      TESSERA_INVITATIONS_PER_USER_HOUR: '6',
      TESSERA_INVITATIONS_PER_TEAM_HOUR: '9',
      TESSERA_INVITATIONS_PER_RECIPIENT_DAY: '2',
      TESSERA_CODE_ATTEMPTS_PER_USER_HOUR: '4',
    });
    ({ github, fixtures } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const as = (who: TestUser) => fixtures.as(who);
  const invite = (who: TestUser, teamId: string, email: string) =>
    as(who).post(`/v1/teams/${teamId}/invitations`).send({ email, role: 'developer' });
  const pending = async (who: TestUser, teamId: string) =>
    (await as(who).get(`/v1/teams/${teamId}/invitations`).expect(200)).body as {
      id: string;
      email: string;
      role: string;
    }[];

  function expectLimited(response: Response, why: RegExp): void {
    expect(response.status).toBe(429);
    expect(response.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(why) });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  }

  it('limits the invitation e-mails one address receives a day, from every team, resends included', async () => {
    const [first, second] = [await fixtures.user('recipient-a'), await fixtures.user('recipient-b')];
    const [teamA, teamB] = [await fixtures.createTeam(first, 'A'), await fixtures.createTeam(second, 'B')];
    const target = fixtures.uniqueEmail('target');
    const created = await invite(first, teamA, target).expect(201);
    await as(first).post(`/v1/teams/${teamA}/invitations/${created.body.id}/resend`).expect(200);
    const [current] = await pending(first, teamA);
    expectLimited(
      await as(first).post(`/v1/teams/${teamA}/invitations/${current.id}/resend`),
      /address received too many/,
    );
    expect((await pending(first, teamA)).map(({ id }) => id)).toEqual([current.id]); // nothing sent
    expectLimited(await invite(second, teamB, target.toUpperCase()), /address received too many/);
    expect(await pending(second, teamB)).toEqual([]);
  });

  it('counts a role change as an e-mail: flipping the role of a pending invitation stops at the daily limit', async () => {
    const admin = await fixtures.user('role-flipper');
    const teamId = await fixtures.createTeam(admin, 'Flips');
    const reinvite = (email: string, role: string) =>
      as(admin).post(`/v1/teams/${teamId}/invitations`).send({ email, role });
    const bulk = (email: string, role: string) =>
      as(admin)
        .post(`/v1/teams/${teamId}/invitations/bulk`)
        .set('content-type', 'text/csv')
        .send(`email,role\n${email},${role}\n`);

    const one = fixtures.uniqueEmail('flipped-one');
    await invite(admin, teamId, one).expect(201);
    expect((await reinvite(one, 'admin').expect(200)).body.result).toBe('role_updated');
    expectLimited(await reinvite(one, 'billing'), /address received too many/);

    const row = fixtures.uniqueEmail('flipped-row');
    await invite(admin, teamId, row).expect(201);
    expect((await bulk(row, 'admin').expect(200)).body.results[0].result).toBe('role_updated');
    expectLimited(await bulk(row, 'billing'), /address received too many/);
    const roles = await pending(admin, teamId);
    expect(roles.map(({ email, role }) => [email, role]).sort()).toEqual(
      [
        [one, 'admin'],
        [row, 'admin'],
      ].sort(),
    );
  });

  it('limits the invitations one person sends an hour, across their teams', async () => {
    const admin = await fixtures.user('busy-inviter');
    const [teamA, teamB] = [await fixtures.createTeam(admin, 'A'), await fixtures.createTeam(admin, 'B')];
    for (let i = 0; i < 3; i++) await invite(admin, teamA, fixtures.uniqueEmail(`a${i}`)).expect(201);
    for (let i = 0; i < 3; i++) await invite(admin, teamB, fixtures.uniqueEmail(`b${i}`)).expect(201);
    expectLimited(await invite(admin, teamB, fixtures.uniqueEmail('b3')), /You sent too many/);
    expect(await pending(admin, teamB)).toHaveLength(3);
  });

  it('limits the invitations one team sends an hour, all its Admins together', async () => {
    const admin = await fixtures.user('team-inviter');
    const teamId = await fixtures.createTeam(admin, 'Shared');
    const other = await fixtures.addMember(admin, teamId, 'admin', 'other-admin'); // the team's 1st e-mail
    for (let i = 0; i < 5; i++) await invite(admin, teamId, fixtures.uniqueEmail(`t${i}`)).expect(201);
    for (let i = 0; i < 3; i++) await invite(other, teamId, fixtures.uniqueEmail(`o${i}`)).expect(201);
    expectLimited(await invite(other, teamId, fixtures.uniqueEmail('o3')), /team sent too many/);
  });

  it('counts every e-mailed CSV row, refuses a batch over the limit whole, and not a dry run', async () => {
    const admin = await fixtures.user('bulk-inviter');
    const teamId = await fixtures.createTeam(admin, 'Bulk');
    const csv = (n: number, prefix: string) =>
      [
        'email,role',
        ...Array.from({ length: n }, (_, i) => `${fixtures.uniqueEmail(`${prefix}${i}`)},admin`),
      ].join('\n');
    const bulk = (body: string, query = '') =>
      as(admin)
        .post(`/v1/teams/${teamId}/invitations/bulk${query}`)
        .set('content-type', 'text/csv')
        .send(body);
    expectLimited(await bulk(csv(7, 'over')), /You sent too many/);
    expect(await pending(admin, teamId)).toEqual([]);
    expect((await bulk(csv(7, 'dry'), '?dry_run=true').expect(200)).body.summary.invited).toBe(7);
    const five = csv(5, 'five');
    expect((await bulk(five).expect(200)).body.summary.invited).toBe(5);
    expect((await bulk(five).expect(200)).body.summary.already_invited).toBe(5); // nothing e-mailed, nothing counted
    await invite(admin, teamId, fixtures.uniqueEmail('sixth')).expect(201);
    expectLimited(await bulk(csv(1, 'seventh')), /You sent too many/);
  });

  it('limits the device codes and invitation links one person tries an hour, whatever their address', async () => {
    github.setUser({
      id: 990_001,
      login: 'guesser',
      name: 'Guesser',
      emails: [{ email: fixtures.uniqueEmail('guesser'), primary: true, verified: true }],
    });
    const person = browser(stack.platform.http);
    await signInWithGitHub(person, github);
    const token = await accessToken(person);
    await person.get('/device?user_code=BCDF-GHJK').expect(404);
    await person.post('/auth/device/approve').send({ user_code: 'BCDF-GHJL' }).expect(404);
    await person.post('/auth/device/deny').send({ user_code: 'BCDF-GHJM' }).expect(404);
    await person.post('/invite/accept').type('form').send({ token: 'tsi_nope' }).expect(404);
    for (const attempt of [
      person.get('/device?user_code=BCDF-GHJN').set('x-forwarded-for', '203.0.113.70'),
      person.post('/auth/device/approve').send({ user_code: 'BCDF-GHJP' }),
      person.post('/auth/device/deny').send({ user_code: 'BCDF-GHJQ' }),
      person.post('/invite/accept').type('form').send({ token: 'tsi_nope' }),
      request(stack.platform.http)
        .post('/v1/invitations/accept')
        .set('authorization', `Bearer ${token}`)
        .set('x-forwarded-for', '203.0.113.71')
        .send({ token: 'tsi_nope' }),
    ])
      expectLimited(await attempt, /Too many codes or invitations/);
  });
});
