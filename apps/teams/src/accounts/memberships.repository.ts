import { Injectable } from '@nestjs/common';
import { AccountKind, Role } from '@tessera/contracts';
import { BoundRepository } from '@tessera/persistence';
import { In } from 'typeorm';
import { Membership } from './account.entity';

/** An account the user belongs to, directly or as an Org Admin of its organization, with that role. */
export interface MemberAccountRow {
  id: string;
  kind: AccountKind;
  name: string;
  organization_id: string | null;
  role: Role;
}

/** Who belongs to which account, with which role. */
@Injectable()
export class MembershipsRepository extends BoundRepository {
  async add(accountId: string, userId: string, role: Role, provisionedBySso = false): Promise<void> {
    await this.manager.insert(Membership, { accountId, userId, role, provisionedBySso });
  }

  find(accountId: string, userId: string): Promise<Membership | null> {
    return this.manager.findOneBy(Membership, { accountId, userId });
  }

  exists(accountId: string, userId: string): Promise<boolean> {
    return this.manager.existsBy(Membership, { accountId, userId });
  }

  isAdmin(accountId: string, userId: string): Promise<boolean> {
    return this.manager.existsBy(Membership, { accountId, userId, role: 'admin' });
  }

  /** The memberships of these accounts, oldest first. */
  listIn(accountIds: string[]): Promise<Membership[]> {
    return this.manager.find(Membership, {
      where: { accountId: In(accountIds) },
      order: { createdAt: 'ASC' },
    });
  }

  /** Everyone who belongs to any of these accounts, once each. */
  async userIdsIn(accountIds: string[]): Promise<string[]> {
    const members = await this.manager.find(Membership, {
      where: { accountId: In(accountIds) },
      select: { userId: true },
    });
    return [...new Set(members.map((m) => m.userId))];
  }

  /** All the account's memberships, write-locked until commit: the Admins counted cannot change meanwhile. */
  lockAll(accountId: string): Promise<Membership[]> {
    return this.manager.find(Membership, { where: { accountId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The user's memberships among these accounts. */
  findOfUserIn(userId: string, accountIds: string[]): Promise<Membership[]> {
    return this.manager.find(Membership, { where: { userId, accountId: In(accountIds) } });
  }

  /** Which of these users are Admins of the account. */
  adminsAmong(accountId: string, userIds: string[]): Promise<Membership[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.manager.findBy(Membership, { accountId, role: 'admin', userId: In(userIds) });
  }

  /** The user's Admin memberships among these accounts. */
  adminMembershipsOf(userId: string, accountIds: string[]): Promise<Membership[]> {
    return this.manager.findBy(
      Membership,
      accountIds.map((accountId) => ({ accountId, userId, role: 'admin' as const })),
    );
  }

  countAdmins(accountId: string): Promise<number> {
    return this.manager.countBy(Membership, { accountId, role: 'admin' });
  }

  async setRole(accountId: string, userId: string, role: Role): Promise<void> {
    await this.manager.update(Membership, { accountId, userId }, { role });
  }

  async remove(accountId: string, userId: string): Promise<void> {
    await this.manager.delete(Membership, { accountId, userId });
  }

  /** Whether the user belongs to a live team of the organization. */
  async inOrganizationTeams(userId: string, organizationId: string): Promise<boolean> {
    const rows = (await this.manager.query(
      `SELECT 1 FROM teams.memberships m JOIN teams.accounts a ON a.id = m.account_id
        WHERE m.user_id = $1 AND a.organization_id = $2 AND a.archived_at IS NULL LIMIT 1`,
      [userId, organizationId],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Every live account the user may act for: their memberships, and as Admin every team of an organization they
   * are an Org Admin of (a team can appear twice, once per way in).
   */
  accountsOf(userId: string): Promise<MemberAccountRow[]> {
    return this.manager.query(
      `SELECT a.id, a.kind, a.name, a.organization_id, m.role
         FROM teams.memberships m JOIN teams.accounts a ON a.id = m.account_id
        WHERE m.user_id = $1 AND a.archived_at IS NULL
       UNION
       SELECT t.id, t.kind, t.name, t.organization_id, 'admin'
         FROM teams.memberships m JOIN teams.accounts t ON t.organization_id = m.account_id
        WHERE m.user_id = $1 AND m.role = 'admin' AND t.archived_at IS NULL`,
      [userId],
    );
  }
}
