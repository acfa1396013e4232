import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountView,
  BulkInviteReply,
  InvitationView,
  MemberView,
  Role,
  TeamCommand,
  TeamView,
} from '@tessera/contracts';
import { BulkInviteService } from './invitations/bulk-invite.service';
import { InvitationsService } from './invitations/invitations.service';
import { MembersService } from './members/members.service';
import { ProvisioningService } from './members/provisioning.service';
import { TeamsService } from './teams/teams.service';

/** Team, member and invitation subjects. The gateway has already authorized the actor for each command. */
@Controller()
export class TeamsHandler {
  constructor(
    private readonly teams: TeamsService,
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
    private readonly bulk: BulkInviteService,
    private readonly provisioning: ProvisioningService,
  ) {}

  @MessagePattern('tessera.teams.team.create')
  create(@Payload() { userId, name }: { userId: string; name: string }): Promise<AccountView> {
    return this.teams.create(userId, name);
  }

  @MessagePattern('tessera.teams.team.get')
  get(@Payload() { accountId }: { accountId: string }): Promise<TeamView> {
    return this.teams.get(accountId);
  }

  @MessagePattern('tessera.teams.team.rename')
  rename(@Payload() command: TeamCommand & { name: string }): Promise<TeamView> {
    return this.teams.rename(command);
  }

  @MessagePattern('tessera.teams.team.archive')
  archive(@Payload() command: TeamCommand): Promise<TeamView> {
    return this.teams.archive(command);
  }

  @MessagePattern('tessera.teams.member.list')
  listMembers(@Payload() { accountId }: { accountId: string }): Promise<MemberView[]> {
    return this.members.list(accountId);
  }

  @MessagePattern('tessera.teams.member.provision')
  provision(
    @Payload()
    command: {
      organizationId: string;
      userId: string;
      placements: { teamId: string; role: Role }[];
    },
  ): Promise<{ teamIds: string[] }> {
    return this.provisioning.provision(command);
  }

  @MessagePattern('tessera.teams.member.user-ids')
  userIds(@Payload() { accountIds }: { accountIds: string[] }): Promise<string[]> {
    return this.members.userIdsIn(Array.isArray(accountIds) ? accountIds : []);
  }

  @MessagePattern('tessera.teams.member.set-role')
  setRole(@Payload() command: TeamCommand & { userId: string; role: Role }): Promise<MemberView> {
    return this.members.setRole(command);
  }

  @MessagePattern('tessera.teams.member.remove')
  remove(@Payload() command: TeamCommand & { userId: string }): Promise<{ removed: true }> {
    return this.members.remove(command);
  }

  @MessagePattern('tessera.teams.invitation.create')
  invite(@Payload() command: TeamCommand & { email: string; role: Role }): Promise<InvitationView> {
    return this.invitations.create(command);
  }

  @MessagePattern('tessera.teams.invitation.list')
  listInvitations(@Payload() { accountId }: { accountId: string }): Promise<InvitationView[]> {
    return this.invitations.list(accountId);
  }

  @MessagePattern('tessera.teams.invitation.cancel')
  cancel(@Payload() command: TeamCommand & { invitationId: string }): Promise<InvitationView> {
    return this.invitations.cancel(command);
  }

  @MessagePattern('tessera.teams.invitation.resend')
  resend(@Payload() command: TeamCommand & { invitationId: string }): Promise<InvitationView> {
    return this.invitations.resend(command);
  }

  @MessagePattern('tessera.teams.invitation.accept')
  accept(@Payload() { token, userId }: { token: string; userId: string }): Promise<AccountView> {
    return this.invitations.accept(token, userId);
  }

  @MessagePattern('tessera.teams.invitation.bulk')
  bulkInvite(@Payload() command: TeamCommand & { csv: string; dryRun: boolean }): Promise<BulkInviteReply> {
    return this.bulk.invite(command);
  }
}
