import { AuthzCheckReply, AuthzCheckRequest, IssuedKey, KeyScope, Role } from '@tessera/contracts';
import { LOGGER, Logger, REDIS, generateApiKey } from '@tessera/runtime';
import Redis from 'ioredis';
import { TestEnvironment, eventually } from '@tessera/testing';
import { JSONCodec, NatsConnection } from 'nats';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import request from 'supertest';
import { RateLimiter } from '../apps/gateway/src/limits/rate-limiter';
import { FailureLimiter, MAX_BLOCKED_ADDRESSES } from '../apps/gateway/src/authz/failure-limiter';
import { FAILURE_FLOOR_MS } from '../apps/gateway/src/authz/principals';
import { GitHubPlatform } from './support/github-platform';
import { InProcessPlatform } from './support/in-process-platform';
import { TeamFixtures } from './support/teams';
import { TestUser } from './support/users';

const codec = JSONCodec();
const RESOURCE_ACTIONS = [
  'models.call',
  'endpoints.call',
  'apps.deploy',
  'apps.run',
  'apps.manage',
  'secrets.read',
  'platform.admin',
];
/** What an API-scope key may do; an ADMIN key may do all of the above. */
const API_KEY_ACTIONS = new Set(['models.call', 'endpoints.call', 'secrets.read']);

describe('API keys and the policy decision point', () => {
  let stack: GitHubPlatform;
  let environment: TestEnvironment;
  let platform: InProcessPlatform;
  let nc: NatsConnection;
  let teams: TeamFixtures;
  let admin: TestUser;
  let teamId: string;
  const members = {} as Record<Role, TestUser>;
  const secrets: string[] = [];
  let addresses = 0;

  beforeAll(async () => {
    stack = await GitHubPlatform.start({
      TESSERA_KEY_FAILURE_LIMIT: '20',
      TESSERA_USAGE_FLUSH_MS: '100',
    });
    ({ environment, platform, nc, fixtures: teams } = stack);
    admin = await teams.user('admin');
    teamId = await teams.createTeam(admin, 'Models');
    for (const role of ['developer', 'billing'] as const)
      members[role] = await teams.addMember(admin, teamId, role, role);
    members.admin = admin;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Each test that fails credentials on purpose does so from an address of its own (failures are limited). */
  const newAddress = () => `198.51.100.${(addresses += 1)}`;

  async function createKey(
    who: TestUser,
    accountId: string,
    scope: KeyScope,
    extra: Record<string, unknown> = {},
  ): Promise<IssuedKey> {
    const response = await teams
      .as(who)
      .post(`/v1/accounts/${accountId}/keys`)
      .send({ name: `${scope.toLowerCase()} key`, scope, ...extra })
      .expect(201);
    secrets.push(response.body.secret);
    return response.body;
  }

  async function check(body: Partial<AuthzCheckRequest>): Promise<AuthzCheckReply> {
    const reply = await nc.request('tessera.authz.check', codec.encode(body), { timeout: 5000 });
    return codec.decode(reply.data) as AuthzCheckReply;
  }

  const withKey = (secret: string) => `Key ${secret}`;

  describe('managing keys', () => {
    it('lets the Admin create a key whose secret is shown once, in the tsk_ format', async () => {
      const issued = await createKey(admin, teamId, 'API');
      expect(issued.secret).toMatch(/^tsk_[0-9A-Za-z]{38}$/);
      expect(issued.key).toMatchObject({
        accountId: teamId,
        name: 'api key',
        scope: 'API',
        prefix: issued.secret.slice(0, 8),
        last4: issued.secret.slice(-4),
        createdByUserId: admin.id,
        expiresAt: null,
        lastUsedAt: null,
      });
      const listed = await teams.as(admin).get(`/v1/accounts/${teamId}/keys`).expect(200);
      const json = JSON.stringify(listed.body);
      expect(json).toContain(issued.key.id);
      expect(json).not.toContain(issued.secret);
      expect(listed.body[0]).not.toHaveProperty('secret');
      const stored = await platform.query('SELECT * FROM keys.key_secrets WHERE key_id = $1', [
        issued.key.id,
      ]);
      expect(JSON.stringify(stored)).not.toContain(issued.secret.slice(4, 30));
    });

    it.each([
      ['admin', 201, 200, 204],
      ['developer', 403, 403, 403],
      ['billing', 403, 200, 403],
    ] as const)('gives a %s create %i, list %i, revoke %i', async (role, create, list, revoke) => {
      const key = await createKey(admin, teamId, 'API');
      const as = teams.as(members[role]);
      const created = await as.post(`/v1/accounts/${teamId}/keys`).send({ name: 'mine', scope: 'API' });
      expect(created.status).toBe(create);
      if (create === 201) secrets.push(created.body.secret);
      else expect(created.body.error.code).toBe('forbidden');
      expect((await as.get(`/v1/accounts/${teamId}/keys`)).status).toBe(list);
      expect((await as.delete(`/v1/accounts/${teamId}/keys/${key.key.id}`)).status).toBe(revoke);
      expect(
        (await as.post(`/v1/accounts/${teamId}/keys/${key.key.id}/rotate`).send({ graceSeconds: 0 })).status,
      ).toBe(revoke === 204 ? 404 : 403);
    });

    it('names who created each listed key, and lets every member count the keys without listing them', async () => {
      const issued = await createKey(admin, teamId, 'API');
      const listed = await teams.as(members.billing).get(`/v1/accounts/${teamId}/keys`).expect(200);
      const mine = listed.body.find((key: { id: string }) => key.id === issued.key.id);
      expect(mine).toMatchObject({
        createdByUserId: admin.id,
        createdBy: { userId: admin.id, email: admin.email, name: expect.stringMatching(/^User \d+$/) },
      });
      for (const role of ['admin', 'developer', 'billing'] as const) {
        const counted = await teams.as(members[role]).get(`/v1/accounts/${teamId}/keys/count`).expect(200);
        expect(counted.body).toEqual({ count: listed.body.length });
      }
      // The list itself stays closed to a Developer, with a code a dashboard can explain.
      const refused = await teams.as(members.developer).get(`/v1/accounts/${teamId}/keys`).expect(403);
      expect(refused.body.error.code).toBe('forbidden');
      // Outsiders learn nothing, not even that the account exists; keys never ask about keys.
      const outsider = await teams.user('keys-count-outsider');
      const hidden = await teams.as(outsider).get(`/v1/accounts/${teamId}/keys/count`).expect(404);
      expect(hidden.body.error.code).toBe('not_found');
      const byKey = await request(platform.http)
        .get(`/v1/accounts/${teamId}/keys/count`)
        .set('authorization', withKey(issued.secret))
        .expect(403);
      expect(byKey.body.error.code).toBe('forbidden');
    });

    it('lets the owner of a personal account manage its keys, and nobody else', async () => {
      const key = await createKey(members.developer, members.developer.personalAccountId, 'ADMIN');
      const stranger = await teams
        .as(members.billing)
        .get(`/v1/accounts/${members.developer.personalAccountId}/keys`);
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.code).toBe('not_found');
      const decision = await check({ authorization: withKey(key.secret), action: 'apps.deploy' });
      expect(decision).toMatchObject({
        allow: true,
        principal: {
          account: { id: members.developer.personalAccountId, kind: 'personal' },
          actor: { type: 'key', keyId: key.key.id, scope: 'ADMIN' },
          via: 'key',
        },
      });
    });

    it('refuses bad names, scopes, expiries and grace periods with validation_failed, writing nothing', async () => {
      const before = await platform.query('SELECT count(*)::int AS n FROM keys.api_keys');
      for (const body of [
        { name: '', scope: 'API' },
        { name: 'x'.repeat(65), scope: 'API' },
        { name: 'ok', scope: 'ROOT' },
        { name: 'ok', scope: 'API', expiresAt: 'tomorrow' },
        { name: 'ok', scope: 'API', expiresAt: new Date(Date.now() - 1000).toISOString() },
        { name: 'ok', scope: 'API', expiresIn: 3600 },
      ]) {
        const response = await teams.as(admin).post(`/v1/accounts/${teamId}/keys`).send(body).expect(400);
        expect(response.body.error.code).toBe('validation_failed');
        expect(response.body.error.details).toEqual([
          expect.objectContaining({ path: expect.any(String), message: expect.any(String) }),
        ]);
      }
      expect(await platform.query('SELECT count(*)::int AS n FROM keys.api_keys')).toEqual(before);
      const key = await createKey(admin, teamId, 'API');
      for (const graceSeconds of [-1, 1.5, 'soon', 604801]) {
        const response = await teams
          .as(admin)
          .post(`/v1/accounts/${teamId}/keys/${key.key.id}/rotate`)
          .send({ graceSeconds })
          .expect(400);
        expect(response.body.error).toMatchObject({
          code: 'validation_failed',
          details: [{ path: 'graceSeconds', message: expect.any(String) }],
        });
      }
      const malformed = await teams.as(admin).delete(`/v1/accounts/${teamId}/keys/not-a-key`).expect(400);
      expect(malformed.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'keyId' }] });
    });

    it('still takes the snake_case names of release 0.1, answering with a Deprecation header', async () => {
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const created = await teams
        .as(admin)
        .post(`/v1/accounts/${teamId}/keys`)
        .send({ name: 'old client', scope: 'API', expires_at: expiresAt })
        .expect(201);
      expect(created.headers.deprecation).toMatch(/^@\d+$/);
      expect(created.body.key.expiresAt).toBe(expiresAt);
      const rotated = await teams
        .as(admin)
        .post(`/v1/accounts/${teamId}/keys/${created.body.key.id}/rotate`)
        .send({ grace_seconds: 60 })
        .expect(200);
      expect(rotated.headers.deprecation).toMatch(/^@\d+$/);
      const current = await teams
        .as(admin)
        .post(`/v1/accounts/${teamId}/keys/${created.body.key.id}/rotate`)
        .send({ graceSeconds: 60 })
        .expect(200);
      expect(current.headers.deprecation).toBeUndefined();
    });

    it('answers 404 on every account route to a person who is not a member, as for no account at all', async () => {
      const key = await createKey(admin, teamId, 'API');
      const outsider = teams.as(await teams.user('outsider'));
      const missing = '00000000-0000-7000-8000-000000000000';
      for (const account of [teamId, missing]) {
        const routes: [string, request.Test][] = [
          ['create', outsider.post(`/v1/accounts/${account}/keys`).send({ name: 'x', scope: 'API' })],
          ['list', outsider.get(`/v1/accounts/${account}/keys`)],
          ['revoke', outsider.delete(`/v1/accounts/${account}/keys/${key.key.id}`)],
          [
            'rotate',
            outsider.post(`/v1/accounts/${account}/keys/${key.key.id}/rotate`).send({ graceSeconds: 0 }),
          ],
          ['usage', outsider.get(`/v1/accounts/${account}/usage`)],
        ];
        for (const [route, call] of routes) {
          const response = await call;
          expect({ route, status: response.status, code: response.body.error?.code }).toEqual({
            route,
            status: 404,
            code: 'not_found',
          });
        }
      }
      // A key of one account named under another account's path is no key of that account.
      const other = await createKey(members.billing, members.billing.personalAccountId, 'API');
      await teams.as(admin).delete(`/v1/accounts/${teamId}/keys/${other.key.id}`).expect(404);
      expect((await check({ authorization: withKey(other.secret), action: 'models.call' })).allow).toBe(true);
    });

    it('never lets a key manage keys, even an ADMIN key used by an Admin', async () => {
      const key = await createKey(admin, teamId, 'ADMIN');
      const response = await request(platform.http)
        .post(`/v1/accounts/${teamId}/keys`)
        .set('authorization', withKey(key.secret))
        .send({ name: 'from a key', scope: 'API' })
        .expect(403);
      expect(response.body.error.code).toBe('forbidden');
      await request(platform.http)
        .get(`/v1/accounts/${teamId}/keys`)
        .set('authorization', withKey(key.secret))
        .expect(403);
      await request(platform.http).get('/v1/me').set('authorization', withKey(key.secret)).expect(403);
    });
  });

  describe('the decision point', () => {
    it.each(
      (['API', 'ADMIN'] as const).flatMap((scope) =>
        RESOURCE_ACTIONS.map(
          (action) => [scope, action, scope === 'ADMIN' || API_KEY_ACTIONS.has(action)] as const,
        ),
      ),
    )('an %s key asking for %s → allow %s', async (scope, action, allowed) => {
      const key = await createKey(admin, teamId, scope);
      const decision = await check({ authorization: withKey(key.secret), action });
      expect(decision.allow).toBe(allowed);
      if (!allowed) expect(decision.reason).toBe('scope_insufficient');
      expect(decision.principal).toEqual({
        account: { id: teamId, kind: 'team' },
        actor: { type: 'key', keyId: key.key.id, scope },
        via: 'key',
      });
    });

    it.each(['keys.manage', 'members.manage', 'billing.manage'])('refuses %s to any key', async (action) => {
      const key = await createKey(admin, teamId, 'ADMIN');
      expect(await check({ authorization: withKey(key.secret), action })).toMatchObject({
        allow: false,
        reason: 'scope_insufficient',
      });
    });

    it('lets a Developer with the team ADMIN key deploy, but not create keys', async () => {
      const key = await createKey(admin, teamId, 'ADMIN');
      expect((await check({ authorization: withKey(key.secret), action: 'apps.deploy' })).allow).toBe(true);
      const bearer = `Bearer ${members.developer.token}`;
      expect(await check({ authorization: bearer, action: 'apps.deploy', account: teamId })).toMatchObject({
        allow: true,
        principal: {
          actor: { type: 'member', userId: members.developer.id, role: 'developer' },
          via: 'bearer',
        },
      });
      expect(await check({ authorization: bearer, action: 'keys.manage', account: teamId })).toMatchObject({
        allow: false,
        reason: 'forbidden',
      });
      await teams
        .as(members.developer)
        .post(`/v1/accounts/${teamId}/keys`)
        .send({ name: 'nope', scope: 'API' })
        .expect(403);
    });

    it("refuses team A's key for team B's account, without saying anything about B", async () => {
      const otherTeam = await teams.createTeam(members.billing, 'Other');
      const key = await createKey(admin, teamId, 'ADMIN');
      const decision = await check({
        authorization: withKey(key.secret),
        action: 'models.call',
        account: otherTeam,
      });
      expect(decision).toEqual({ allow: false, reason: 'not_a_member', message: expect.any(String) });
      const response = await request(platform.http)
        .get(`/v1/accounts/${otherTeam}/usage`)
        .set('authorization', withKey(key.secret))
        .expect(404);
      expect(response.body.error.code).toBe('not_found');
      const stranger = await teams.user('stranger');
      expect(
        await check({ authorization: `Bearer ${stranger.token}`, action: 'models.call', account: teamId }),
      ).toMatchObject({ allow: false, reason: 'not_a_member' });
    });

    it('gives unknown, revoked, expired, malformed and archived-team keys the same answer, never sooner than the floor', async () => {
      const archivedTeam = await teams.createTeam(admin, 'Archived');
      const ofArchived = await createKey(admin, archivedTeam, 'API');
      await teams.as(admin).post(`/v1/teams/${archivedTeam}/archive`).expect(200);
      const revoked = await createKey(admin, teamId, 'API');
      await teams.as(admin).delete(`/v1/accounts/${teamId}/keys/${revoked.key.id}`).expect(204);
      const expired = await createKey(admin, teamId, 'API', {
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
      await platform.query(
        `UPDATE keys.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [expired.key.id],
      );
      const valid = await createKey(admin, teamId, 'API');
      const cases = {
        unknown: generateApiKey(), // the right shape and checksum, never issued: only the database can tell
        revoked: revoked.secret,
        expired: expired.secret,
        malformed: `${valid.secret.slice(0, -1)}${valid.secret.endsWith('a') ? 'b' : 'a'}`,
        archived: ofArchived.secret,
      };
      for (const [kind, secret] of Object.entries(cases)) {
        const started = Date.now();
        const decision = await check({
          authorization: withKey(secret),
          action: 'models.call',
          clientAddress: newAddress(),
        });
        expect({ kind, decision }).toEqual({
          kind,
          decision: {
            allow: false,
            reason: 'invalid_credentials',
            message: 'The credentials are invalid, expired or revoked.',
          },
        });
        expect(Date.now() - started).toBeGreaterThanOrEqual(FAILURE_FLOOR_MS);
        const http = await request(platform.http).get('/v1/principal').set('authorization', withKey(secret));
        expect({ kind, status: http.status, body: http.body.error.code }).toEqual({
          kind,
          status: 401,
          body: 'invalid_credentials',
        });
      }
    });

    it('refuses a mistyped key by its checksum without asking the keys service', async () => {
      const key = await createKey(admin, teamId, 'API');
      const verifications: string[] = [];
      const spy = nc.subscribe('tessera.keys.key.verify', {
        callback: (_, m) => verifications.push(m.string()),
      });
      await nc.flush();
      const typo = `${key.secret.slice(0, 10)}${key.secret[10] === 'x' ? 'y' : 'x'}${key.secret.slice(11)}`;
      expect(
        await check({ authorization: withKey(typo), action: 'models.call', clientAddress: newAddress() }),
      ).toMatchObject({
        reason: 'invalid_credentials',
      });
      expect(await check({ authorization: withKey(key.secret), action: 'models.call' })).toMatchObject({
        allow: true,
      });
      await nc.flush();
      spy.unsubscribe();
      expect(verifications).toHaveLength(1); // the real key's first use, and nothing for the typo
    });

    it('refuses a key in the query string', async () => {
      const key = await createKey(admin, teamId, 'API');
      for (const query of [`key=${key.secret}`, `api_key=whatever`, `x=${key.secret}`]) {
        const response = await request(platform.http).get(`/v1/principal?${query}`).expect(400);
        expect(response.body.error.code).toBe('credential_in_query');
        expect(JSON.stringify(response.body)).not.toContain(key.secret);
      }
    });

    it('validates requests and names unknown actions', async () => {
      expect(await check({ action: 'models.call' })).toMatchObject({
        allow: false,
        reason: 'validation_failed',
      });
      expect(await check({ authorization: 'Key x', action: 'models.fly' })).toMatchObject({
        reason: 'unknown_action',
      });
      expect(await check({ authorization: 'Key x', action: 'models.call', account: 'team-a' })).toMatchObject(
        {
          reason: 'validation_failed',
          details: [{ path: 'account', message: 'Must be a UUID.' }],
        },
      );
      const unknownField = await check({
        authorization: 'Key x',
        action: 'models.call',
        acount: 'x',
      } as never);
      expect(unknownField).toMatchObject({ allow: false, reason: 'validation_failed' });
      expect(unknownField.details?.[0].message).toContain('acount');
      const garbage = await nc.request('tessera.authz.check', new TextEncoder().encode('{not json'));
      expect(codec.decode(garbage.data)).toMatchObject({ allow: false, reason: 'validation_failed' });
      const http = await request(platform.http)
        .post('/v1/authz/check')
        .send({ authorization: 1 })
        .expect(200);
      expect(http.body).toMatchObject({ allow: false, reason: 'validation_failed' });
    });

    it('slows down an address after repeated failures, and only that address', async () => {
      const key = await createKey(admin, teamId, 'API');
      const [attacker, bystander] = [newAddress(), newAddress()];
      for (let i = 0; i < 20; i++)
        await check({ authorization: 'Key tsk_nope', action: 'models.call', clientAddress: attacker });
      expect(
        await check({ authorization: withKey(key.secret), action: 'models.call', clientAddress: attacker }),
      ).toMatchObject({
        allow: false,
        reason: 'rate_limited',
      });
      expect(
        await check({ authorization: withKey(key.secret), action: 'models.call', clientAddress: bystander }),
      ).toMatchObject({
        allow: true,
      });
    });
    describe('over HTTP, where anyone can call', () => {
      const failOverHttp = (from: string, body: Record<string, unknown> = {}) =>
        request(platform.http)
          .post('/v1/authz/check')
          .set('x-forwarded-for', from)
          .send({ authorization: 'Key tsk_nope', action: 'models.call', ...body })
          .expect(200);

      it('ignores a body clientAddress, so nobody can lock another address out of key use', async () => {
        const key = await createKey(admin, teamId, 'API');
        const [attacker, victim] = [newAddress(), newAddress()];
        for (let i = 0; i < 20; i++) await failOverHttp(attacker, { clientAddress: victim });
        expect(
          await check({ authorization: withKey(key.secret), action: 'models.call', clientAddress: victim }),
        ).toMatchObject({ allow: true });
      });

      it('counts failures against the connection however the body names the client', async () => {
        const key = await createKey(admin, teamId, 'API');
        const attacker = newAddress();
        for (let i = 0; i < 20; i++) await failOverHttp(attacker, { clientAddress: newAddress() });
        const after = await request(platform.http)
          .post('/v1/authz/check')
          .set('x-forwarded-for', attacker)
          .send({ authorization: withKey(key.secret), action: 'models.call' })
          .expect(200);
        expect(after.body).toMatchObject({ allow: false, reason: 'rate_limited' });
      });

      it('counts addresses relayed on the bus apart, so the bus cannot lock an address out of HTTP', async () => {
        const key = await createKey(admin, teamId, 'API');
        const victim = newAddress();
        for (let i = 0; i < 20; i++)
          await check({ authorization: 'Key tsk_nope', action: 'models.call', clientAddress: victim });
        const fromVictim = await request(platform.http)
          .post('/v1/authz/check')
          .set('x-forwarded-for', victim)
          .send({ authorization: withKey(key.secret), action: 'models.call' })
          .expect(200);
        expect(fromVictim.body).toMatchObject({ allow: true });
      });
    });

    it('remembers a bounded number of blocked addresses however many fail', async () => {
      const config = { ...platform.config, keyFailureLimit: 1 };
      const limiter = new FailureLimiter(
        new RateLimiter(platform.gateway.get<Redis>(REDIS), config, platform.gateway.get<Logger>(LOGGER)),
        config,
      );
      const flood = Array.from({ length: MAX_BLOCKED_ADDRESSES + 500 }, (_, i) => `flood-${i}`);
      for (let start = 0; start < flood.length; start += 500)
        await Promise.all(flood.slice(start, start + 500).map((address) => limiter.failed(address)));
      expect(limiter.blockedCount).toBeLessThanOrEqual(MAX_BLOCKED_ADDRESSES);
      expect(() => limiter.check(flood[flood.length - 1])).toThrow(/Too many failed attempts/);
    });
  });

  describe('rotation', () => {
    it('keeps the old secret working through the grace period only', async () => {
      const key = await createKey(admin, teamId, 'API');
      expect((await check({ authorization: withKey(key.secret), action: 'models.call' })).allow).toBe(true);
      const rotated = await teams
        .as(admin)
        .post(`/v1/accounts/${teamId}/keys/${key.key.id}/rotate`)
        .send({ graceSeconds: 2 })
        .expect(200);
      secrets.push(rotated.body.secret);
      expect(rotated.body.key.id).toBe(key.key.id);
      expect(rotated.body.secret).not.toBe(key.secret);
      expect(rotated.body.key.previousSecretValidUntil).not.toBeNull();
      expect((await check({ authorization: withKey(key.secret), action: 'models.call' })).allow).toBe(true);
      expect(
        (await check({ authorization: withKey(rotated.body.secret), action: 'models.call' })).allow,
      ).toBe(true);
      await new Promise((done) => setTimeout(done, 2100));
      expect(
        await check({
          authorization: withKey(key.secret),
          action: 'models.call',
          clientAddress: newAddress(),
        }),
      ).toMatchObject({ allow: false, reason: 'invalid_credentials' });
      expect(
        (await check({ authorization: withKey(rotated.body.secret), action: 'models.call' })).allow,
      ).toBe(true);

      const again = await teams
        .as(admin)
        .post(`/v1/accounts/${teamId}/keys/${key.key.id}/rotate`)
        .send({ graceSeconds: 0 })
        .expect(200);
      secrets.push(again.body.secret);
      expect(
        await check({
          authorization: withKey(rotated.body.secret),
          action: 'models.call',
          clientAddress: newAddress(),
        }),
      ).toMatchObject({ reason: 'invalid_credentials' });
      await teams.as(admin).delete(`/v1/accounts/${teamId}/keys/${key.key.id}`).expect(204);
      const revoked = await teams
        .as(admin)
        .post(`/v1/accounts/${teamId}/keys/${key.key.id}/rotate`)
        .send({ graceSeconds: 0 })
        .expect(404);
      expect(revoked.body.error.code).toBe('not_found');
    });
  });

  describe('with two gateways', () => {
    let second: ReturnType<InProcessPlatform['addGateway']> extends Promise<infer T> ? T : never;

    beforeAll(async () => {
      second = await platform.addGateway();
    });

    /** Asks the second gateway until it refuses; answers how long that took. */
    async function refusedBySecond(authorization: string, account?: string): Promise<number> {
      const started = Date.now();
      await eventually(async () => {
        const response = await request(second)
          .post('/v1/authz/check')
          .send({ authorization, action: 'models.call', account, clientAddress: newAddress() })
          .expect(200);
        expect(response.body.allow).toBe(false);
      });
      return Date.now() - started;
    }

    async function allowedBySecond(authorization: string, account?: string): Promise<void> {
      const response = await request(second)
        .post('/v1/authz/check')
        .send({ authorization, action: 'models.call', account })
        .expect(200);
      expect(response.body.allow).toBe(true);
    }

    it('refuses a key revoked through the first gateway on the second within a second', async () => {
      const key = await createKey(admin, teamId, 'API');
      await allowedBySecond(withKey(key.secret));
      await teams.as(admin).delete(`/v1/accounts/${teamId}/keys/${key.key.id}`).expect(204);
      expect(await refusedBySecond(withKey(key.secret))).toBeLessThan(1000);
    });

    it('refuses a removed member and an archived team on the second gateway within a second', async () => {
      const team = await teams.createTeam(admin, 'Short-lived');
      const member = await teams.addMember(admin, team, 'developer', 'leaver');
      const key = await createKey(admin, team, 'API');
      await allowedBySecond(`Bearer ${member.token}`, team);
      await allowedBySecond(withKey(key.secret));
      await teams.as(admin).delete(`/v1/teams/${team}/members/${member.id}`).expect(204);
      expect(await refusedBySecond(`Bearer ${member.token}`, team)).toBeLessThan(1000);
      await teams.as(admin).post(`/v1/teams/${team}/archive`).expect(200);
      expect(await refusedBySecond(withKey(key.secret))).toBeLessThan(1000);
    });
  });

  describe('usage', () => {
    it('counts 1,000 recorded checks by two members and one key, by actor and by action', async () => {
      const team = await teams.createTeam(admin, 'Metered');
      const developer = await teams.addMember(admin, team, 'developer', 'metered-dev');
      const key = await createKey(admin, team, 'ADMIN');
      const plan = [
        ...Array.from({ length: 400 }, () => ({
          authorization: `Bearer ${admin.token}`,
          action: 'models.call',
        })),
        ...Array.from({ length: 350 }, () => ({
          authorization: `Bearer ${developer.token}`,
          action: 'endpoints.call',
        })),
        ...Array.from({ length: 250 }, (_, i) => ({
          authorization: withKey(key.secret),
          action: i % 2 ? 'apps.run' : 'models.call',
        })),
      ];
      for (let i = 0; i < plan.length; i += 50) {
        const replies = await Promise.all(
          plan.slice(i, i + 50).map((body) => check({ ...body, account: team, record: true })),
        );
        expect(replies.every((reply) => reply.allow)).toBe(true);
      }
      // Unrecorded checks are not counted.
      await check({ authorization: withKey(key.secret), action: 'models.call' });

      const byActor = await eventually(async () => {
        const response = await teams.as(admin).get(`/v1/accounts/${team}/usage?group_by=actor`).expect(200);
        expect(
          response.body.rows.reduce((sum: number, row: { requests: number }) => sum + row.requests, 0),
        ).toBe(1000);
        return response.body;
      });
      expect(byActor.rows).toEqual([
        {
          actor: expect.objectContaining({ type: 'member', id: admin.id, email: admin.email }),
          requests: 400,
        },
        { actor: expect.objectContaining({ type: 'member', id: developer.id }), requests: 350 },
        { actor: { type: 'key', id: key.key.id, label: 'Team key', keyName: 'admin key' }, requests: 250 },
      ]);
      const byAction = await request(platform.http)
        .get(`/v1/accounts/${team}/usage?group_by=action`)
        .set('authorization', withKey(key.secret))
        .expect(200);
      expect(byAction.body.rows).toEqual([
        { action: 'models.call', requests: 525 },
        { action: 'endpoints.call', requests: 350 },
        { action: 'apps.run', requests: 125 },
      ]);

      await teams.as(developer).get(`/v1/accounts/${team}/usage`).expect(403);
      const apiKey = await createKey(admin, team, 'API');
      const denied = await request(platform.http)
        .get(`/v1/accounts/${team}/usage`)
        .set('authorization', withKey(apiKey.secret))
        .expect(403);
      expect(denied.body.error.code).toBe('scope_insufficient');
      const badGrouping = await teams.as(admin).get(`/v1/accounts/${team}/usage?group_by=day`).expect(400);
      expect(badGrouping.body.error).toMatchObject({
        code: 'validation_failed',
        details: [expect.objectContaining({ path: 'groupBy' })],
      });
      const backwards = await teams
        .as(admin)
        .get(`/v1/accounts/${team}/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`)
        .expect(400);
      expect(backwards.body.error.details).toEqual([{ path: 'to', message: '`from` must be before `to`.' }]);
      const byDay = await teams
        .as(admin)
        .get(`/v1/accounts/${team}/usage?from=2026-01-01&to=2026-01-02`)
        .expect(200);
      expect(byDay.body).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' });
      const both = await teams
        .as(admin)
        .get(`/v1/accounts/${team}/usage?group_by=day&groupBy=action`)
        .expect(200);
      expect(both.body.groupBy).toBe('action');
      const unknown = await teams.as(admin).get(`/v1/accounts/${team}/usage?group=actor`).expect(400);
      expect(unknown.body.error.code).toBe('validation_failed');
      const renamed = await teams.as(admin).get(`/v1/accounts/${team}/usage?group_by=action`).expect(200);
      expect(renamed.headers.deprecation).toBeDefined();
      const camel = await teams.as(admin).get(`/v1/accounts/${team}/usage?groupBy=action`).expect(200);
      expect(camel.headers.deprecation).toBeUndefined();
      expect(camel.body.rows).toEqual(renamed.body.rows);
      const rows = (await platform.query(
        'SELECT count(*)::int AS n FROM keys.usage_hourly WHERE account_id = $1',
        [team],
      )) as { n: number }[];
      expect(rows[0].n).toBe(4);
    });

    it('splits usage by hour or by day, per member, team key or action, for a chart over a range', async () => {
      const team = await teams.createTeam(admin, 'Charted');
      const developer = await teams.addMember(admin, team, 'developer', 'charted-dev');
      const billing = await teams.addMember(admin, team, 'billing', 'charted-billing');
      const key = await createKey(admin, team, 'API');
      const count = (
        actorType: 'member' | 'key',
        actorId: string,
        action: string,
        hour: string,
        requests: number,
      ) => ({ accountId: team, actorType, actorId, action, hour, requests });
      await stack.rpc.request('tessera.keys.usage.record', {
        batchId: randomUUID(),
        counts: [
          count('member', admin.id, 'models.call', '2026-03-01T10:00:00.000Z', 5),
          count('member', developer.id, 'models.call', '2026-03-01T10:00:00.000Z', 3),
          count('key', key.key.id, 'models.call', '2026-03-01T11:00:00.000Z', 7),
          count('key', key.key.id, 'endpoints.call', '2026-03-02T09:00:00.000Z', 2),
          // Outside the range asked below: never counted.
          count('key', key.key.id, 'models.call', '2026-03-03T00:00:00.000Z', 100),
        ],
      });
      const usage = (who: TestUser, query: string) =>
        teams.as(who).get(`/v1/accounts/${team}/usage?from=2026-03-01&to=2026-03-03&${query}`);
      const adminActor = expect.objectContaining({ type: 'member', id: admin.id, email: admin.email });
      const developerActor = expect.objectContaining({ type: 'member', id: developer.id });
      const teamKey = { type: 'key', id: key.key.id, label: 'Team key', keyName: 'api key' };

      const hourly = await usage(admin, 'groupBy=actor&interval=hour').expect(200);
      expect(hourly.body).toMatchObject({ groupBy: 'actor', interval: 'hour' });
      expect(hourly.body.rows).toEqual([
        { period: '2026-03-01T10:00:00.000Z', actor: adminActor, requests: 5 },
        { period: '2026-03-01T10:00:00.000Z', actor: developerActor, requests: 3 },
        { period: '2026-03-01T11:00:00.000Z', actor: teamKey, requests: 7 },
        { period: '2026-03-02T09:00:00.000Z', actor: teamKey, requests: 2 },
      ]);
      const daily = await usage(billing, 'groupBy=action&interval=day').expect(200);
      expect(daily.body).toMatchObject({ groupBy: 'action', interval: 'day' });
      expect(daily.body.rows).toEqual([
        { period: '2026-03-01T00:00:00.000Z', action: 'models.call', requests: 15 },
        { period: '2026-03-02T00:00:00.000Z', action: 'endpoints.call', requests: 2 },
      ]);
      // Without an interval, the report is as before: one row per actor over the whole range.
      const totals = await usage(admin, 'groupBy=actor').expect(200);
      expect(totals.body.interval).toBeNull();
      expect(totals.body.rows).toEqual([
        { actor: teamKey, requests: 9 },
        { actor: adminActor, requests: 5 },
        { actor: developerActor, requests: 3 },
      ]);

      const refused = await usage(developer, 'interval=day').expect(403);
      expect(refused.body.error.code).toBe('forbidden');
      const outsider = await teams.user('charted-outsider');
      expect((await usage(outsider, 'interval=day').expect(404)).body.error.code).toBe('not_found');
      const weekly = await usage(admin, 'interval=week').expect(400);
      expect(weekly.body.error.details).toEqual([expect.objectContaining({ path: 'interval' })]);
      const longHourly = await teams
        .as(admin)
        .get(`/v1/accounts/${team}/usage?from=2026-01-01&to=2026-03-01&interval=hour`)
        .expect(400);
      expect(longHourly.body.error).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'interval', message: expect.stringContaining('31 days') }],
      });
    });

    it('keeps deciding with a cached key while the keys service is down, and loses no usage', async () => {
      const key = await createKey(admin, teamId, 'API');
      // Over HTTP, so that every check reaches the same gateway (on NATS, any gateway of the queue group answers).
      const decide = async (body: Partial<AuthzCheckRequest>) =>
        (await request(platform.http).post('/v1/authz/check').send(body).expect(200)).body as AuthzCheckReply;
      const authorization = withKey(key.secret);
      expect((await decide({ authorization, action: 'models.call' })).allow).toBe(true);
      await platform.stopService('keys');
      try {
        for (let i = 0; i < 10; i++)
          expect((await decide({ authorization, action: 'endpoints.call', record: true })).allow).toBe(true);
        const unknown = await request(platform.http)
          .post('/v1/authz/check')
          .send({ authorization: withKey(generateApiKey()), action: 'models.call' })
          .expect(503);
        expect(unknown.body.error.code).toBe('service_unavailable');
        await new Promise((done) => setTimeout(done, 300)); // a few failed flushes
      } finally {
        await platform.startService('keys');
      }
      await eventually(async () => {
        const response = await teams.as(admin).get(`/v1/accounts/${teamId}/usage?group_by=actor`).expect(200);
        expect(response.body.rows).toContainEqual({
          actor: expect.objectContaining({ type: 'key', id: key.key.id }),
          requests: 10,
        });
      });
    });

    it("records a key's last use, at most once a minute", async () => {
      const key = await createKey(admin, teamId, 'API');
      await check({ authorization: withKey(key.secret), action: 'models.call' });
      const first = await eventually(async () => {
        const [row] = (await platform.query('SELECT last_used_at FROM keys.api_keys WHERE id = $1', [
          key.key.id,
        ])) as { last_used_at: Date | null }[];
        expect(row.last_used_at).not.toBeNull();
        return row.last_used_at!;
      });
      await check({ authorization: withKey(key.secret), action: 'models.call' });
      await new Promise((done) => setTimeout(done, 300));
      const [row] = (await platform.query('SELECT last_used_at FROM keys.api_keys WHERE id = $1', [
        key.key.id,
      ])) as { last_used_at: Date }[];
      expect(row.last_used_at).toEqual(first);
      const listed = await teams.as(admin).get(`/v1/accounts/${teamId}/keys`).expect(200);
      expect(listed.body.find((k: { id: string }) => k.id === key.key.id).lastUsedAt).toBe(
        first.toISOString(),
      );
    });
  });

  it('answers the runnable example in examples/, which uses nothing but the nats client', async () => {
    const key = await createKey(admin, teamId, 'API');
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((done) => {
        const child = spawn(process.execPath, [resolve(__dirname, '../examples/authz-check.mjs'), ...args], {
          env: { ...process.env, NATS_URL: environment.nats.url },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.once('exit', (code) => done({ code, stdout }));
      });
    const allowed = await run(withKey(key.secret), 'models.call');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ allow: true, principal: { via: 'key' } });
    const denied = await run(withKey(key.secret), 'apps.deploy');
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({ allow: false, reason: 'scope_insufficient' });
  });

  it('never writes a key secret into a log line', () => {
    expect(secrets.length).toBeGreaterThan(20);
    const text = platform.logs.raw.join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret.slice(4));
  });
});
