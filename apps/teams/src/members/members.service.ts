import { Injectable } from '@nestjs/common';
import { MemberView, Role, RpcClient, TeamCommand } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { EntityManager } from 'typeorm';
import { Membership } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { TeamsService } from '../teams/teams.service';
import { TeamsErrors } from '../teams.errors';

/**
 * Members and their roles. Invariant: a team always has at least one Admin. Role changes and removals lock the
 * team's memberships first, so two concurrent demotions of the last two Admins cannot both succeed.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly accounts: AccountsRepository,
    private readonly teams: TeamsService,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
  ) {}

  async list(accountId: string): Promise<MemberView[]> {
    return (await this.listIn([accountId])).map((entry) => entry.member);
  }

  async userIdsIn(accountIds: string[]): Promise<string[]> {
    if (accountIds.length === 0) return [];
    return this.memberships.userIdsIn(accountIds);
  }

  /** The members of several teams (an organization's), with one call to identity for all their names. */
  async listIn(accountIds: string[]): Promise<{ accountId: string; member: MemberView }[]> {
    const members = await this.memberships.listIn(accountIds);
    const users = await this.rpc.request('tessera.identity.user.get-many', {
      userIds: [...new Set(members.map((m) => m.userId))],
    });
    const byId = new Map(users.map((user) => [user.id, user]));
    return members.map((m) => ({ accountId: m.accountId, member: view(m, byId.get(m.userId)) }));
  }

  async setRole({
    accountId,
    actorUserId,
    userId,
    role,
  }: TeamCommand & { userId: string; role: Role }): Promise<MemberView> {
    return this.memberships.transaction(async (manager) => {
      const { team, member, members } = await this.lockMember(manager, accountId, userId);
      if (member.role === role) return view(member);
      assertAdminRemains(member, members);
      await this.memberships.in(manager).setRole(accountId, userId, role);
      await this.outbox.add(manager, 'tessera.events.teams.member.role_changed', {
        accountId,
        actorUserId,
        userId,
        from: member.role,
        to: role,
        teamName: team.name,
      });
      return view({ ...member, role });
    });
  }

  /**
   * Removes a member (or lets one leave) of a team — or an Org Admin of an organization; their access ends with
   * this transaction.
   */
  async remove(
    { accountId, actorUserId, userId }: TeamCommand & { userId: string },
    kind: 'team' | 'organization' = 'team',
  ): Promise<{ removed: true }> {
    return this.memberships.transaction(async (manager) => {
      const { team, member, members } = await this.lockMember(manager, accountId, userId, kind);
      assertAdminRemains(member, members);
      await this.memberships.in(manager).remove(accountId, userId);
      await this.outbox.add(manager, 'tessera.events.teams.member.removed', {
        accountId,
        actorUserId,
        userId,
        teamName: team.name,
      });
      return { removed: true as const };
    });
  }

  /** The account and all its memberships, locked for this transaction, and the one member the change is about. */
  private async lockMember(
    manager: EntityManager,
    accountId: string,
    userId: string,
    kind: 'team' | 'organization' = 'team',
  ) {
    const team =
      kind === 'team'
        ? await this.teams.live(manager, accountId, true)
        : await this.accounts.in(manager).findLive(accountId, { kind, lock: true });
    if (!team) throw TeamsErrors.notFound('The organization');
    const members = await this.memberships.in(manager).lockAll(accountId);
    const member = members.find((m) => m.userId === userId);
    if (!member) throw TeamsErrors.notFound('The member');
    return { team, member, members };
  }
}

/** The member is about to stop being an Admin: refused if they are the team's (or organization's) last one. */
function assertAdminRemains(member: Membership, members: Membership[]): void {
  if (member.role === 'admin' && members.filter((m) => m.role === 'admin').length === 1)
    throw TeamsErrors.lastAdmin();
}

function view(member: Membership, user?: { email: string; name: string | null }): MemberView {
  return {
    userId: member.userId,
    email: user?.email ?? null,
    name: user?.name ?? null,
    role: member.role,
    joinedAt: member.createdAt.toISOString(),
  };
}
