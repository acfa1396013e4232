import { Injectable } from '@nestjs/common';
import { Role, RpcPayload } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { EntityManager } from 'typeorm';
import { Membership } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { TeamsErrors } from '../teams.errors';

/**
 * Just-in-time provisioning for an organization's SSO: after each SSO sign-in, the person's memberships of the
 * organization's teams follow what their IdP groups say — added, re-roled, and (only those SSO made, never the
 * team's last Admin) removed. Memberships made by invitation are left alone, except that a placement sets their
 * role too. Each change writes the same event as the manual one.
 */
@Injectable()
export class ProvisioningService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly accounts: AccountsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async provision({
    organizationId,
    userId,
    placements,
  }: RpcPayload<'tessera.teams.member.provision'>): Promise<{ teamIds: string[] }> {
    return this.memberships.transaction(async (manager) => {
      const teams = await this.accounts.in(manager).lockLiveTeamsOf(organizationId);
      const names = new Map(teams.map((team) => [team.id, team.name]));
      const wanted = new Map(placements.map(({ teamId, role }) => [teamId, role]));
      for (const teamId of wanted.keys()) if (!names.has(teamId)) throw TeamsErrors.notFound('A placed team');
      const memberships = this.memberships.in(manager);
      const held = await memberships.findOfUserIn(userId, [...names.keys()]);
      for (const membership of held) {
        const role = wanted.get(membership.accountId);
        const teamName = names.get(membership.accountId)!;
        if (role && role !== membership.role) await this.changeRole(manager, membership, role, teamName);
        else if (!role && membership.provisionedBySso && !(await this.lastAdmin(manager, membership)))
          await this.remove(manager, membership, teamName);
      }
      for (const [teamId, role] of wanted) {
        if (held.some((membership) => membership.accountId === teamId)) continue;
        await memberships.add(teamId, userId, role, true);
        await this.outbox.add(manager, 'tessera.events.teams.member.added', {
          accountId: teamId,
          actorUserId: null,
          userId,
          role,
        });
      }
      return { teamIds: [...wanted.keys()] };
    });
  }

  private async changeRole(manager: EntityManager, membership: Membership, role: Role, teamName: string) {
    if (membership.role === 'admin' && (await this.lastAdmin(manager, membership))) return;
    await this.memberships.in(manager).setRole(membership.accountId, membership.userId, role);
    await this.outbox.add(manager, 'tessera.events.teams.member.role_changed', {
      accountId: membership.accountId,
      actorUserId: null,
      userId: membership.userId,
      from: membership.role,
      to: role,
      teamName,
    });
  }

  private async remove(manager: EntityManager, membership: Membership, teamName: string) {
    await this.memberships.in(manager).remove(membership.accountId, membership.userId);
    await this.outbox.add(manager, 'tessera.events.teams.member.removed', {
      accountId: membership.accountId,
      actorUserId: null,
      userId: membership.userId,
      teamName,
    });
  }

  private async lastAdmin(manager: EntityManager, membership: Membership): Promise<boolean> {
    if (membership.role !== 'admin') return false;
    return (await this.memberships.in(manager).countAdmins(membership.accountId)) === 1;
  }
}
