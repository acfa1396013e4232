import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  MemberView,
  OrgInvitationView,
  OrgMemberView,
  OrgTeamView,
  OrganizationView,
  RpcPayload,
  TransferView,
} from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { OrganizationsService } from './organizations.service';
import { TransfersService } from './transfers.service';

/**
 * Organization subjects. The gateway has checked that the actor is an Org Admin for all but transfers, whose
 * two sides are checked by the transfers service itself.
 */
@Controller()
export class OrganizationsHandler {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly transfers: TransfersService,
  ) {}

  @Rpc('tessera.teams.org.create')
  create(@Payload() { userId, name }: RpcPayload<'tessera.teams.org.create'>): Promise<OrganizationView> {
    return this.organizations.create(userId, name);
  }

  @Rpc('tessera.teams.org.get')
  get(@Payload() { organizationId }: RpcPayload<'tessera.teams.org.get'>): Promise<OrganizationView> {
    return this.organizations.get(organizationId);
  }

  @Rpc('tessera.teams.org.teams')
  teams(@Payload() { organizationId }: RpcPayload<'tessera.teams.org.teams'>): Promise<OrgTeamView[]> {
    return this.organizations.childTeams(organizationId);
  }

  @Rpc('tessera.teams.org.create-team')
  createTeam(@Payload() command: RpcPayload<'tessera.teams.org.create-team'>): Promise<OrgTeamView> {
    return this.organizations.createTeam(command);
  }

  @Rpc('tessera.teams.org.members')
  members(@Payload() { organizationId }: RpcPayload<'tessera.teams.org.members'>): Promise<OrgMemberView[]> {
    return this.organizations.members(organizationId);
  }

  @Rpc('tessera.teams.org.admins')
  admins(@Payload() { organizationId }: RpcPayload<'tessera.teams.org.admins'>): Promise<MemberView[]> {
    return this.organizations.admins(organizationId);
  }

  @Rpc('tessera.teams.org.add-admin')
  addAdmin(@Payload() command: RpcPayload<'tessera.teams.org.add-admin'>): Promise<MemberView> {
    return this.organizations.addAdmin(command);
  }

  @Rpc('tessera.teams.org.remove-admin')
  removeAdmin(@Payload() command: RpcPayload<'tessera.teams.org.remove-admin'>): Promise<{ removed: true }> {
    return this.organizations.removeAdmin(command);
  }

  @Rpc('tessera.teams.org.invitations')
  invitations(
    @Payload() { organizationId }: RpcPayload<'tessera.teams.org.invitations'>,
  ): Promise<OrgInvitationView[]> {
    return this.organizations.pendingInvitations(organizationId);
  }

  @Rpc('tessera.teams.transfer.request')
  requestTransfer(@Payload() command: RpcPayload<'tessera.teams.transfer.request'>): Promise<TransferView> {
    return this.transfers.request(command);
  }

  @Rpc('tessera.teams.transfer.decide')
  decideTransfer(@Payload() command: RpcPayload<'tessera.teams.transfer.decide'>): Promise<TransferView> {
    return this.transfers.decide(command);
  }

  @Rpc('tessera.teams.transfer.list')
  listTransfers(@Payload() where: RpcPayload<'tessera.teams.transfer.list'>): Promise<TransferView[]> {
    return this.transfers.list(where);
  }
}
