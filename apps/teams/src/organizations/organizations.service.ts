import { Injectable } from '@nestjs/common';
import {
  AccountView,
  MemberView,
  OrgAdminCommand,
  OrgCommand,
  OrgInvitationView,
  OrgMemberView,
  OrgTeamView,
  OrganizationView,
} from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Account } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { InvitationsService } from '../invitations/invitations.service';
import { MembersService } from '../members/members.service';
import { TeamsService } from '../teams/teams.service';
import { TeamsErrors } from '../teams.errors';

/**
 * Organizations: the parent account of many teams. Its members are its Org Admins; they see every child team,
 * and act as Admin in each (see AccountsService). The gateway has checked that the actor is an Org Admin.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly teams: TeamsService,
    private readonly teamMembers: MembersService,
    private readonly teamInvitations: InvitationsService,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A new organization with its creator as first Org Admin. */
  /** `name` comes trimmed and checked by the request's schema. */
  async create(userId: string, name: string): Promise<OrganizationView> {
    return this.dataSource.transaction(async (manager) => {
      const organization = manager.create(Account, {
        id: uuidv7(),
        kind: 'organization',
        name,
        ownerUserId: null,
        organizationId: null,
        createdAt: new Date(),
      });
      await manager.insert(Account, organization);
      await this.memberships.in(manager).add(organization.id, userId, 'admin');
      await this.outbox.add(manager, 'tessera.events.teams.organization.created', {
        accountId: organization.id,
        actorUserId: userId,
        name,
      });
      await this.outbox.add(manager, 'tessera.events.teams.member.added', {
        accountId: organization.id,
        actorUserId: userId,
        userId,
        role: 'admin',
      });
      return view(organization);
    });
  }

  async get(organizationId: string): Promise<OrganizationView> {
    return view(await this.live(this.dataSource.manager, organizationId));
  }

  /** A team born inside the organization; the Org Admin who made it is its first Admin. */
  async createTeam({
    organizationId,
    actorUserId,
    name,
  }: OrgCommand & { name: string }): Promise<OrgTeamView> {
    const team: AccountView = await this.dataSource.transaction(async (manager) => {
      await this.live(manager, organizationId, true);
      return this.teams.createIn(manager, actorUserId, name, organizationId);
    });
    return (await this.childTeams(organizationId)).find((child) => child.id === team.id)!;
  }

  /** Every live child team, with how many members and pending invitations it has. */
  async childTeams(organizationId: string): Promise<OrgTeamView[]> {
    await this.live(this.dataSource.manager, organizationId);
    const rows = (await this.dataSource.query(
      `SELECT a.id, a.name, a.created_at,
              (SELECT count(*) FROM teams.memberships m WHERE m.account_id = a.id)::int AS members,
              (SELECT count(*) FROM teams.invitations i
                WHERE i.account_id = a.id AND i.status = 'pending')::int AS pending_invitations
         FROM teams.accounts a
        WHERE a.organization_id = $1 AND a.archived_at IS NULL
        ORDER BY a.name, a.id`,
      [organizationId],
    )) as { id: string; name: string; created_at: Date; members: number; pending_invitations: number }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.created_at.toISOString(),
      members: row.members,
      pendingInvitations: row.pending_invitations,
    }));
  }

  async members(organizationId: string): Promise<OrgMemberView[]> {
    const teams = await this.teamNames(organizationId);
    const members = await this.teamMembers.listIn([...teams.keys()]);
    return members.map(({ accountId, member }) => ({
      ...member,
      teamId: accountId,
      teamName: teams.get(accountId)!,
    }));
  }

  async pendingInvitations(organizationId: string): Promise<OrgInvitationView[]> {
    const teams = await this.teamNames(organizationId);
    const invitations = await this.teamInvitations.listIn([...teams.keys()]);
    return invitations.map(({ accountId, invitation }) => ({
      ...invitation,
      teamId: accountId,
      teamName: teams.get(accountId)!,
    }));
  }

  /** The Org Admins. */
  async admins(organizationId: string): Promise<MemberView[]> {
    await this.live(this.dataSource.manager, organizationId);
    return this.teamMembers.list(organizationId);
  }

  /** Makes an Org Member — someone in one of the organization's teams — an Org Admin. */
  async addAdmin({ organizationId, actorUserId, userId }: OrgAdminCommand): Promise<MemberView> {
    await this.dataSource.transaction(async (manager) => {
      await this.live(manager, organizationId, true);
      const memberships = this.memberships.in(manager);
      if (!(await memberships.inOrganizationTeams(userId, organizationId)))
        throw TeamsErrors.notFound("That person in the organization's teams");
      if (await memberships.exists(organizationId, userId)) return;
      await memberships.add(organizationId, userId, 'admin');
      await this.outbox.add(manager, 'tessera.events.teams.member.added', {
        accountId: organizationId,
        actorUserId,
        userId,
        role: 'admin',
      });
    });
    return (await this.admins(organizationId)).find((admin) => admin.userId === userId)!;
  }

  removeAdmin({ organizationId, actorUserId, userId }: OrgAdminCommand): Promise<{ removed: true }> {
    return this.teamMembers.remove({ accountId: organizationId, actorUserId, userId }, 'organization');
  }

  /** A live organization; locked when the caller will change what it owns. */
  async live(manager: EntityManager, organizationId: string, lock = false): Promise<Account> {
    const organization = await this.accounts
      .in(manager)
      .findLive(organizationId, { kind: 'organization', lock });
    if (!organization) throw TeamsErrors.notFound('The organization');
    return organization;
  }

  private async teamNames(organizationId: string): Promise<Map<string, string>> {
    return new Map((await this.childTeams(organizationId)).map((team) => [team.id, team.name]));
  }
}

function view(organization: Account): OrganizationView {
  return {
    id: organization.id,
    name: organization.name,
    createdAt: organization.createdAt.toISOString(),
  };
}
