import { TestingModule } from '@nestjs/testing';
import { PolicySettings, RpcClient, TesseraError } from '@tessera/contracts';
import { RpcStandIn, ServiceTestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { identityService } from '../identity.module';
import { AccessTokensService } from '../tokens/access-tokens.service';
import { SigningKeysService } from '../tokens/signing-keys.service';
import { SessionPolicy } from './session-policy';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const HOUR_MS = 3600_000;

/** Medium spec: session rules on a migrated identity schema; teams' policy answer is an in-process stand-in. */
describe('SessionsService', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let sessions: SessionsService;
  let repository: SessionsRepository;
  /** What teams answers as each user's session policy. */
  const policies = new Map<string, PolicySettings>();

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(identityService);
    const teams = new RpcStandIn({
      'tessera.teams.policy.for-user': ({ userId }) => policies.get(userId) ?? {},
    });
    module = await db.module([
      { provide: RpcClient, useValue: teams.client },
      SigningKeysService,
      AccessTokensService,
      SessionPolicy,
      SessionsRepository,
      SessionsService,
    ]);
    sessions = module.get(SessionsService);
    repository = module.get(SessionsRepository);
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  /** A new session of a new user (as sign-in opens it), with its first refresh token. */
  async function signIn(signedInAt?: Date) {
    const userId = randomUUID();
    await db.query(`INSERT INTO identity.users (id, email) VALUES ($1, $2)`, [
      userId,
      `${userId}@example.com`,
    ]);
    const { session, refreshToken } = await repository.transaction((manager) =>
      sessions.open(manager, userId, { userAgent: 'jest', ip: '127.0.0.1' }, { signedInAt }),
    );
    return { userId, sessionId: session.id, refreshToken };
  }

  async function revocation(sessionId: string) {
    const [row] = await db.query<{ revoked: boolean; reason: string | null }>(
      `SELECT revoked_at IS NOT NULL AS revoked, revoked_reason AS reason FROM identity.sessions WHERE id = $1`,
      [sessionId],
    );
    return row;
  }

  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: TesseraError) => error.code,
    );

  it('exchanges a refresh token for a new one, once', async () => {
    const { refreshToken, sessionId, userId } = await signIn();
    const grant = await sessions.refresh(refreshToken);
    expect(grant.refresh_token).toMatch(/^tsr_/);
    expect(grant.refresh_token).not.toBe(refreshToken);
    await expect(sessions.resolve(grant.refresh_token)).resolves.toEqual({ sessionId, userId });
    await expect(code(sessions.resolve(refreshToken))).resolves.toBe('invalid_grant');
  });

  it('revokes the whole session when an exchanged refresh token comes back', async () => {
    const { refreshToken, sessionId } = await signIn();
    const { refresh_token: next } = await sessions.refresh(refreshToken);
    await expect(code(sessions.refresh(refreshToken))).resolves.toBe('invalid_grant');
    expect(await revocation(sessionId)).toEqual({ revoked: true, reason: 'refresh_token_reused' });
    await expect(code(sessions.refresh(next))).resolves.toBe('invalid_grant');
    const [event] = await db.query(
      `SELECT envelope->'data' AS data FROM identity.outbox
        WHERE subject = 'tessera.events.identity.session.revoked' AND envelope->'data'->>'sessionId' = $1`,
      [sessionId],
    );
    expect(event).toMatchObject({ data: { sessionId, reason: 'refresh_token_reused' } });
  });

  it('refuses a token that is not one, and one of an expired session', async () => {
    await expect(code(sessions.refresh('not-a-token'))).resolves.toBe('invalid_grant');
    await expect(code(sessions.refresh('tsr_unknown'))).resolves.toBe('invalid_grant');
    const { refreshToken, sessionId } = await signIn();
    await db.query(`UPDATE identity.sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      sessionId,
    ]);
    await expect(code(sessions.refresh(refreshToken))).resolves.toBe('invalid_grant');
  });

  it("ends a session older than the user's sessions.maxAgeHours at its next refresh", async () => {
    const { refreshToken, sessionId, userId } = await signIn(new Date(Date.now() - 3 * HOUR_MS));
    policies.set(userId, { 'sessions.maxAgeHours': 2 });
    await expect(code(sessions.refresh(refreshToken))).resolves.toBe('invalid_grant');
    expect(await revocation(sessionId)).toEqual({ revoked: true, reason: 'policy' });
  });

  it('ends a session too old for the policy when it is resolved, too', async () => {
    const { refreshToken, sessionId, userId } = await signIn(new Date(Date.now() - 3 * HOUR_MS));
    policies.set(userId, { 'sessions.maxAgeHours': 4 });
    await expect(sessions.resolve(refreshToken)).resolves.toEqual({ sessionId, userId });
    policies.set(userId, { 'sessions.maxAgeHours': 1 });
    await expect(code(sessions.resolve(refreshToken))).resolves.toBe('invalid_grant');
    await expect(code(sessions.signedInAt(sessionId, userId))).resolves.toBe('unauthenticated');
  });

  it("revokes only the user's own session, once, with the reason given", async () => {
    const { sessionId, userId, refreshToken } = await signIn();
    await expect(code(sessions.revoke(sessionId, randomUUID(), 'logout'))).resolves.toBe('not_found');
    await expect(sessions.revoke(sessionId, userId, 'logout')).resolves.toEqual({ sessionId, userId });
    await expect(sessions.revoke(sessionId, userId, 'revoked_by_user')).resolves.toEqual({
      sessionId,
      userId,
    });
    expect(await revocation(sessionId)).toEqual({ revoked: true, reason: 'logout' });
    expect(await sessions.list(userId)).toEqual([]);
    await expect(code(sessions.refresh(refreshToken))).resolves.toBe('invalid_grant');
  });

  it('ends the live sessions signed in before a new maximum age, and keeps the younger ones', async () => {
    const old = await signIn(new Date(Date.now() - 5 * HOUR_MS));
    const young = await signIn(new Date(Date.now() - HOUR_MS));
    await sessions.endOlderThan([old.userId, young.userId], 2);
    expect(await revocation(old.sessionId)).toEqual({ revoked: true, reason: 'policy' });
    expect(await revocation(young.sessionId)).toEqual({ revoked: false, reason: null });
  });

  it("lists the user's live sessions, most recently used first", async () => {
    const first = await signIn();
    const second = await repository.transaction((manager) => sessions.open(manager, first.userId, {}));
    await sessions.refresh(first.refreshToken);
    const listed = await sessions.list(first.userId);
    expect(listed.map((s) => s.id)).toEqual([first.sessionId, second.session.id]);
    expect(listed[0]).toMatchObject({ userAgent: 'jest', ip: '127.0.0.1' });
    expect(listed[1]).toMatchObject({ userAgent: null, ip: null });
  });
});
