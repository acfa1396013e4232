import { CALLER_TOKEN_HEADER, ErrorBody } from '@tessera/contracts';
import { CommandTokenSigner } from '@tessera/runtime';
import { eventually } from '@tessera/testing';
import { JSONCodec, headers as natsHeaders } from 'nats';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GitHubPlatform } from './support/github-platform';
import { TestUser } from './support/users';

const codec = JSONCodec<unknown>();

/**
 * The bus is not a trust boundary: a process on the same NATS that speaks Nest's frames but holds no root secret
 * gets `unauthorized_caller` on every command, and nothing is read or written.
 */
describe('command tokens on the bus', () => {
  let stack: GitHubPlatform;
  let admin: TestUser;
  let teamId: string;

  beforeAll(async () => {
    stack = await GitHubPlatform.start();
    admin = await stack.fixtures.user('admin');
    teamId = await stack.fixtures.createTeam(admin, 'Targets');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A call as Nest's transport frames it, sent by hand: with the given token, or none. */
  async function raw(
    subject: string,
    data: unknown,
    token?: string,
  ): Promise<{ response?: unknown; err?: ErrorBody }> {
    const headers = natsHeaders();
    if (token !== undefined) headers.set(CALLER_TOKEN_HEADER, token);
    const packet = { pattern: subject, data, id: randomUUID() };
    const reply = await stack.nc.request(subject, codec.encode(packet), { timeout: 5000, headers });
    return codec.decode(reply.data) as { response?: unknown; err?: ErrorBody };
  }

  const keyRows = async (name: string) =>
    stack.platform.query('SELECT id FROM keys.api_keys WHERE account_id = $1 AND name = $2', [teamId, name]);

  const forgedKey = (name: string) => ({ accountId: teamId, actorUserId: admin.id, name, scope: 'ADMIN' });
  const signer = (now: () => number = Date.now) => new CommandTokenSigner([stack.environment.secretKey], now);

  it('refuses a raw key.create without a token, writes no key, and logs the subject but no token', async () => {
    const reply = await raw('tessera.keys.key.create', forgedKey('no token'));
    expect(reply.err).toEqual({ code: 'unauthorized_caller', message: 'The caller could not be verified.' });
    expect(reply.response).toBeUndefined();
    expect(await keyRows('no token')).toEqual([]);
    expect(stack.platform.logs.lines).toContainEqual(
      expect.objectContaining({ service: 'keys', subject: 'tessera.keys.key.create', reason: 'missing' }),
    );
  });

  it('refuses a raw device.decide without a token: the grant stays pending', async () => {
    const code = (
      await request(stack.platform.http)
        .post('/auth/device/code')
        .set('x-forwarded-for', '192.0.2.44')
        .send({ client_id: 'tessera-cli' })
        .expect(200)
    ).body as { user_code: string };
    const reply = await raw('tessera.identity.device.decide', {
      userCode: code.user_code,
      userId: admin.id,
      approve: true,
      accountId: teamId,
    });
    expect(reply.err?.code).toBe('unauthorized_caller');
    expect(
      await stack.platform.query('SELECT status, user_id FROM identity.device_grants WHERE user_code = $1', [
        code.user_code.replace('-', ''),
      ]),
    ).toEqual([{ status: 'pending', user_id: null }]);
  });

  type Data = ReturnType<typeof forgedKey>;
  const CREATE = 'tessera.keys.key.create';
  it.each<[string, (data: Data) => string]>([
    ['a token for another subject', (data) => signer().sign('tessera.keys.key.rotate', data)],
    // Signed with identity's key (the audience follows the subject): only a token minted for keys opens keys.
    ['a token for another service', (data) => signer().sign('tessera.identity.key.create', data)],
    ['a token for another account', (data) => signer().sign(CREATE, { ...data, accountId: randomUUID() })],
    ['a token for another actor', (data) => signer().sign(CREATE, { ...data, actorUserId: randomUUID() })],
    ['an expired token', (data) => signer(() => Date.now() - 120_000).sign(CREATE, data)],
    ['a token of another secret', (data) => new CommandTokenSigner(['x'.repeat(48)]).sign(CREATE, data)],
  ])('refuses %s and writes nothing', async (label, mint) => {
    const data = forgedKey(label);
    const reply = await raw(CREATE, data, mint(data));
    expect(reply.err?.code).toBe('unauthorized_caller');
    expect(await keyRows(label)).toEqual([]);
  });

  it('accepts a token minted by a holder of the secret for this call, once: a replay is refused', async () => {
    const data = forgedKey('replayed');
    const token = signer().sign('tessera.keys.key.create', data);
    const first = await raw('tessera.keys.key.create', data, token);
    expect(first.err).toBeUndefined();
    expect(first.response).toMatchObject({ key: { accountId: teamId, name: 'replayed' } });
    const second = await raw('tessera.keys.key.create', data, token);
    expect(second.err?.code).toBe('unauthorized_caller');
    expect(await keyRows('replayed')).toHaveLength(1);
    expect(stack.platform.logs.lines).toContainEqual(expect.objectContaining({ reason: 'replayed' }));
    expect(JSON.stringify(stack.platform.logs.lines)).not.toContain(token.split('.')[2]);
  });

  it('keeps read-only subjects closed too, and health open', async () => {
    expect((await raw('tessera.keys.key.list', { accountId: teamId })).err?.code).toBe('unauthorized_caller');
    expect((await raw('tessera.identity.session.list', { userId: admin.id })).err?.code).toBe(
      'unauthorized_caller',
    );
    for (const service of ['identity', 'teams', 'keys', 'notifications']) {
      const reply = await raw(`tessera.${service}.health`, {});
      expect(reply.response).toMatchObject({ service, status: 'up' });
    }
  });

  it('still serves calls made through the gateway', async () => {
    const created = await stack.fixtures
      .as(admin)
      .post(`/v1/accounts/${teamId}/keys`)
      .send({ name: 'through the gateway', scope: 'API' })
      .expect(201);
    expect(created.body.secret).toMatch(/^tsk_/);
    expect(await keyRows('through the gateway')).toHaveLength(1);
    // The secret went to the gateway that asked, in its reply, and nowhere else on the bus.
    const event = await eventually(async () => {
      const last = await stack.fixtures.lastEvent<{ keyId: string }>('tessera.events.keys.key.created');
      if (last?.data.keyId !== created.body.key.id) throw new Error('no event yet');
      return last;
    });
    expect(JSON.stringify(event)).not.toContain(created.body.secret.slice(4));
  });
});
