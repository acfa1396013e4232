import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { INestMicroservice } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import {
  EventEnvelope,
  EventPayload,
  INVITATION_TOKEN_PURPOSE,
  NatsNamespace,
  RpcClient,
  UserView,
  healthSubject,
} from '@tessera/contracts';
import { createLogger, createServiceApp, Keyring, ensureEventStream, randomToken } from '@tessera/runtime';
import { LogCapture, ReceivedMail, SmtpSink, TestEnvironment, eventually } from '@tessera/testing';
import { Queue } from 'bullmq';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { v7 as uuidv7 } from 'uuid';
import { MAIL_QUEUE, mailQueueConnection, mailQueuePrefix } from '../apps/notifications/src/mail/mail-job';
import { formatDate } from '../apps/notifications/src/mail/templates/html';
import { TeamsEventType } from '../apps/notifications/src/events/mail-for-event';
import { notificationsService } from '../apps/notifications/src/notifications.module';
import { NodeProcess } from './support/run-node';

const PUBLIC_URL = 'https://accounts.example.test';
/** Ids as the events carry them (their schemas take UUIDs only). */
const ID = { account: uuidv7(), ada: uuidv7(), grace: uuidv7(), alan: uuidv7(), newcomer: uuidv7() };
const codec = JSONCodec<unknown>();

/**
 * The notifications service in process, on real PostgreSQL, NATS (JetStream) and Redis, sending to a real SMTP
 * server on loopback. Events are published to JetStream the way the outbox relay publishes them. Identity is
 * played by a small responder on the real NATS server, answering `tessera.identity.user.get` as identity does.
 */
describe('notifications: teams events in, e-mails out', () => {
  let environment: TestEnvironment;
  let sink: SmtpSink;
  let nc: NatsConnection;
  let app: INestMicroservice | undefined;
  let queue: Queue;
  const logs = new LogCapture();
  const users = new Map<string, UserView>();

  const env = () =>
    environment.env({
      TESSERA_SMTP_URL: sink.url,
      TESSERA_PUBLIC_URL: PUBLIC_URL,
      TESSERA_MAIL_BACKOFF_MS: '200',
      TESSERA_MAIL_FROM: 'Tessera Test <no-reply@example.test>',
      TESSERA_LOG_LEVEL: 'debug',
    });
  const config = (): ServiceConfig => environment.config(env());

  async function startNotifications(): Promise<void> {
    const settings = config();
    const logger = createLogger('notifications', settings.logLevel, logs);
    const service = await createServiceApp(
      'notifications',
      notificationsService.moduleFor(settings, logger),
      settings,
      logger,
    );
    await service.listen();
    app = service;
  }

  async function stopNotifications(): Promise<void> {
    await app?.close();
    app = undefined;
  }

  /** As the outbox relay does: the envelope as JSON, `Nats-Msg-Id` = event id (unless a test says otherwise). */
  async function publish<E extends TeamsEventType>(
    type: E,
    data: EventPayload<E>,
    options: { id?: string; msgId?: string } = {},
  ): Promise<string> {
    const id = options.id ?? uuidv7();
    const envelope: EventEnvelope<E> = { id, type, occurredAt: new Date().toISOString(), data };
    await nc.jetstream().publish(type, codec.encode(envelope), { msgID: options.msgId ?? id });
    return id;
  }

  function sealed(token: string): string {
    return new Keyring([environment.secretKey]).seal(INVITATION_TOKEN_PURPOSE, token);
  }

  function invitation(
    email: string,
    token = randomToken(),
    overrides: Partial<EventPayload<'tessera.events.teams.invitation.created'>> = {},
  ): EventPayload<'tessera.events.teams.invitation.created'> {
    return {
      accountId: ID.account,
      actorUserId: ID.ada,
      invitationId: uuidv7(),
      email,
      role: 'developer',
      teamName: 'Analytical Engines',
      invitedByName: 'Ada Lovelace',
      sealedToken: sealed(token),
      expiresAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
      ...overrides,
    };
  }

  const mailsFor = (eventId: string): ReceivedMail[] =>
    sink.messages.filter((m) => m.headers.get('x-tessera-event-id') === eventId);

  const mailFor = (eventId: string, timeoutMs = 10_000): Promise<ReceivedMail> =>
    eventually(() => {
      const [mail] = mailsFor(eventId);
      if (!mail) throw new Error(`no e-mail for event ${eventId} yet`);
      return mail;
    }, timeoutMs);

  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

  beforeAll(async () => {
    environment = await TestEnvironment.start();
    sink = await SmtpSink.start();
    nc = await connect({ servers: environment.nats.url });
    // Identity's answer to `tessera.identity.user.get`, in the framing Nest's NATS transport uses.
    nc.subscribe('tessera.identity.user.get', {
      queue: 'identity',
      callback: (_error, message) => {
        const request = codec.decode(message.data) as { id: string; data: { userId: string } };
        const user = users.get(request.data.userId);
        message.respond(
          codec.encode(
            user
              ? { id: request.id, response: user, isDisposed: true }
              : {
                  id: request.id,
                  err: { code: 'not_found', message: 'User was not found.' },
                  isDisposed: true,
                },
          ),
        );
      },
    });
    for (const [id, email, name] of [
      [ID.ada, 'ada@example.com', 'Ada Lovelace'],
      [ID.grace, 'grace@example.com', 'Grace Hopper'],
      [ID.alan, 'alan@example.com', 'Alan Turing'],
    ]) {
      users.set(id, { id, email, name, createdAt: new Date().toISOString(), identities: [] });
    }
    queue = new Queue(MAIL_QUEUE, {
      connection: mailQueueConnection(config().redisUrl, 'notifications-test'),
      prefix: mailQueuePrefix(config().redisPrefix),
    });
    await startNotifications();
    await ensureEventStream(nc, new NatsNamespace());
  });

  afterAll(async () => {
    await stopNotifications();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await nc?.close();
    await sink?.stop();
    await environment?.stop();
  });

  it('e-mails an invitation to the invited address, with a working link to accept it, in text and HTML', async () => {
    const token = randomToken();
    const expiresAt = new Date(Date.now() + 3 * 24 * 3600_000);
    const eventId = await publish(
      'tessera.events.teams.invitation.created',
      invitation('new.member@example.com', token, {
        teamName: 'Analytical <Engines> & Co',
        invitedByName: 'Ada "Countess" Lovelace',
        role: 'billing',
        expiresAt: expiresAt.toISOString(),
      }),
    );
    const mail = await mailFor(eventId);

    expect(mail.to).toEqual(['new.member@example.com']);
    expect(mail.from).toBe('no-reply@example.test');
    expect(mail.subject).toBe(
      'Ada "Countess" Lovelace invited you to join Analytical <Engines> & Co as Billing',
    );
    expect(mail.headers.get('message-id')).toBe(`<${eventId}@accounts.example.test>`);

    const textLink = /https:\/\/accounts\.example\.test\/invite\/accept\?token=\S+/.exec(mail.text)?.[0];
    expect(textLink).toBeDefined();
    const htmlLinks = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(htmlLinks.length).toBeGreaterThan(0);
    for (const link of [textLink!, ...htmlLinks]) {
      const url = new URL(link);
      expect(url.origin + url.pathname).toBe(`${PUBLIC_URL}/invite/accept`);
      expect(url.searchParams.get('token')).toBe(token);
    }
    expect(mail.text).toContain(formatDate(expiresAt));
    expect(mail.text).toContain('new.member@example.com');
    expect(mail.html).toContain(formatDate(expiresAt));

    // Every interpolated value is escaped in the HTML.
    expect(mail.html).toContain('Analytical &lt;Engines&gt; &amp; Co');
    expect(mail.html).toContain('Ada &quot;Countess&quot; Lovelace');
    expect(mail.html).not.toContain('<Engines>');

    // The log names the e-mail but never holds the token or the body.
    await eventually(() =>
      expect(logs.lines.find((l) => l.eventId === eventId && l.msg === 'e-mail sent')).toMatchObject({
        to: 'new.member@example.com',
        subject: mail.subject,
      }),
    );
    const log = logs.raw.join('\n');
    expect(log).not.toContain(token);
    expect(log).not.toContain('invite/accept');
  });

  it('sends one e-mail for an event delivered twice (same event id, different Nats-Msg-Id)', async () => {
    const id = uuidv7();
    const data = invitation('twice@example.com');
    await publish('tessera.events.teams.invitation.resent', data, { id, msgId: `${id}-a` });
    await publish('tessera.events.teams.invitation.resent', data, { id, msgId: `${id}-b` });
    const after = await publish('tessera.events.teams.invitation.created', invitation('after@example.com'));

    await mailFor(id);
    await mailFor(after);
    await pause(1000);
    expect(mailsFor(id)).toHaveLength(1);
    expect(logs.lines.filter((l) => l.eventId === id && l.msg === 'e-mail queued').length).toBe(2);
  });

  it('keeps the events published while it is stopped, and sends each of them once when it starts', async () => {
    await stopNotifications();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(
        await publish('tessera.events.teams.invitation.created', invitation(`batch-${i}@example.com`)),
      );
    }
    await pause(500);
    expect(ids.flatMap(mailsFor)).toHaveLength(0);

    await startNotifications();
    await eventually(() => expect(ids.flatMap(mailsFor)).toHaveLength(10), 20_000);
    await pause(1500);
    const mails = ids.flatMap(mailsFor);
    expect(mails).toHaveLength(10);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `batch-${i}@example.com`).sort(),
    );
  });

  it('retries while SMTP is down and delivers the e-mail once SMTP is back', async () => {
    await sink.stop();
    try {
      const eventId = await publish(
        'tessera.events.teams.invitation.created',
        invitation('retry@example.com'),
      );
      await eventually(
        () =>
          expect(
            logs.lines.find(
              (l) => l.eventId === eventId && l.msg === 'e-mail not sent; it will be tried again',
            ),
          ).toMatchObject({ attempt: 1, attempts: 8, to: 'retry@example.com' }),
        10_000,
      );
      expect(mailsFor(eventId)).toHaveLength(0);

      await sink.resume();
      const mail = await mailFor(eventId);
      expect(mail.to).toEqual(['retry@example.com']);
      await eventually(async () => expect(await queue.getJobState(eventId)).toBe('completed'));
      expect((await queue.getJob(eventId))?.attemptsMade).toBeGreaterThanOrEqual(2);
      await pause(500);
      expect(mailsFor(eventId)).toHaveLength(1);
    } finally {
      await sink.resume();
    }
  });

  it('e-mails the inviter when an invitation is accepted, and a member whose role changed or who was removed', async () => {
    const before = sink.messages.length;
    const base = { accountId: ID.account, actorUserId: ID.ada };
    // Events that mean no e-mail come first: the consumer reads in order, so they are handled before the others.
    await publish('tessera.events.teams.team.created', { ...base, name: 'Analytical Engines' });
    await publish('tessera.events.teams.member.added', { ...base, userId: ID.alan, role: 'developer' });
    await publish('tessera.events.teams.invitation.cancelled', {
      ...base,
      invitationId: uuidv7(),
      email: 'nobody@example.com',
    });
    const accepted = await publish('tessera.events.teams.invitation.accepted', {
      ...base,
      actorUserId: ID.grace,
      invitationId: uuidv7(),
      email: 'grace@example.com',
      userId: ID.grace,
      invitedByUserId: ID.ada,
      teamName: 'Analytical Engines',
    });
    const roleChanged = await publish('tessera.events.teams.member.role_changed', {
      ...base,
      userId: ID.alan,
      from: 'developer',
      to: 'admin',
      teamName: 'Analytical Engines',
    });
    const removed = await publish('tessera.events.teams.member.removed', {
      ...base,
      userId: ID.grace,
      teamName: 'Difference Engines',
    });

    const acceptedMail = await mailFor(accepted);
    expect(acceptedMail.to).toEqual(['ada@example.com']);
    expect(acceptedMail.subject).toBe('grace@example.com joined Analytical Engines');
    expect(acceptedMail.text).toContain('grace@example.com accepted your invitation');

    const roleMail = await mailFor(roleChanged);
    expect(roleMail.to).toEqual(['alan@example.com']);
    expect(roleMail.subject).toBe('Your role in Analytical Engines is now Admin');
    expect(roleMail.text).toContain('from Developer to Admin');
    expect(roleMail.html).toContain('from Developer to Admin');

    const removedMail = await mailFor(removed);
    expect(removedMail.to).toEqual(['grace@example.com']);
    expect(removedMail.subject).toBe('You were removed from Difference Engines');

    await pause(500);
    expect(sink.messages.length - before).toBe(3);
  });

  it('keeps an e-mail that cannot be sent as failed, lists it, and sends it on `--retry`', async () => {
    const eventId = await publish('tessera.events.teams.member.role_changed', {
      accountId: ID.account,
      actorUserId: ID.ada,
      userId: ID.newcomer,
      from: 'billing',
      to: 'developer',
      teamName: 'Analytical Engines',
    });
    await eventually(async () => expect(await queue.getJobState(eventId)).toBe('failed'));
    expect(mailsFor(eventId)).toHaveLength(0);

    const listing = runTool([]);
    expect(await listing.exited).toBe(0);
    expect(listing.stdout).toContain('1 failed e-mail:');
    expect(listing.stdout).toContain(eventId);
    expect(listing.stdout).toContain(`user ${ID.newcomer}`);
    expect(listing.stdout).toContain('Your role in Analytical Engines is now Developer');
    expect(listing.stdout).toContain(`user ${ID.newcomer} was not found in identity`);

    // The user shows up in identity (say, a replica lagged): the operator retries.
    users.set(ID.newcomer, {
      id: ID.newcomer,
      email: 'new@example.com',
      name: null,
      createdAt: new Date().toISOString(),
      identities: [],
    });
    const retried = runTool(['--retry', eventId]);
    expect(await retried.exited).toBe(0);
    expect(retried.stdout).toContain(`Retrying ${eventId}`);
    const mail = await mailFor(eventId);
    expect(mail.to).toEqual(['new@example.com']);

    const empty = runTool([]);
    expect(await empty.exited).toBe(0);
    expect(empty.stdout).toContain('No failed e-mails.');

    const help = runTool(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout).toContain('--retry <id>');
  });

  it('follows events again after a NATS outage', async () => {
    await environment.nats.stop();
    await pause(500);
    await environment.nats.resume();
    const eventId = await eventually(
      () => publish('tessera.events.teams.invitation.created', invitation('after-outage@example.com')),
      15_000,
      250,
    );
    const mail = await mailFor(eventId, 20_000);
    expect(mail.to).toEqual(['after-outage@example.com']);
  });

  it('reports NATS, its database and Redis in its health', async () => {
    const rpc = new RpcClient(nc, { timeoutMs: 3000 });
    const report = await rpc.request(healthSubject('notifications'), {});
    expect(report).toMatchObject({ service: 'notifications', status: 'up' });
    expect(report.checks).toEqual({
      nats: { status: 'up' },
      database: { status: 'up' },
      redis: { status: 'up' },
    });
  });

  /** `npm run notifications:failed -- <args>`, compiled (`npm test` builds first), against this environment. */
  function runTool(args: string[]): NodeProcess {
    const entry = resolve(__dirname, '..', 'dist', 'tools', 'notifications-failed.js');
    const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, ...env() } });
    return new NodeProcess(child, `notifications-failed ${args.join(' ')}`);
  }
});
