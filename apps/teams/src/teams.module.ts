import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';
import { Account, Membership } from './accounts/account.entity';
import { AccountsHandler } from './accounts/accounts.handler';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { MembershipsRepository } from './accounts/memberships.repository';
import { InvitationsRepository } from './invitations/invitations.repository';
import { BulkInviteService } from './invitations/bulk-invite.service';
import { Invitation } from './invitations/invitation.entity';
import { InvitationsService } from './invitations/invitations.service';
import { MembersService } from './members/members.service';
import { Accounts1764600000000 } from './migrations/1764600000000-accounts';
import { Invitations1764700000000 } from './migrations/1764700000000-invitations';
import { Organizations1764800000000 } from './migrations/1764800000000-organizations';
import { OrganizationsHandler } from './organizations/organizations.handler';
import { OrganizationsService } from './organizations/organizations.service';
import { Transfer } from './organizations/transfer.entity';
import { TransfersService } from './organizations/transfers.service';
import { Policies1765100000000 } from './migrations/1765100000000-policies';
import { ProvisionedMemberships1765200000000 } from './migrations/1765200000000-provisioned-memberships';
import { InvitationCancellations } from './invitations/invitation-cancellations.service';
import { TransferApprovals1765431800000 } from './migrations/1765431800000-transfer-approvals';
import { OrganizationOnlySignInSettings1765600000000 } from './migrations/1765600000000-organization-only-sign-in-settings';
import { ProvisioningService } from './members/provisioning.service';
import { PoliciesHandler } from './policies/policies.handler';
import { PoliciesService } from './policies/policies.service';
import { PolicyHistoryRetentionJob } from './policies/policy-history-retention.job';
import { PolicyVersion } from './policies/policy-version.entity';
import { TeamsHandler } from './teams.handler';
import { TeamsService } from './teams/teams.service';

/** Accounts (personal, team, organization), memberships and roles, invitations, organizations and transfers. */
@Module({})
export class TeamsModule {}

export const teamsService = defineService('teams', {
  module: TeamsModule,
  entities: [Account, Membership, Invitation, Transfer, PolicyVersion],
  migrations: [
    Accounts1764600000000,
    Invitations1764700000000,
    Organizations1764800000000,
    Policies1765100000000,
    ProvisionedMemberships1765200000000,
    TransferApprovals1765431800000,
    OrganizationOnlySignInSettings1765600000000,
  ],
  controllers: [AccountsHandler, TeamsHandler, OrganizationsHandler, PoliciesHandler],
  providers: [
    AccountsRepository,
    MembershipsRepository,
    InvitationsRepository,
    AccountsService,
    TeamsService,
    MembersService,
    InvitationsService,
    InvitationCancellations,
    BulkInviteService,
    OrganizationsService,
    TransfersService,
    PoliciesService,
    PolicyHistoryRetentionJob,
    ProvisioningService,
  ],
});
