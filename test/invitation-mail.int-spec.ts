import { GitHubStandIn, SmtpSink, TestEnvironment, eventually } from '@tessera/testing';
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

  const invite = (email: string) =>
    request(platform.http)
      .post(`/v1/teams/${teamId}/invitations`)
      .set('authorization', `Bearer ${admin.token}`)
      .send({ email, role: 'developer' })
      .expect(201);

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
