import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AccountView,
  BulkInviteReply,
  InvitationView,
  InviteReply,
  MemberView,
  RpcPayload,
  TeamView,
} from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
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

  @Rpc('tessera.teams.team.create')
  create(@Payload() { userId, name }: RpcPayload<'tessera.teams.team.create'>): Promise<AccountView> {
    return this.teams.create(userId, name);
  }

  @Rpc('tessera.teams.team.get')
  get(@Payload() { accountId }: RpcPayload<'tessera.teams.team.get'>): Promise<TeamView> {
    return this.teams.get(accountId);
  }

  @Rpc('tessera.teams.team.rename')
  rename(@Payload() command: RpcPayload<'tessera.teams.team.rename'>): Promise<TeamView> {
    return this.teams.rename(command);
  }

  @Rpc('tessera.teams.team.archive')
  archive(@Payload() command: RpcPayload<'tessera.teams.team.archive'>): Promise<TeamView> {
    return this.teams.archive(command);
  }

  @Rpc('tessera.teams.member.list')
  listMembers(@Payload() { accountId }: RpcPayload<'tessera.teams.member.list'>): Promise<MemberView[]> {
    return this.members.list(accountId);
  }

  @Rpc('tessera.teams.member.provision')
  provision(
    @Payload() command: RpcPayload<'tessera.teams.member.provision'>,
  ): Promise<{ teamIds: string[] }> {
    return this.provisioning.provision(command);
  }

  @Rpc('tessera.teams.member.user-ids')
  userIds(@Payload() { accountIds }: RpcPayload<'tessera.teams.member.user-ids'>): Promise<string[]> {
    return this.members.userIdsIn(accountIds);
  }

  @Rpc('tessera.teams.member.set-role')
  setRole(@Payload() command: RpcPayload<'tessera.teams.member.set-role'>): Promise<MemberView> {
    return this.members.setRole(command);
  }

  @Rpc('tessera.teams.member.remove')
  remove(@Payload() command: RpcPayload<'tessera.teams.member.remove'>): Promise<{ removed: true }> {
    return this.members.remove(command);
  }

  @Rpc('tessera.teams.invitation.create')
  invite(@Payload() command: RpcPayload<'tessera.teams.invitation.create'>): Promise<InviteReply> {
    return this.invitations.create(command);
  }

  @Rpc('tessera.teams.invitation.list')
  listInvitations(
    @Payload() { accountId }: RpcPayload<'tessera.teams.invitation.list'>,
  ): Promise<InvitationView[]> {
    return this.invitations.list(accountId);
  }

  @Rpc('tessera.teams.invitation.cancel')
  cancel(@Payload() command: RpcPayload<'tessera.teams.invitation.cancel'>): Promise<InvitationView> {
    return this.invitations.cancel(command);
  }

  @Rpc('tessera.teams.invitation.resend')
  resend(@Payload() command: RpcPayload<'tessera.teams.invitation.resend'>): Promise<InvitationView> {
    return this.invitations.resend(command);
  }

  @Rpc('tessera.teams.invitation.accept')
  accept(@Payload() { token, userId }: RpcPayload<'tessera.teams.invitation.accept'>): Promise<AccountView> {
    return this.invitations.accept(token, userId);
  }

  @Rpc('tessera.teams.invitation.bulk')
  bulkInvite(@Payload() command: RpcPayload<'tessera.teams.invitation.bulk'>): Promise<BulkInviteReply> {
    return this.bulk.invite(command);
  }
}
