import { GitHubStandIn, ReceivedMail, SmtpSink, TestEnvironment, eventually } from '@tessera/testing';
import request from 'supertest';
import { InProcessPlatform } from './support/in-process-platform';
import { browser, signInWithGitHub } from './support/sign-in';
import { TestUser, signUp } from './support/users';

/** Teams, notifications and a real SMTP sink together: the invitation e-mail as the invited person gets it. */
describe('invitation e-mails, end to end', () => {
  let environment: TestEnvironment;
  let platform: InProcessPlatform;
  let github: GitHubStandIn;
  let sink: SmtpSink;
  let admin: TestUser;
  let teamId: string;

  beforeAll(async () => {
    [environment, github, sink] = await Promise.all([
      TestEnvironment.start(),
      GitHubStandIn.start({ clientId: 'gh-client', clientSecret: 'gh-secret' }),
      SmtpSink.start(),
    ]);
    platform = await InProcessPlatform.start(environment, {
      TESSERA_PUBLIC_URL: 'http://localhost:3000',
      TESSERA_GITHUB_URL: github.url,
      TESSERA_GITHUB_API_URL: github.apiUrl,
      TESSERA_GITHUB_CLIENT_ID: 'gh-client',
      TESSERA_GITHUB_CLIENT_SECRET: 'gh-secret',
      TESSERA_AUTH_RATE_LIMIT: '1000',
      TESSERA_SMTP_URL: sink.url,
      TESSERA_MAIL_BACKOFF_MS: '200',
    });
    admin = await signUp(platform.http, github, 'owner@company.test');
    const team = await request(platform.http)
      .post('/v1/teams')
      .set('authorization', `Bearer ${admin.token}`)
      .send({ name: 'Research' })
      .expect(201);
    teamId = team.body.id;
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([github?.stop(), sink?.stop(), environment?.stop()]);
  });

  const post = (email: string, role: string) =>
    request(platform.http)
      .post(`/v1/teams/${teamId}/invitations`)
      .set('authorization', `Bearer ${admin.token}`)
      .send({ email, role });
  const invite = (email: string) => post(email, 'developer').expect(201);
  const bulk = (csv: string) =>
    request(platform.http)
      .post(`/v1/teams/${teamId}/invitations/bulk`)
      .set('authorization', `Bearer ${admin.token}`)
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(200);
  const tokenIn = (mail: ReceivedMail) => /\/invite\/accept\?token=([A-Za-z0-9_%-]+)/.exec(mail.text)?.[1];

  it('e-mails the invited address a link that lets them join', async () => {
    await invite('newcomer@company.test');
    const [mail] = await sink.waitFor(1);
    expect(mail.to).toEqual(['newcomer@company.test']);
    expect(mail.subject).toContain('Research');
    const link = /http:\/\/localhost:3000(\/invite\/accept\?token=[A-Za-z0-9_%-]+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    expect(mail.html).toContain('/invite/accept?token=');

    const person = browser(platform.http);
    github.setUser({
      id: 4242,
      login: 'newcomer',
      emails: [{ email: 'newcomer@company.test', primary: true, verified: true }],
    });
    await signInWithGitHub(person, github, link!);
    const token = new URL(link!, 'http://localhost').searchParams.get('token')!;
    const joined = await person.post('/invite/accept').type('form').send({ token }).expect(200);
    expect(joined.text).toContain('You joined <strong>Research</strong>');
  });

  /** E-mails received so far whose recipient matches (other e-mails, e.g. "X joined", may arrive meanwhile). */
  const received = (pattern: RegExp) => sink.messages.filter((m) => m.to.some((to) => pattern.test(to)));

  it('re-invited with another role: e-mails a fresh link; the old link is refused, the new one joins with the new role', async () => {
    const email = 'switcher@company.test';
    const first = await post(email, 'developer').expect(201);
    expect(first.body).toMatchObject({ email, role: 'developer', result: 'invited' });
    const [invited] = await eventually(() => {
      const mails = received(/^switcher@/);
      expect(mails).toHaveLength(1);
      return mails;
    });
    const oldToken = tokenIn(invited);

    const same = await post(email, 'developer').expect(200);
    expect(same.body).toMatchObject({ id: first.body.id, role: 'developer', result: 'already_invited' });
    const updated = await post(email, 'admin').expect(200);
    expect(updated.body).toMatchObject({ email, role: 'admin', status: 'pending', result: 'role_updated' });
    expect(updated.body.id).not.toBe(first.body.id);

    await eventually(() => expect(received(/^switcher@/)).toHaveLength(2), 10_000);
    await new Promise((done) => setTimeout(done, 500)); // a mail for the already_invited answer would show up by now
    const mails = received(/^switcher@/);
    expect(mails).toHaveLength(2);
    const fresh = mails[1];
    expect(fresh.subject).toContain('invited you to join Research as Admin');
    expect(fresh.text).toContain(
      'This replaces your earlier invitation as Developer: its link no longer works.',
    );
    const newToken = tokenIn(fresh);
    expect(newToken).toBeDefined();
    expect(newToken).not.toBe(oldToken);

    const person = await signUp(platform.http, github, email);
    const accept = (token: string) =>
      request(platform.http)
        .post('/v1/invitations/accept')
        .set('authorization', `Bearer ${person.token}`)
        .send({ token: decodeURIComponent(token) });
    expect((await accept(oldToken!).expect(410)).body.error.code).toBe('invitation_revoked');
    expect((await accept(newToken!).expect(200)).body).toMatchObject({ id: teamId, role: 'admin' });
  });

  it('bulk rows: another role is role_updated with a fresh e-mail, the same role already_invited with none', async () => {
    await invite('row-same@company.test');
    await invite('row-changed@company.test');
    await eventually(() => expect(received(/^row-/)).toHaveLength(2), 10_000);
    const reply = await bulk(
      'email,role\nrow-same@company.test,developer\nrow-changed@company.test,billing\n',
    );
    expect(reply.body.results.map((row: { result: string }) => row.result)).toEqual([
      'already_invited',
      'role_updated',
    ]);
    expect(reply.body.summary).toMatchObject({ invited: 0, already_invited: 1, role_updated: 1 });
    await eventually(() => expect(received(/^row-changed@/)).toHaveLength(2), 10_000);
    await new Promise((done) => setTimeout(done, 500));
    expect(received(/^row-same@/)).toHaveLength(1);
    const [, fresh] = received(/^row-changed@/);
    expect(fresh.subject).toContain('as Billing');
    expect(tokenIn(fresh)).not.toBe(tokenIn(received(/^row-changed@/)[0]));
  });

  it('sends one e-mail per row of a 50-row bulk invitation', async () => {
    const csv = ['email,role', ...Array.from({ length: 50 }, (_, i) => `bulk${i}@company.test,billing`)].join(
      '\n',
    );
    await request(platform.http)
      .post(`/v1/teams/${teamId}/invitations/bulk`)
      .set('authorization', `Bearer ${admin.token}`)
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(200);
    await eventually(() => expect(received(/^bulk\d+@/)).toHaveLength(50), 30_000);
    expect(new Set(received(/^bulk\d+@/).flatMap((m) => m.to)).size).toBe(50);
  });

  it('sends every e-mail of invitations made while notifications was down, each exactly once', async () => {
    await platform.stopService('notifications');
    try {
      for (let i = 0; i < 10; i += 1) await invite(`offline${i}@company.test`);
    } finally {
      await platform.startService('notifications');
    }
    await eventually(() => expect(received(/^offline\d@/)).toHaveLength(10), 20_000);
    await new Promise((done) => setTimeout(done, 1000)); // a duplicate would show up by now
    const offline = received(/^offline\d@/);
    expect(offline).toHaveLength(10);
    expect(new Set(offline.flatMap((m) => m.to))).toEqual(
      new Set(Array.from({ length: 10 }, (_, i) => `offline${i}@company.test`)),
    );
  });
});
