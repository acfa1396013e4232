import { AuthzCheckReply, AuthzCheckRequest, EVENTS_STREAM, EventEnvelope } from '@tessera/contracts';
import { inboxPrefixOf } from '@tessera/runtime';
import { NatsUser, eventually } from '@tessera/testing';
import { JSONCodec, NatsConnection, NatsError, connect } from 'nats';
import { randomUUID } from 'node:crypto';
import { GitHubPlatform } from './support/github-platform';
import { TestUser } from './support/users';

const codec = JSONCodec();

/**
 * Tessera on a NATS server that runs the shipped `deploy/nats/nats.conf`: every service logs in as its own user,
 * and the server, not Tessera, refuses whatever a user is not listed for.
 */
describe('NATS with the shipped permissions', () => {
  let stack: GitHubPlatform;
  let admin: TestUser;
  let teamId: string;
  let adminKey: { id: string; secret: string };
  let apiKey: { id: string; secret: string };
  const connections: NatsConnection[] = [];

  /** A connection of the test's own, logged in as `user` exactly as a process of that user would. */
  async function connectAs(user: NatsUser): Promise<NatsConnection> {
    const login = stack.environment.natsLogin(user);
    const nc = await connect({
      servers: stack.environment.nats.url,
      user: login.TESSERA_NATS_USER,
      pass: login.TESSERA_NATS_PASSWORD,
      inboxPrefix: inboxPrefixOf(user),
    });
    connections.push(nc);
    return nc;
  }

  const violations = () =>
    stack.environment.nats
      .log()
      .split('\n')
      .filter((line) => /Violation/.test(line));

  async function check(nc: NatsConnection, body: AuthzCheckRequest): Promise<AuthzCheckReply> {
    const reply = await nc.request('tessera.authz.check', codec.encode(body), { timeout: 5000 });
    return codec.decode(reply.data) as AuthzCheckReply;
  }

  async function lastEventSequence(): Promise<number> {
    const jsm = await stack.nc.jetstreamManager();
    return (await jsm.streams.info(EVENTS_STREAM)).state.last_seq;
  }

  beforeAll(async () => {
    stack = await GitHubPlatform.start({}, { natsPermissions: true });
    admin = await stack.fixtures.user('admin');
    teamId = await stack.fixtures.createTeam(admin);
    const created = await stack.fixtures
      .as(admin)
      .post(`/v1/accounts/${teamId}/keys`)
      .send({ name: 'deployer', scope: 'ADMIN' })
      .expect(201);
    adminKey = created.body;
    apiKey = (
      await stack.fixtures
        .as(admin)
        .post(`/v1/accounts/${teamId}/keys`)
        .send({ name: 'caller', scope: 'API' })
        .expect(201)
    ).body;
  });

  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close()));
    await stack?.stop();
  });

  it('runs sign-in, teams, invitations, keys, secrets, policies and revocations with no permission refused', async () => {
    // Invitation accepted: teams and identity answer each other; the fixture reads the token from the stream.
    const member = await stack.fixtures.addMember(admin, teamId, 'developer', 'member');
    const internal = await connectAs('internal');
    expect(
      await check(internal, { authorization: `Key ${adminKey.secret}`, action: 'apps.deploy' }),
    ).toMatchObject({ allow: true });
    expect(
      await check(internal, {
        authorization: `Bearer ${member.token}`,
        action: 'models.call',
        account: teamId,
      }),
    ).toMatchObject({ allow: true });

    // A secret set over HTTP, and read by an app's service as the internal user.
    await stack.fixtures
      .as(admin)
      .put(`/v1/accounts/${teamId}/secrets/APP_TOKEN`)
      .send({ value: 'app-token' })
      .expect(200);
    const resolved = await internal.request(
      'tessera.secrets.resolve',
      codec.encode({ authorization: `Key ${adminKey.secret}`, names: ['APP_TOKEN'] }),
      { timeout: 5000 },
    );
    expect(codec.decode(resolved.data)).toMatchObject({ secrets: { APP_TOKEN: 'app-token' } });

    // A policy change reaches keys (revokes the ADMIN key) and identity through their durable consumers.
    await stack.fixtures
      .as(admin)
      .put(`/v1/teams/${teamId}/policies`)
      .send({ settings: { 'keys.allowedScopes': ['API'] } })
      .expect(200);
    await eventually(async () =>
      expect(
        await check(internal, { authorization: `Key ${adminKey.secret}`, action: 'apps.deploy' }),
      ).toMatchObject({ allow: false, reason: 'invalid_credentials' }),
    );

    // A member removed: the gateway's event feed forgets the membership.
    await stack.fixtures.as(admin).delete(`/v1/teams/${teamId}/members/${member.id}`).expect(204);
    await eventually(async () =>
      expect(
        await check(internal, {
          authorization: `Bearer ${member.token}`,
          action: 'models.call',
          account: teamId,
        }),
      ).toMatchObject({ allow: false }),
    );

    // The team moves into an organization: keys applies the organization's policy from the move event.
    const orgId = (await stack.fixtures.as(admin).post('/v1/orgs').send({ name: 'Parent' }).expect(201)).body
      .id;
    await stack.fixtures
      .as(admin)
      .put(`/v1/orgs/${orgId}/policies`)
      .send({ settings: { 'keys.maxLifetimeDays': 30 } })
      .expect(200);
    await stack.fixtures.as(admin).post(`/v1/orgs/${orgId}/transfers`).send({ teamId }).expect(201);
    const lifetime = `SELECT effective->>'keys.maxLifetimeDays' AS days FROM keys.account_policies WHERE account_id = $1`;
    await eventually(async () =>
      expect(await stack.platform.query(lifetime, [teamId])).toEqual([{ days: '30' }]),
    );

    expect(violations()).toEqual([]);
  });

  it('lets an internal caller ask the decision point and nothing else', async () => {
    const internal = await connectAs('internal');
    const before = await stack.platform.query('SELECT count(*)::int AS n FROM keys.api_keys');
    const refused = await internal
      .request(
        'tessera.keys.key.create',
        codec.encode({
          pattern: 'tessera.keys.key.create',
          id: randomUUID(),
          data: { accountId: teamId, actorUserId: admin.id, name: 'stolen', scope: 'ADMIN' },
        }),
        { timeout: 2000 },
      )
      .then(
        () => 'answered',
        (error: NatsError) => error.code,
      );
    expect(refused).toBe('PERMISSIONS_VIOLATION');
    expect(await stack.platform.query('SELECT count(*)::int AS n FROM keys.api_keys')).toEqual(before);

    // Nobody else's replies (refresh tokens, key secrets) and no events can be read.
    for (const subject of ['_INBOX.>', '_INBOX_gateway.>', 'tessera.events.>', 'tessera.keys.>']) {
      const refusal = new Promise<string>((resolve) => {
        const sub = internal.subscribe(subject, {
          callback: (error) => resolve(error ? (error as NatsError).code : 'delivered'),
        });
        void internal.flush().then(() => setTimeout(() => resolve(sub.isClosed() ? 'closed' : 'open'), 500));
      });
      expect([subject, await refusal]).toEqual([subject, 'PERMISSIONS_VIOLATION']);
    }
  });

  it('drops an event published by a user without the publisher rights', async () => {
    const internal = await connectAs('internal');
    expect(
      await check(internal, { authorization: `Key ${apiKey.secret}`, action: 'models.call' }),
    ).toMatchObject({
      allow: true,
    });

    const before = await lastEventSequence();
    const forged: EventEnvelope<'tessera.events.teams.policy.changed'> = {
      id: randomUUID(),
      type: 'tessera.events.teams.policy.changed',
      occurredAt: new Date().toISOString(),
      data: {
        accountId: teamId,
        actorUserId: randomUUID(),
        version: 99,
        settings: { 'keys.allowedScopes': [] as never },
        affected: [{ accountId: teamId, effective: { 'keys.allowedScopes': [] as never } }],
      },
    };
    // Another Tessera service (keys may publish keys events only) and an internal caller both try.
    for (const user of ['keys', 'internal'] as const) {
      const nc = await connectAs(user);
      nc.publish(forged.type, codec.encode(forged));
      nc.publish('tessera.events.identity.session.revoked', codec.encode({ ...forged, id: randomUUID() }));
      await nc.flush();
    }
    await eventually(() =>
      expect(violations().filter((line) => /Publish Violation.*tessera\.events/.test(line))).toHaveLength(4),
    );
    expect(await lastEventSequence()).toBe(before);
    expect(
      await check(internal, { authorization: `Key ${apiKey.secret}`, action: 'models.call' }),
    ).toMatchObject({
      allow: true,
    });
  });
});
