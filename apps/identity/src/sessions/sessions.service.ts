import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { ClientInfo, SessionRef, SessionRevokedReason, SessionView, TokenGrant } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { CONFIG, randomToken, sha256 } from '@tessera/runtime';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { IdentityErrors } from '../identity.errors';
import { AccessTokensService } from '../tokens/access-tokens.service';
import { HOUR_MS, SessionPolicy } from './session-policy';
import { Session } from './session.entity';
import { SessionsRepository } from './sessions.repository';

const REFRESH_TOKEN_PREFIX = 'tsr_';

/** Where a new session comes from, when not a plain sign-in now for the personal account. */
export interface SessionOrigin {
  defaultAccountId?: string;
  signedInAt?: Date;
}

/**
 * Sessions and their rotating refresh tokens. A refresh token is exchanged exactly once; presenting an exchanged
 * one again means it was copied, so the whole session is revoked (and the gateway told, through the outbox).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly outbox: OutboxWriter,
    private readonly accessTokens: AccessTokensService,
    private readonly policy: SessionPolicy,
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * Opens a session inside the caller's transaction; returns its first refresh token. `signedInAt`: when the
   * person proved who they are, if not now (a device login inherits the approving session's).
   */
  async open(
    manager: EntityManager,
    userId: string,
    client: ClientInfo,
    { defaultAccountId, signedInAt }: SessionOrigin = {},
  ): Promise<{ session: Session; refreshToken: string }> {
    const sessions = this.sessions.in(manager);
    const session = await sessions.add({
      id: uuidv7(),
      userId,
      defaultAccountId: defaultAccountId ?? null,
      signedInAt: signedInAt ?? new Date(),
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip ?? null,
      expiresAt: this.newExpiry(),
    });
    return { session, refreshToken: await this.issueRefreshToken(sessions, session.id) };
  }

  /**
   * Exchanges a refresh token for a new one and an access token; a session the user's policies no longer allow
   * (`sessions.maxAgeHours`) ends here instead.
   */
  async refresh(refreshToken: string): Promise<TokenGrant> {
    const outcome = await this.sessions.transaction(async (manager) => {
      const sessions = this.sessions.in(manager);
      const current = await this.lockToken(sessions, refreshToken);
      if (!current) return { error: true as const };
      const { token, session } = current;
      if (token.rotatedAt) {
        await this.revokeIn(manager, session, 'refresh_token_reused');
        return { error: true as const };
      }
      if (!(await this.policy.allows(session.userId, session.signedInAt))) {
        await this.revokeIn(manager, session, 'policy');
        return { error: true as const };
      }
      await sessions.markRotated(token.tokenHash);
      session.lastUsedAt = new Date();
      session.expiresAt = this.newExpiry();
      await sessions.extend(session.id, session.lastUsedAt, session.expiresAt);
      return { session, refreshToken: await this.issueRefreshToken(sessions, session.id) };
    });
    if ('error' in outcome) throw IdentityErrors.invalidGrant();
    return this.accessTokens.grant(outcome.session, outcome.refreshToken);
  }

  /**
   * The session a current refresh token belongs to, without exchanging it (browser pages, logout). The one way
   * a session cookie is read besides refresh, so it applies the same policy: a session too old ends here.
   */
  async resolve(refreshToken: string): Promise<SessionRef> {
    const row = await this.sessions.findRefreshToken(sha256(refreshToken));
    const session = row && !row.rotatedAt ? await this.allowedSession(row.sessionId) : null;
    if (!session) throw IdentityErrors.invalidGrant();
    return { sessionId: session.id, userId: session.userId };
  }

  /** When the person behind a live session of this user, still allowed by policy, signed in. */
  async signedInAt(sessionId: string, userId: string): Promise<Date> {
    const session = await this.allowedSession(sessionId);
    if (!session || session.userId !== userId) throw IdentityErrors.sessionEnded();
    return session.signedInAt;
  }

  async grantFor(
    manager: EntityManager,
    userId: string,
    client: ClientInfo,
    origin: SessionOrigin = {},
  ): Promise<TokenGrant> {
    const { session, refreshToken } = await this.open(manager, userId, client, origin);
    return this.accessTokens.grant(session, refreshToken);
  }

  async revoke(
    sessionId: string,
    userId: string | undefined,
    reason: SessionRevokedReason,
  ): Promise<SessionRef> {
    return this.sessions.transaction(async (manager) => {
      const session = await this.sessions.in(manager).lock(sessionId, userId);
      if (!session) throw IdentityErrors.notFound('The session');
      if (!session.revokedAt) await this.revokeIn(manager, session, reason);
      return { sessionId: session.id, userId: session.userId };
    });
  }

  /** Ends the users' live sessions signed in more than `hours` ago (a policy that just changed). Idempotent. */
  async endOlderThan(userIds: string[], hours: number): Promise<void> {
    if (userIds.length === 0) return;
    const before = new Date(Date.now() - hours * HOUR_MS);
    for (const id of await this.sessions.idsNotRevokedSignedInBefore(userIds, before))
      await this.revoke(id, undefined, 'policy');
  }

  async list(userId: string): Promise<SessionView[]> {
    const sessions = await this.sessions.listLiveOf(userId);
    return sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
    }));
  }

  private async revokeIn(manager: EntityManager, session: Session, reason: SessionRevokedReason) {
    await this.sessions.in(manager).revoke(session.id, reason);
    await this.outbox.add(manager, 'tessera.events.identity.session.revoked', {
      sessionId: session.id,
      userId: session.userId,
      reason,
    });
  }

  private async lockToken(sessions: SessionsRepository, refreshToken: string) {
    if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) return undefined;
    const token = await sessions.lockRefreshToken(sha256(refreshToken));
    if (!token) return undefined;
    const session = await sessions.lock(token.sessionId);
    if (!session || session.revokedAt || session.expiresAt < new Date()) return undefined;
    return { token, session };
  }

  /** A live session its user's policies still allow; one they no longer allow ends here (reason `policy`). */
  private async allowedSession(id: string): Promise<Session | null> {
    const session = await this.sessions.findLive(id);
    if (!session || (await this.policy.allows(session.userId, session.signedInAt))) return session;
    await this.revoke(session.id, undefined, 'policy');
    return null;
  }

  private async issueRefreshToken(sessions: SessionsRepository, sessionId: string): Promise<string> {
    const token = `${REFRESH_TOKEN_PREFIX}${randomToken(32)}`;
    await sessions.addRefreshToken(sha256(token), sessionId);
    return token;
  }

  private newExpiry(): Date {
    return new Date(Date.now() + this.config.sessionTtlDays * 86_400_000);
  }
}
