import { Injectable } from '@nestjs/common';
import { BoundRepository } from '@tessera/persistence';
import { IsNull, LessThan, MoreThan } from 'typeorm';
import { RefreshToken, Session } from './session.entity';

export type NewSession = Pick<
  Session,
  'id' | 'userId' | 'defaultAccountId' | 'signedInAt' | 'userAgent' | 'ip' | 'expiresAt'
>;

/** Sessions and their refresh tokens (stored by hash; each is exchanged once, then marked rotated). */
@Injectable()
export class SessionsRepository extends BoundRepository {
  async add(fields: NewSession): Promise<Session> {
    const session = this.manager.create(Session, fields);
    await this.manager.insert(Session, session);
    return session;
  }

  async addRefreshToken(tokenHash: string, sessionId: string): Promise<void> {
    await this.manager.insert(RefreshToken, { tokenHash, sessionId });
  }

  findRefreshToken(tokenHash: string): Promise<RefreshToken | null> {
    return this.manager.findOneBy(RefreshToken, { tokenHash });
  }

  lockRefreshToken(tokenHash: string): Promise<RefreshToken | null> {
    return this.manager.findOne(RefreshToken, { where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  async markRotated(tokenHash: string): Promise<void> {
    await this.manager.update(RefreshToken, { tokenHash }, { rotatedAt: new Date() });
  }

  /** The session, write-locked; when `userId` is given, only if it is that user's. */
  lock(id: string, userId?: string): Promise<Session | null> {
    return this.manager.findOne(Session, {
      where: { id, ...(userId ? { userId } : {}) },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Not revoked and not expired. */
  findLive(id: string): Promise<Session | null> {
    return this.manager.findOneBy(Session, { id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /** The user's live sessions, most recently used first. */
  listLiveOf(userId: string): Promise<Session[]> {
    return this.manager.find(Session, {
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { lastUsedAt: 'DESC' },
    });
  }

  /** Ids of these users' sessions, not revoked, whose person signed in before `before`. */
  async idsNotRevokedSignedInBefore(userIds: string[], before: Date): Promise<string[]> {
    const sessions = await this.manager.find(Session, {
      where: userIds.map((userId) => ({ userId, revokedAt: IsNull(), signedInAt: LessThan(before) })),
      select: { id: true },
    });
    return sessions.map(({ id }) => id);
  }

  async extend(id: string, lastUsedAt: Date, expiresAt: Date): Promise<void> {
    await this.manager.update(Session, { id }, { lastUsedAt, expiresAt });
  }

  async revoke(id: string, reason: string): Promise<void> {
    await this.manager.update(Session, { id }, { revokedAt: new Date(), revokedReason: reason });
  }
}
