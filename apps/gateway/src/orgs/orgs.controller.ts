import { Body, Controller, Delete, Get, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CreateOrgTeamRequestSchema,
  CreateOrganizationRequestSchema,
  EffectivePolicyView,
  EffectivePolicyViewSchema,
  KeyListing,
  KeyListingSchema,
  MemberView,
  MemberViewSchema,
  OrgAdminCommandSchema,
  OrgInvitationView,
  OrgInvitationViewSchema,
  OrgMemberView,
  OrgMemberViewSchema,
  OrgTeamView,
  OrgTeamViewSchema,
  OrgUsageReport,
  OrgUsageReportSchema,
  OrganizationView,
  OrganizationViewSchema,
  PolicyView,
  PolicyViewSchema,
  RequestTransferSchema,
  Role,
  RoleSchema,
  RpcClient,
  TransferView,
  TransferViewSchema,
  UsageRow,
  Uuid,
} from '@tessera/contracts';
import { ORG_ACTIONS, OrgAction, can } from '@tessera/authz';
import { z } from 'zod';
import { withCreators } from '../accounts/key-creators';
import { UsageRangeQuery, usageRange } from '../accounts/usage-range';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { AuthenticatedRequest } from '../auth/principal';
import { MembershipDirectory } from '../directory/membership-directory';
import { Endpoint, Errors } from '../http/endpoint';
import { PutPolicyBody, policyCommand } from '../policies/policy-body';
import { OrgAccessGuard, OrgMembership, OrgPermission, OrgRequest } from './org-access.guard';

const organizationId = (request: OrgRequest) => request.organization.id;

const OrgPath = z.strictObject({ orgId: Uuid });
const OrgAdminPath = OrgPath.extend({ userId: Uuid });
const TransferPath = OrgPath.extend({ transferId: Uuid });
const CreateOrganizationBody = CreateOrganizationRequestSchema.pick({ name: true }).meta({
  id: 'CreateOrganizationBody',
});
const CreateOrgTeamBody = CreateOrgTeamRequestSchema.pick({ name: true });
const AddOrgAdminBody = OrgAdminCommandSchema.pick({ userId: true }).meta({ id: 'AddOrgAdminBody' });
const RequestTransferBody = RequestTransferSchema.pick({ teamId: true }).meta({ id: 'RequestTransferBody' });
const OrgPermissionsSchema = z
  .object({
    role: RoleSchema,
    actions: z
      .record(z.string(), z.boolean())
      .meta({ description: 'Each organization action (`org.read`, `org.manage`): allowed or not.' }),
  })
  .meta({ id: 'OrgPermissions' });
const OrgKeyViewSchema = KeyListingSchema.extend({ teamName: z.string() }).meta({ id: 'OrgKeyView' });

@ApiTags('organizations')
@ApiBearerAuth()
@Errors({
  unauthenticated: 'No credential.',
  invalid_token: 'The token is invalid or expired.',
  not_found: 'No such organization, or you are not one of its Org Admins.',
})
@UseGuards(BearerAuthGuard, OrgAccessGuard)
@Controller('v1/orgs')
export class OrgsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly directory: MembershipDirectory,
  ) {}

  @Post()
  @Endpoint({
    summary: 'Creates an organization; you become its first Org Admin.',
    body: CreateOrganizationBody,
    response: OrganizationViewSchema,
    status: 201,
  })
  create(
    @Req() request: AuthenticatedRequest,
    @Body() body: z.output<typeof CreateOrganizationBody>,
  ): Promise<OrganizationView> {
    return this.rpc.request('tessera.teams.org.create', { userId: request.principal.userId, ...body });
  }

  @Get(':orgId')
  @OrgPermission('org.read')
  @Endpoint({
    summary: 'The organization (Org Admins).',
    params: OrgPath,
    response: OrganizationViewSchema,
    status: 200,
  })
  get(@Req() request: OrgRequest): Promise<OrganizationView> {
    return this.rpc.request('tessera.teams.org.get', { organizationId: organizationId(request) });
  }

  @Get(':orgId/permissions')
  @OrgMembership()
  @Endpoint({
    summary:
      'What your role lets you do in this organization, action by action (for showing or hiding controls).',
    params: OrgPath,
    response: OrgPermissionsSchema,
    status: 200,
  })
  permissions(@Req() request: OrgRequest): { role: Role; actions: Record<OrgAction, boolean> } {
    const role = request.organization.role;
    return {
      role,
      actions: Object.fromEntries(ORG_ACTIONS.map(({ action }) => [action, can({ role }, action)])) as Record<
        OrgAction,
        boolean
      >,
    };
  }

  @Get(':orgId/teams')
  @OrgPermission('org.read')
  @Endpoint({
    summary: 'Every team of the organization, with member and pending-invitation counts.',
    params: OrgPath,
    response: z.array(OrgTeamViewSchema),
    status: 200,
  })
  teams(@Req() request: OrgRequest): Promise<OrgTeamView[]> {
    return this.rpc.request('tessera.teams.org.teams', { organizationId: organizationId(request) });
  }

  @Post(':orgId/teams')
  @OrgPermission('org.manage')
  @Endpoint({
    summary: 'Creates a team inside the organization; you become its first Admin.',
    params: OrgPath,
    body: CreateOrgTeamBody,
    response: OrgTeamViewSchema,
    status: 201,
  })
  createTeam(
    @Req() request: OrgRequest,
    @Body() body: z.output<typeof CreateOrgTeamBody>,
  ): Promise<OrgTeamView> {
    return this.rpc.request('tessera.teams.org.create-team', {
      organizationId: organizationId(request),
      actorUserId: request.principal.userId,
      ...body,
    });
  }

  @Get(':orgId/members')
  @OrgPermission('org.read')
  @Endpoint({
    summary: 'Every member of every team of the organization, with the team and their role in it.',
    params: OrgPath,
    response: z.array(OrgMemberViewSchema),
    status: 200,
  })
  members(@Req() request: OrgRequest): Promise<OrgMemberView[]> {
    return this.rpc.request('tessera.teams.org.members', { organizationId: organizationId(request) });
  }

  @Get(':orgId/admins')
  @OrgPermission('org.read')
  @Endpoint({
    summary: 'The Org Admins.',
    params: OrgPath,
    response: z.array(MemberViewSchema),
    status: 200,
  })
  admins(@Req() request: OrgRequest): Promise<MemberView[]> {
    return this.rpc.request('tessera.teams.org.admins', { organizationId: organizationId(request) });
  }

  @Post(':orgId/admins')
  @OrgPermission('org.manage')
  @Endpoint({
    summary: 'Makes an Org Member (someone in one of its teams) an Org Admin.',
    params: OrgPath,
    body: AddOrgAdminBody,
    response: MemberViewSchema,
    status: 201,
    errors: { not_found: "No such organization, or that person is in none of the organization's teams." },
  })
  addAdmin(@Req() request: OrgRequest, @Body() body: z.output<typeof AddOrgAdminBody>): Promise<MemberView> {
    return this.rpc.request('tessera.teams.org.add-admin', {
      organizationId: organizationId(request),
      actorUserId: request.principal.userId,
      ...body,
    });
  }

  @Delete(':orgId/admins/:userId')
  @OrgPermission('org.manage')
  @Endpoint({
    summary: 'Removes an Org Admin (or steps down); never the last one. Their rights end at once.',
    params: OrgAdminPath,
    response: null,
    status: 204,
    errors: { last_admin: 'They are the last Org Admin.' },
  })
  async removeAdmin(@Req() request: OrgRequest, @Param('userId') userId: string): Promise<void> {
    await this.rpc.request('tessera.teams.org.remove-admin', {
      organizationId: organizationId(request),
      actorUserId: request.principal.userId,
      userId,
    });
    this.directory.forgetUser(userId);
  }

  @Get(':orgId/invitations')
  @OrgPermission('org.read')
  @Endpoint({
    summary: 'Every pending invitation of every team of the organization.',
    params: OrgPath,
    response: z.array(OrgInvitationViewSchema),
    status: 200,
  })
  invitations(@Req() request: OrgRequest): Promise<OrgInvitationView[]> {
    return this.rpc.request('tessera.teams.org.invitations', { organizationId: organizationId(request) });
  }

  @Get(':orgId/keys')
  @OrgPermission('org.read')
  @Endpoint({
    summary:
      'The API keys of every team of the organization: metadata only, never secrets, with who created each.',
    params: OrgPath,
    response: z.array(OrgKeyViewSchema),
    status: 200,
  })
  async keys(@Req() request: OrgRequest): Promise<(KeyListing & { teamName: string })[]> {
    const teams = await this.teams(request);
    const keys = await Promise.all(
      teams.map(async (team) =>
        (await this.rpc.request('tessera.keys.key.list', { accountId: team.id })).map((key) => ({
          ...key,
          teamName: team.name,
        })),
      ),
    );
    return withCreators(this.rpc, keys.flat());
  }

  @Get(':orgId/usage')
  @OrgPermission('org.read')
  @Endpoint({
    summary:
      'Requests of every team of the organization in a range, by team and action, optionally per hour or day.',
    params: OrgPath,
    query: UsageRangeQuery,
    response: OrgUsageReportSchema,
    status: 200,
  })
  async usage(
    @Req() request: OrgRequest,
    @Query() query: z.output<typeof UsageRangeQuery>,
  ): Promise<OrgUsageReport> {
    const range = usageRange(query);
    const teams = await this.teams(request);
    const reports = await Promise.all(
      teams.map(async (team) => {
        const rows = await this.rpc.request('tessera.keys.usage.query', {
          accountId: team.id,
          ...range,
          groupBy: 'action',
        });
        const byAction = totals(rows, (row) => row.action!)
          .sort(([, a], [, b]) => b - a)
          .map(([action, requests]) => ({ action, requests }));
        const requests = byAction.reduce((sum, row) => sum + row.requests, 0);
        const byPeriod = range.interval
          ? totals(rows, (row) => row.period!).map(([period, requests]) => ({ period, requests }))
          : undefined;
        return { teamId: team.id, teamName: team.name, requests, byAction, byPeriod };
      }),
    );
    return {
      organizationId: organizationId(request),
      from: range.from,
      to: range.to,
      interval: range.interval ?? null,
      teams: reports,
    };
  }

  @Get(':orgId/policies')
  @OrgPermission('org.read')
  @Endpoint({
    summary: "The organization's policy (inherited by every team of it) and its version.",
    params: OrgPath,
    response: EffectivePolicyViewSchema,
    status: 200,
  })
  policy(@Req() request: OrgRequest): Promise<EffectivePolicyView> {
    return this.rpc.request('tessera.teams.policy.get', { accountId: organizationId(request) });
  }

  @Put(':orgId/policies')
  @OrgPermission('org.manage')
  @Endpoint({
    summary:
      'Replaces the organization policy; keys and sessions that now break it stop working within a second.',
    params: OrgPath,
    body: PutPolicyBody,
    response: EffectivePolicyViewSchema,
    status: 200,
    errors: { version_conflict: 'The policy moved on since the `version` you read: read it again.' },
  })
  setPolicy(@Req() request: OrgRequest, @Body() body: PutPolicyBody): Promise<EffectivePolicyView> {
    return this.rpc.request(
      'tessera.teams.policy.set',
      policyCommand(organizationId(request), request.principal.userId, body),
    );
  }

  @Get(':orgId/policies/versions')
  @OrgPermission('org.read')
  @Endpoint({
    summary: 'Every version of the organization policy, newest first: who set what, when.',
    params: OrgPath,
    response: z.array(PolicyViewSchema),
    status: 200,
  })
  policyVersions(@Req() request: OrgRequest): Promise<PolicyView[]> {
    return this.rpc.request('tessera.teams.policy.versions', { accountId: organizationId(request) });
  }

  @Get(':orgId/transfers')
  @OrgPermission('org.read')
  @Endpoint({
    summary: 'Requests to move teams into the organization, newest first.',
    params: OrgPath,
    response: z.array(TransferViewSchema),
    status: 200,
  })
  transfers(@Req() request: OrgRequest): Promise<TransferView[]> {
    return this.rpc.request('tessera.teams.transfer.list', { organizationId: organizationId(request) });
  }

  @Post(':orgId/transfers')
  @Endpoint({
    summary: 'Asks to move a standalone team into the organization (an Admin of the team, or an Org Admin).',
    description:
      'The other side approves with `…/transfers/:transferId/approve`. Someone who is both an Admin of the team ' +
      'and an Org Admin moves it at once (`status: completed`).',
    params: OrgPath,
    body: RequestTransferBody,
    response: TransferViewSchema,
    status: 201,
    errors: {
      not_found: 'No such team or organization, or you are an Admin of neither.',
      already_in_organization: 'The team already belongs to an organization.',
      transfer_pending: 'A move of this team already waits for approval.',
    },
  })
  async requestTransfer(
    @Req() request: AuthenticatedRequest,
    @Param('orgId') orgId: string,
    @Body() body: z.output<typeof RequestTransferBody>,
  ): Promise<TransferView> {
    return this.settled(
      await this.rpc.request('tessera.teams.transfer.request', {
        organizationId: orgId,
        actorUserId: request.principal.userId,
        ...body,
      }),
    );
  }

  @Post(':orgId/transfers/:transferId/approve')
  @Endpoint({
    summary: 'Approves a move: by the side that did not ask (Org Admin or Admin of the team).',
    params: TransferPath,
    response: TransferViewSchema,
    status: 201,
    errors: {
      not_found: 'No such pending transfer, or you are on neither side of it.',
      forbidden: 'You already approved: the other side must approve.',
      already_in_organization: 'The team already belongs to an organization.',
    },
  })
  async approve(
    @Req() request: AuthenticatedRequest,
    @Param('orgId') orgId: string,
    @Param('transferId') transferId: string,
  ): Promise<TransferView> {
    return this.settled(await this.decide(request, orgId, transferId, true));
  }

  @Post(':orgId/transfers/:transferId/decline')
  @Endpoint({
    summary: 'Declines a pending move (either side; by the side that asked, it withdraws it).',
    params: TransferPath,
    response: TransferViewSchema,
    status: 201,
    errors: { not_found: 'No such pending transfer, or you are on neither side of it.' },
  })
  decline(
    @Req() request: AuthenticatedRequest,
    @Param('orgId') orgId: string,
    @Param('transferId') transferId: string,
  ): Promise<TransferView> {
    return this.decide(request, orgId, transferId, false);
  }

  private decide(request: AuthenticatedRequest, orgId: string, transferId: string, approve: boolean) {
    return this.rpc.request('tessera.teams.transfer.decide', {
      organizationId: orgId,
      actorUserId: request.principal.userId,
      transferId,
      approve,
    });
  }

  /** A completed move changes who may act in the team: this gateway forgets at once, the others by event. */
  private settled(transfer: TransferView): TransferView {
    if (transfer.status === 'completed') this.directory.forgetAccount(transfer.teamId);
    return transfer;
  }
}

/** Requests summed by one property of usage rows, in the order each value first appears (periods in order). */
function totals(rows: UsageRow[], by: (row: UsageRow) => string): [string, number][] {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(by(row), (sums.get(by(row)) ?? 0) + row.requests);
  return [...sums];
}
