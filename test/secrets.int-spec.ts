import {
  AuthzCheckReply,
  EVENTS_STREAM,
  SecretsResolveReply,
  SecretsResolveRequest,
} from '@tessera/contracts';
import { secretKeyId } from '@tessera/runtime';
import { eventually } from '@tessera/testing';
import { JSONCodec, NatsConnection } from 'nats';
import request from 'supertest';
import { UsageRecorder } from '../apps/gateway/src/authz/usage-recorder';
import { GitHubPlatform } from './support/github-platform';
import { TeamFixtures } from './support/teams';
import { TestUser } from './support/users';

const codec = JSONCodec();

async function resolve(nc: NatsConnection, body: unknown): Promise<SecretsResolveReply> {
  const data = typeof body === 'string' ? new TextEncoder().encode(body) : codec.encode(body);
  const reply = await nc.request('tessera.secrets.resolve', data, { timeout: 5000 });
  return codec.decode(reply.data) as SecretsResolveReply;
}

const errorOf = (reply: SecretsResolveReply) => ('error' in reply ? reply.error : undefined);

/** 64 KiB values that JSON escapes: two bytes (`\"`) and six bytes (`\u0001`) a character. */
const QUOTES = '"'.repeat(65_536);
const CONTROLS = '\u0001'.repeat(65_536);

/**
 * Team secrets against the real services: the Admin routes, encryption at rest in PostgreSQL, and deployed apps
 * reading values on NATS through the decision point (`tessera.secrets.resolve`, action `secrets.read`).
 */
describe('team secrets', () => {
  let stack: GitHubPlatform;
  let fixtures: TeamFixtures;
  let admin: TestUser;
  let developer: TestUser;
  let billing: TestUser;
  let otherAdmin: TestUser;
  let orgId: string;
  let teamId: string;
  let otherTeamId: string;
  let adminKey: string;
  let apiKey: string;
  let otherKey: string;

  const as = (who: TestUser) => fixtures.as(who);
  const secretPath = (team: string, name = '') => `/v1/accounts/${team}/secrets${name ? `/${name}` : ''}`;
  const newKey = async (team: string, who: TestUser, scope: 'API' | 'ADMIN') =>
    (await as(who).post(`/v1/accounts/${team}/keys`).send({ name: scope, scope }).expect(201)).body
      .secret as string;
  /** The gateway's error lines about the resolve: unexpected failures only, never refusals. */
  const resolveErrors = () =>
    stack.platform.logs.raw.filter(
      (line) => line.includes('"level":"error"') && line.includes('tessera.secrets.resolve failed'),
    );
  const resolveAs = (authorization: string, names: string[], extra: Partial<SecretsResolveRequest> = {}) =>
    resolve(stack.nc, { authorization, names, ...extra });

  beforeAll(async () => {
    stack = await GitHubPlatform.start({ TESSERA_USAGE_FLUSH_MS: '100' });
    fixtures = stack.fixtures;
    admin = await fixtures.user('secrets-admin');
    // The team is in an organization, so that the organization's policy reaches it.
    orgId = (await as(admin).post('/v1/orgs').send({ name: 'Vault' }).expect(201)).body.id;
    teamId = (await as(admin).post(`/v1/orgs/${orgId}/teams`).send({ name: 'Apps' }).expect(201)).body.id;
    developer = await fixtures.addMember(admin, teamId, 'developer', 'secrets-developer');
    billing = await fixtures.addMember(admin, teamId, 'billing', 'secrets-billing');
    otherAdmin = await fixtures.user('other-admin');
    otherTeamId = await fixtures.createTeam(otherAdmin, 'Elsewhere');
    [adminKey, apiKey, otherKey] = await Promise.all([
      newKey(teamId, admin, 'ADMIN'),
      newKey(teamId, admin, 'API'),
      newKey(otherTeamId, otherAdmin, 'ADMIN'),
    ]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('over HTTP', () => {
    it('lets an Admin set, replace, list and delete secrets, and never answers a value', async () => {
      const first = await as(admin)
        .put(secretPath(teamId, 'DATABASE_URL'))
        .send({ value: 'postgres://first-value' })
        .expect(200);
      expect(first.body).toEqual({
        name: 'DATABASE_URL',
        createdByUserId: admin.id,
        createdAt: expect.any(String),
        updatedByUserId: admin.id,
        updatedAt: expect.any(String),
        createdBy: { userId: admin.id, name: expect.any(String), email: admin.email },
        updatedBy: { userId: admin.id, name: expect.any(String), email: admin.email },
      });
      const replaced = await as(admin)
        .put(secretPath(teamId, 'DATABASE_URL'))
        .send({ value: 'postgres://second-value' })
        .expect(200);
      expect(replaced.body.createdAt).toBe(first.body.createdAt);
      expect(Date.parse(replaced.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.body.updatedAt));
      await as(admin).put(secretPath(teamId, 'API_TOKEN')).send({ value: 'tok-123' }).expect(200);

      const listed = await as(admin).get(secretPath(teamId)).expect(200);
      expect(listed.body.map((secret: { name: string }) => secret.name)).toEqual([
        'API_TOKEN',
        'DATABASE_URL',
      ]);
      for (const text of [first.text, replaced.text, listed.text])
        expect(text).not.toMatch(/first-value|second-value|tok-123|"value"/);

      await as(admin).delete(secretPath(teamId, 'API_TOKEN')).expect(204);
      const gone = await as(admin).delete(secretPath(teamId, 'API_TOKEN')).expect(404);
      expect(gone.body.error.code).toBe('not_found');
      const after = await as(admin).get(secretPath(teamId)).expect(200);
      expect(after.body.map((secret: { name: string }) => secret.name)).toEqual(['DATABASE_URL']);
    });

    it("refuses Developers, Billing, API keys and other teams' Admins", async () => {
      for (const who of [developer, billing]) {
        for (const call of [
          as(who).put(secretPath(teamId, 'SNEAKY')).send({ value: 'x' }),
          as(who).get(secretPath(teamId)),
          as(who).delete(secretPath(teamId, 'DATABASE_URL')),
        ]) {
          const response = await call.expect(403);
          expect(response.body.error.code).toBe('forbidden');
        }
      }
      const byKey = await request(stack.platform.http)
        .get(secretPath(teamId))
        .set('authorization', `Key ${adminKey}`)
        .expect(403);
      expect(byKey.body.error.code).toBe('forbidden');
      const outsider = await as(otherAdmin).get(secretPath(teamId)).expect(404);
      expect(outsider.body.error.code).toBe('not_found');
      await as(otherAdmin).put(secretPath(teamId, 'SNEAKY')).send({ value: 'x' }).expect(404);
      const names = (await as(admin).get(secretPath(teamId)).expect(200)).body.map(
        (secret: { name: string }) => secret.name,
      );
      expect(names).toEqual(['DATABASE_URL']);
    });

    it('refuses names that are not environment variable names and values over 64 KiB, storing nothing', async () => {
      for (const name of ['lower_case', '1PASSWORD', 'WITH-DASH', 'A'.repeat(129)]) {
        const response = await as(admin).put(secretPath(teamId, name)).send({ value: 'x' }).expect(400);
        expect({ name, code: response.body.error.code }).toEqual({ name, code: 'validation_failed' });
      }
      await as(admin)
        .put(secretPath(teamId, `_${'A'.repeat(127)}`))
        .send({ value: 'x' })
        .expect(200);
      await as(admin)
        .delete(secretPath(teamId, `_${'A'.repeat(127)}`))
        .expect(204);

      await as(admin)
        .put(secretPath(teamId, 'BIG'))
        .send({ value: 'a'.repeat(65_536) })
        .expect(200);
      for (const body of [
        { value: 'a'.repeat(65_537) },
        { value: 'é'.repeat(32_769) }, // 65,538 bytes of UTF-8 in 32,769 characters
        { value: 42 },
        {},
        { value: 'x', extra: true },
      ]) {
        const response = await as(admin).put(secretPath(teamId, 'TOO_BIG')).send(body).expect(400);
        expect(response.body.error.code).toBe('validation_failed');
      }
      const tooBig = await as(admin)
        .put(secretPath(teamId, 'TOO_BIG'))
        .send({ value: 'a'.repeat(65_537) })
        .expect(400);
      expect(tooBig.body.error.details).toEqual([
        { path: 'value', message: 'A secret value is at most 65536 bytes (64 KiB) of UTF-8.' },
      ]);
      const names = (await as(admin).get(secretPath(teamId)).expect(200)).body.map(
        (secret: { name: string }) => secret.name,
      );
      expect(names).toEqual(['BIG', 'DATABASE_URL']);
      const big = await resolveAs(`Key ${adminKey}`, ['BIG']);
      expect(big).toMatchObject({ secrets: { BIG: 'a'.repeat(65_536) } });
      await as(admin).delete(secretPath(teamId, 'BIG')).expect(204);
    });

    it('takes a 64 KiB value whose JSON body is far over 100 kB, and no larger body on other routes', async () => {
      for (const [name, value] of [
        ['QUOTED', QUOTES],
        ['CONTROLLED', CONTROLS],
      ]) {
        const body = JSON.stringify({ value });
        expect(body.length).toBeGreaterThan(100_000);
        await as(admin)
          .put(secretPath(teamId, name))
          .set('content-type', 'application/json')
          .send(body)
          .expect(200);
      }
      expect(await resolveAs(`Key ${adminKey}`, ['QUOTED'])).toMatchObject({ secrets: { QUOTED: QUOTES } });
      for (const value of [`${QUOTES}"`, `${CONTROLS}\u0001`]) {
        const tooBig = await as(admin).put(secretPath(teamId, 'TOO_BIG')).send({ value }).expect(400);
        expect(tooBig.body.error.code).toBe('validation_failed');
      }
      // Other routes keep the default limit of 100 kB.
      const elsewhere = await as(admin)
        .post('/v1/teams')
        .send({ name: 'x'.repeat(200_000) })
        .expect(413);
      expect(elsewhere.body.error.code).toBe('payload_too_large');
      for (const name of ['QUOTED', 'CONTROLLED'])
        await as(admin).delete(secretPath(teamId, name)).expect(204);
    });

    it('writes an event for each change, with who and whether it was new, never the value', async () => {
      const value = 'event-value-5b1c';
      const secretEvent = (subject: string) =>
        fixtures.lastEvent<Record<string, unknown>>(`tessera.events.keys.secret.${subject}`);
      await as(admin).put(secretPath(teamId, 'EVENTFUL')).send({ value }).expect(200);
      await eventually(async () =>
        expect((await secretEvent('set'))?.data).toEqual({
          accountId: teamId,
          name: 'EVENTFUL',
          actorUserId: admin.id,
          created: true,
        }),
      );
      await as(admin)
        .put(secretPath(teamId, 'EVENTFUL'))
        .send({ value: `${value}-2` })
        .expect(200);
      await eventually(async () =>
        expect((await secretEvent('set'))?.data).toMatchObject({ name: 'EVENTFUL', created: false }),
      );
      await as(admin).delete(secretPath(teamId, 'EVENTFUL')).expect(204);
      await eventually(async () =>
        expect((await secretEvent('deleted'))?.data).toEqual({
          accountId: teamId,
          name: 'EVENTFUL',
          actorUserId: admin.id,
        }),
      );
      // Nowhere in the stream nor in the outbox, under any subject.
      const jsm = await stack.nc.jetstreamManager();
      const { state } = await jsm.streams.info(EVENTS_STREAM);
      for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
        const message = await jsm.streams.getMessage(EVENTS_STREAM, { seq }).catch(() => null);
        expect(message?.string() ?? '').not.toContain(value);
      }
      const outbox = (await stack.platform.query(`SELECT envelope::text AS text FROM keys.outbox`)) as {
        text: string;
      }[];
      expect(outbox.some((row) => row.text.includes('EVENTFUL'))).toBe(true);
      for (const row of outbox) expect(row.text).not.toContain(value);
    });
  });

  describe('at rest', () => {
    it('keeps only ciphertext in PostgreSQL, under a data key wrapped by the current root secret', async () => {
      const plaintext = 'at-rest-plaintext-7f3a';
      await as(admin).put(secretPath(teamId, 'AT_REST')).send({ value: plaintext }).expect(200);
      const [row] = (await stack.platform.query(
        `SELECT s::text AS everything, d.wrapped_key FROM keys.secrets s
           JOIN keys.secret_data_keys d USING (account_id) WHERE s.account_id = $1 AND s.name = 'AT_REST'`,
        [teamId],
      )) as { everything: string; wrapped_key: string }[];
      for (const encoding of ['utf8', 'hex', 'base64', 'base64url'] as const)
        expect(row.everything).not.toContain(Buffer.from(plaintext).toString(encoding));
      expect(row.wrapped_key).toMatch(
        new RegExp(`^v2\\.${secretKeyId(stack.environment.secretKey)}\\.keys/secret-data-key\\.`),
      );
      await as(admin).delete(secretPath(teamId, 'AT_REST')).expect(204);
    });

    it('binds each value to its account and name: a row moved elsewhere does not open', async () => {
      await as(admin).put(secretPath(teamId, 'MOVABLE')).send({ value: 'team-a-only' }).expect(200);
      await as(otherAdmin).put(secretPath(otherTeamId, 'OWN')).send({ value: 'team-b' }).expect(200);
      // Someone with write access to the table copies team A's row to team B, and renames one within team A.
      await stack.platform.query(
        `INSERT INTO keys.secrets (account_id, name, iv, tag, ciphertext, created_by_user_id, updated_by_user_id)
         SELECT $2, 'MOVED', iv, tag, ciphertext, created_by_user_id, updated_by_user_id
           FROM keys.secrets WHERE account_id = $1 AND name = 'MOVABLE'`,
        [teamId, otherTeamId],
      );
      await stack.platform.query(
        `INSERT INTO keys.secrets (account_id, name, iv, tag, ciphertext, created_by_user_id, updated_by_user_id)
         SELECT account_id, 'RENAMED', iv, tag, ciphertext, created_by_user_id, updated_by_user_id
           FROM keys.secrets WHERE account_id = $1 AND name = 'MOVABLE'`,
        [teamId],
      );
      for (const [key, name] of [
        [otherKey, 'MOVED'],
        [adminKey, 'RENAMED'],
      ]) {
        const reply = await resolveAs(`Key ${key}`, [name]);
        expect(errorOf(reply)?.code).toBe('internal');
        expect(JSON.stringify(reply)).not.toContain('team-a-only');
      }
      // Unexpected, unlike a refusal: the gateway logs it as an error.
      expect(resolveErrors()).toHaveLength(2);
      expect(await resolveAs(`Key ${otherKey}`, ['OWN'])).toMatchObject({ secrets: { OWN: 'team-b' } });
      await stack.platform.query(
        `DELETE FROM keys.secrets WHERE name IN ('MOVED', 'RENAMED', 'MOVABLE', 'OWN')`,
      );
    });
  });

  describe('on NATS (tessera.secrets.resolve)', () => {
    beforeAll(async () => {
      await as(admin).put(secretPath(teamId, 'APP_TOKEN')).send({ value: 'team-a-token' }).expect(200);
      await as(otherAdmin)
        .put(secretPath(otherTeamId, 'APP_TOKEN'))
        .send({ value: 'team-b-token' })
        .expect(200);
    });

    it("answers an ADMIN key's, an API key's and a member's own account, listing names it lacks", async () => {
      for (const authorization of [`Key ${adminKey}`, `Key ${apiKey}`, `Bearer ${developer.token}`]) {
        const reply = await resolveAs(authorization, ['APP_TOKEN', 'NOT_SET'], { account: teamId });
        expect(reply).toEqual({
          accountId: teamId,
          secrets: { APP_TOKEN: 'team-a-token' },
          missing: ['NOT_SET'],
        });
      }
      // Without `account`, a key reads its own account.
      expect(await resolveAs(`Key ${otherKey}`, ['APP_TOKEN'])).toEqual({
        accountId: otherTeamId,
        secrets: { APP_TOKEN: 'team-b-token' },
        missing: [],
      });
    });

    it('refuses a Billing member (forbidden), on the resolve as on tessera.authz.check', async () => {
      const refused = await resolveAs(`Bearer ${billing.token}`, ['APP_TOKEN'], { account: teamId });
      expect(errorOf(refused)).toEqual({
        code: 'forbidden',
        message: 'Your role (billing) does not allow secrets.read.',
      });
      expect(JSON.stringify(refused)).not.toContain('team-a-token');
      const check = async (authorization: string) => {
        const reply = await stack.nc.request(
          'tessera.authz.check',
          codec.encode({ authorization, action: 'secrets.read', account: teamId }),
          { timeout: 5000 },
        );
        return codec.decode(reply.data) as AuthzCheckReply;
      };
      expect(await check(`Bearer ${billing.token}`)).toMatchObject({ allow: false, reason: 'forbidden' });
      for (const who of [admin, developer])
        expect(await check(`Bearer ${who.token}`)).toMatchObject({ allow: true });
      expect(await resolveAs(`Bearer ${admin.token}`, ['APP_TOKEN'], { account: teamId })).toMatchObject({
        secrets: { APP_TOKEN: 'team-a-token' },
      });
    });

    it('refuses an answer too large for one NATS message with a clear error, and answers a smaller one', async () => {
      const names = Array.from({ length: 16 }, (_, i) => `LARGE_${i}`);
      for (const [i, name] of names.entries())
        await as(admin)
          .put(secretPath(teamId, name))
          .send({ value: i % 2 ? QUOTES : CONTROLS })
          .expect(200);
      const started = Date.now();
      const tooLarge = await resolveAs(`Key ${adminKey}`, names);
      expect(errorOf(tooLarge)).toEqual({
        code: 'payload_too_large',
        message: expect.stringContaining('ask for fewer names at a time'),
      });
      expect(Date.now() - started).toBeLessThan(4000);
      // One value of each kind: 512 KiB of JSON, well over what 100 kB would allow, within one message.
      expect(await resolveAs(`Key ${adminKey}`, ['LARGE_0', 'LARGE_1'])).toEqual({
        accountId: teamId,
        secrets: { LARGE_0: CONTROLS, LARGE_1: QUOTES },
        missing: [],
      });
      for (const name of names) await as(admin).delete(secretPath(teamId, name)).expect(204);
    });

    it("never answers another account's secrets", async () => {
      const keyElsewhere = await resolveAs(`Key ${adminKey}`, ['APP_TOKEN'], { account: otherTeamId });
      expect(errorOf(keyElsewhere)).toMatchObject({ code: 'not_a_member' });
      const memberElsewhere = await resolveAs(`Bearer ${otherAdmin.token}`, ['APP_TOKEN'], {
        account: teamId,
      });
      expect(errorOf(memberElsewhere)).toMatchObject({ code: 'not_a_member' });
      for (const reply of [keyElsewhere, memberElsewhere]) {
        expect(JSON.stringify(reply)).not.toMatch(/team-[ab]-token/);
      }
    });

    it('refuses bad credentials and bad requests with stable codes, logging no error for them', async () => {
      const before = resolveErrors().length;
      const invalid = await resolveAs('Key tsk_notARealKeyAtAll', ['APP_TOKEN']);
      expect(errorOf(invalid)).toMatchObject({ code: 'invalid_credentials' });
      for (const body of [
        { authorization: `Key ${adminKey}`, names: ['app-token'] },
        { authorization: `Key ${adminKey}`, names: [] },
        { authorization: `Key ${adminKey}`, names: Array.from({ length: 17 }, (_, i) => `N${i}`) },
        { authorization: `Key ${adminKey}`, names: ['APP_TOKEN'], action: 'secrets.read' },
        { names: ['APP_TOKEN'] },
        'not json',
      ]) {
        const reply = await resolve(stack.nc, body);
        expect({ body, error: errorOf(reply)?.code }).toEqual({ body, error: 'validation_failed' });
        expect(JSON.stringify(reply)).not.toContain('team-a-token');
      }
      const named = await resolve(stack.nc, { authorization: `Key ${adminKey}`, names: ['app-token'] });
      expect(errorOf(named)?.details).toEqual([
        { path: 'names[0]', message: expect.stringContaining('A-Z') },
      ]);
      const byBilling = await resolveAs(`Bearer ${billing.token}`, ['APP_TOKEN'], { account: teamId });
      expect(errorOf(byBilling)?.code).toBe('forbidden');
      expect(resolveErrors()).toHaveLength(before);
    });

    it("forbids API-scope keys under the organization's secrets.adminKeysOnly, not ADMIN keys or members", async () => {
      await as(admin)
        .put(`/v1/orgs/${orgId}/policies`)
        .send({ settings: { 'secrets.adminKeysOnly': true } })
        .expect(200);
      await eventually(async () => {
        const refused = await resolveAs(`Key ${apiKey}`, ['APP_TOKEN']);
        expect(errorOf(refused)).toEqual({
          code: 'scope_insufficient',
          message:
            'secrets.adminKeysOnly: the policy lets only ADMIN keys (and Admins and Developers) read secrets.',
        });
      });
      expect(await resolveAs(`Key ${adminKey}`, ['APP_TOKEN'])).toMatchObject({
        secrets: { APP_TOKEN: 'team-a-token' },
      });
      expect(await resolveAs(`Bearer ${developer.token}`, ['APP_TOKEN'], { account: teamId })).toMatchObject({
        secrets: { APP_TOKEN: 'team-a-token' },
      });
      // The team cannot loosen what its organization set.
      const looser = await as(admin)
        .put(`/v1/teams/${teamId}/policies`)
        .send({ settings: { 'secrets.adminKeysOnly': false } })
        .expect(422);
      expect(looser.body.error.code).toBe('policy_violation');
      await as(admin).put(`/v1/orgs/${orgId}/policies`).send({ settings: {} }).expect(200);
      await eventually(async () =>
        expect(await resolveAs(`Key ${apiKey}`, ['APP_TOKEN'])).toMatchObject({
          secrets: { APP_TOKEN: 'team-a-token' },
        }),
      );
    });

    it("records each read in the account's usage, by key and by member", async () => {
      const usage = stack.platform.gateway.get(UsageRecorder);
      // Twice: a flush the timer began earlier may have taken its counts before the last reads.
      const flushed = async () => {
        await usage.flush();
        await usage.flush();
      };
      await flushed();
      const before = await readsByActor();
      await resolveAs(`Key ${adminKey}`, ['APP_TOKEN']);
      await resolveAs(`Bearer ${developer.token}`, ['APP_TOKEN'], { account: teamId });
      await flushed();
      expect(await readsByActor()).toEqual({ key: before.key + 1, member: before.member + 1 });
    });

    it('never writes a value to any log, at debug level, refusals included', () => {
      const logs = stack.platform.logs.raw.join('\n');
      expect(logs).toContain('tessera.keys.secret.set'); // the calls were logged, without their values
      for (const value of [
        'first-value',
        'second-value',
        'tok-123',
        'at-rest-plaintext',
        'team-a-token',
        'team-b',
      ])
        expect({ value, logged: logs.includes(value) }).toEqual({ value, logged: false });
    });

    /** `secrets.read` requests in the team's usage, by kind of actor. */
    async function readsByActor(): Promise<{ key: number; member: number }> {
      const rows = (await stack.platform.query(
        `SELECT actor_type, sum(requests)::int AS n FROM keys.usage_hourly
          WHERE account_id = $1 AND action = 'secrets.read' GROUP BY actor_type`,
        [teamId],
      )) as { actor_type: 'key' | 'member'; n: number }[];
      const of = (type: string) => rows.find((row) => row.actor_type === type)?.n ?? 0;
      return { key: of('key'), member: of('member') };
    }
  });
});
