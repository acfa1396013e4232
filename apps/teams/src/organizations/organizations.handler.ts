import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  MemberView,
  OrgCommand,
  OrgInvitationView,
  OrgMemberView,
  OrgTeamView,
  OrganizationView,
  TransferView,
} from '@tessera/contracts';
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

  @MessagePattern('tessera.teams.org.create')
  create(@Payload() { userId, name }: { userId: string; name: string }): Promise<OrganizationView> {
    return this.organizations.create(userId, name);
  }

  @MessagePattern('tessera.teams.org.get')
  get(@Payload() { organizationId }: { organizationId: string }): Promise<OrganizationView> {
    return this.organizations.get(organizationId);
  }

  @MessagePattern('tessera.teams.org.teams')
  teams(@Payload() { organizationId }: { organizationId: string }): Promise<OrgTeamView[]> {
    return this.organizations.childTeams(organizationId);
  }

  @MessagePattern('tessera.teams.org.create-team')
  createTeam(@Payload() command: OrgCommand & { name: string }): Promise<OrgTeamView> {
    return this.organizations.createTeam(command);
  }

  @MessagePattern('tessera.teams.org.members')
  members(@Payload() { organizationId }: { organizationId: string }): Promise<OrgMemberView[]> {
    return this.organizations.members(organizationId);
  }

  @MessagePattern('tessera.teams.org.admins')
  admins(@Payload() { organizationId }: { organizationId: string }): Promise<MemberView[]> {
    return this.organizations.admins(organizationId);
  }

  @MessagePattern('tessera.teams.org.add-admin')
  addAdmin(@Payload() command: OrgCommand & { userId: string }): Promise<MemberView> {
    return this.organizations.addAdmin(command);
  }

  @MessagePattern('tessera.teams.org.remove-admin')
  removeAdmin(@Payload() command: OrgCommand & { userId: string }): Promise<{ removed: true }> {
    return this.organizations.removeAdmin(command);
  }

  @MessagePattern('tessera.teams.org.invitations')
  invitations(@Payload() { organizationId }: { organizationId: string }): Promise<OrgInvitationView[]> {
    return this.organizations.pendingInvitations(organizationId);
  }

  @MessagePattern('tessera.teams.transfer.request')
  requestTransfer(@Payload() command: OrgCommand & { teamId: string }): Promise<TransferView> {
    return this.transfers.request(command);
  }

  @MessagePattern('tessera.teams.transfer.decide')
  decideTransfer(
    @Payload() command: OrgCommand & { transferId: string; approve: boolean },
  ): Promise<TransferView> {
    return this.transfers.decide(command);
  }

  @MessagePattern('tessera.teams.transfer.list')
  listTransfers(@Payload() where: { organizationId: string } | { teamId: string }): Promise<TransferView[]> {
    return this.transfers.list(where);
  }
}
