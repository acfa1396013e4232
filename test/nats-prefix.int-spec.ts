import {
  AuthzCheckReply,
  AuthzCheckRequest,
  NatsNamespace,
  RpcClient,
  healthSubject,
} from '@tessera/contracts';
import { eventually } from '@tessera/testing';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { GitHubPlatform } from './support/github-platform';

const codec = JSONCodec();

/**
 * Two installations on one nats-server with JetStream: `tessera` (the default prefix) and `acme`
 * (`TESSERA_NATS_PREFIX=acme`), each with its own database, secret and services. A tap on the server records every
 * subject of both prefixes, so the test sees who used which.
 */
describe('two installations sharing one NATS', () => {
  let tessera: GitHubPlatform;
  let acme: GitHubPlatform;
  let tap: NatsConnection;
  const heard: string[] = [];

  beforeAll(async () => {
    tessera = await GitHubPlatform.start();
    acme = await GitHubPlatform.start(
      { TESSERA_NATS_PREFIX: 'acme' },
      { sharedNats: tessera.environment.nats },
    );
    tap = await connect({ servers: tessera.environment.nats.url });
    for (const wildcard of ['tessera.>', 'acme.>'])
      tap.subscribe(wildcard, { callback: (error, message) => error || heard.push(message.subject) });
    await tap.flush();
  });

  afterAll(async () => {
    await tap?.close();
    await acme?.stop();
    await tessera?.stop();
  });

  /** The calls and events of signing a person in and making a team and an API key, without the prefix. */
  const FLOW = [
    'identity.signin.complete',
    'teams.account.ensure-personal',
    'teams.team.create',
    'keys.key.create',
    'events.identity.user.created',
    'events.keys.key.created',
  ];

  /** What the tap heard while `work` ran, up to the last event `work` caused (events follow through the outbox). */
  async function heardDuring(prefix: string, work: () => Promise<void>): Promise<string[]> {
    heard.length = 0;
    await work();
    return eventually(async () => {
      await tap.flush();
      expect(heard).toEqual(expect.arrayContaining(FLOW.map((subject) => `${prefix}.${subject}`)));
      return heard;
    });
  }

  /** Signs a person in, makes a team and an API key: sign-in, teams, keys and their events. */
  async function keyMadeOn(installation: GitHubPlatform): Promise<string> {
    const admin = await installation.fixtures.user('admin');
    const teamId = await installation.fixtures.createTeam(admin);
    const created = await installation.fixtures
      .as(admin)
      .post(`/v1/accounts/${teamId}/keys`)
      .send({ name: 'caller', scope: 'API' })
      .expect(201);
    return created.body.secret;
  }

  async function check(prefix: string, body: AuthzCheckRequest): Promise<AuthzCheckReply> {
    const reply = await tap.request(`${prefix}.authz.check`, codec.encode(body), { timeout: 5000 });
    return codec.decode(reply.data) as AuthzCheckReply;
  }

  async function eventStreams(): Promise<Record<string, { subjects: string[]; consumers: string[] }>> {
    const jsm = await tap.jetstreamManager();
    const streams: Record<string, { subjects: string[]; consumers: string[] }> = {};
    for (const info of await jsm.streams.list().next()) {
      const consumers = await jsm.consumers.list(info.config.name).next();
      streams[info.config.name] = {
        subjects: info.config.subjects,
        consumers: consumers
          .filter((consumer) => consumer.config.durable_name)
          .map((consumer) => `${consumer.name} ${consumer.config.filter_subject}`)
          .sort(),
      };
    }
    return streams;
  }

  let tesseraKey: string;
  let acmeKey: string;

  it('keeps every call and event of one installation under its own prefix', async () => {
    // The other installation may have timers of its own running, so only this flow's subjects are compared.
    const flowOf = (prefix: string, subjects: string[]) =>
      FLOW.map((subject) => `${prefix}.${subject}`).filter((subject) => subjects.includes(subject));

    const duringTessera = await heardDuring(
      'tessera',
      async () => void (tesseraKey = await keyMadeOn(tessera)),
    );
    expect(flowOf('acme', duringTessera)).toEqual([]);

    const duringAcme = await heardDuring('acme', async () => void (acmeKey = await keyMadeOn(acme)));
    expect(flowOf('tessera', duringAcme)).toEqual([]);
  });

  it('has each decision point answer its own installation’s credentials only', async () => {
    const action = 'models.call';
    expect(await check('tessera', { authorization: `Key ${tesseraKey}`, action })).toMatchObject({
      allow: true,
    });
    expect(await check('acme', { authorization: `Key ${acmeKey}`, action })).toMatchObject({ allow: true });
    // Each key is unknown to the other installation: had the other gateway answered, one of these would be allowed.
    expect(await check('acme', { authorization: `Key ${tesseraKey}`, action })).toMatchObject({
      allow: false,
      reason: 'invalid_credentials',
    });
    expect(await check('tessera', { authorization: `Key ${acmeKey}`, action })).toMatchObject({
      allow: false,
      reason: 'invalid_credentials',
    });
  });

  it('leaves a stopped service of one installation unanswered, though the other’s runs', async () => {
    const callerOf = (prefix: string) =>
      new RpcClient(tap, { timeoutMs: 2000, namespace: new NatsNamespace(prefix) });
    await tessera.platform.stopService('identity');
    try {
      await expect(callerOf('tessera').request(healthSubject('identity'), {})).rejects.toMatchObject({
        code: 'service_unavailable',
      });
      await expect(callerOf('acme').request(healthSubject('identity'), {})).resolves.toMatchObject({
        status: 'up',
      });
    } finally {
      await tessera.platform.startService('identity');
    }
  });

  it('keeps both event streams side by side, each with its own durable consumers', async () => {
    const consumers = (prefix: string) =>
      [
        `identity-policies ${prefix}.events.teams.policy.changed`,
        `keys-policies ${prefix}.events.teams.policy.changed`,
        `keys-team-moves ${prefix}.events.teams.team.moved`,
        `notifications ${prefix}.events.teams.>`,
      ].sort();
    const streams = await eventStreams();
    expect(streams).toEqual({
      TESSERA_EVENTS: { subjects: ['tessera.events.>'], consumers: consumers('tessera') },
      ACME_EVENTS: { subjects: ['acme.events.>'], consumers: consumers('acme') },
    });
  });
});
