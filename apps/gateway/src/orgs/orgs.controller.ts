import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  EffectivePolicyView,
  KeyView,
  MemberView,
  OrgInvitationView,
  OrgMemberView,
  OrgTeamView,
  OrganizationView,
  PolicyView,
  RpcClient,
  TesseraError,
  TransferView,
  isUuid,
} from '@tessera/contracts';
import { usageRange } from '../accounts/usage-range';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { AuthenticatedRequest } from '../auth/principal';
import { MembershipDirectory } from '../directory/membership-directory';
import { ErrorEnvelope } from '../http/error-envelope';
import { PutPolicyBody, policyCommand } from '../policies/policies.dto';
import { CreateTeamBody } from '../teams/teams.dto';
import { OrgAccessGuard, OrgPermission, OrgRequest } from './org-access.guard';
import { AddOrgAdminBody, CreateOrganizationBody, RequestTransferBody } from './orgs.dto';

export interface OrgUsageReport {
  organizationId: string;
  from: string;
  to: string;
  teams: {
    teamId: string;
    teamName: string;
    requests: number;
    byAction: { action: string; requests: number }[];
  }[];
}

const organizationId = (request: OrgRequest) => request.organization.id;

@ApiTags('organizations')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorEnvelope, description: '`unauthenticated` or `invalid_token`.' })
@ApiResponse({
  status: 404,
  type: ErrorEnvelope,
  description: '`not_found`: no such organization, or you are not one of its Org Admins.',
})
@UseGuards(BearerAuthGuard, OrgAccessGuard)
@Controller('v1/orgs')
export class OrgsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly directory: MembershipDirectory,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Creates an organization; you become its first Org Admin.' })
  @ApiResponse({ status: 400, type: ErrorEnvelope, description: '`validation_failed`: 1–64 characters.' })
  create(
    @Req() request: AuthenticatedRequest,
    @Body() body: CreateOrganizationBody,
  ): Promise<OrganizationView> {
    return this.rpc.request('tessera.teams.org.create', {
      userId: request.principal.userId,
      name: body?.name,
    });
  }

  @Get(':orgId')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'The organization (Org Admins).' })
  get(@Req() request: OrgRequest): Promise<OrganizationView> {
    return this.rpc.request('tessera.teams.org.get', { organizationId: organizationId(request) });
  }

  @Get(':orgId/teams')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'Every team of the organization, with member and pending-invitation counts.' })
  teams(@Req() request: OrgRequest): Promise<OrgTeamView[]> {
    return this.rpc.request('tessera.teams.org.teams', { organizationId: organizationId(request) });
  }

  @Post(':orgId/teams')
  @OrgPermission('org.manage')
  @ApiOperation({ summary: 'Creates a team inside the organization; you become its first Admin.' })
  @ApiResponse({ status: 400, type: ErrorEnvelope, description: '`validation_failed`: 1–64 characters.' })
  createTeam(@Req() request: OrgRequest, @Body() body: CreateTeamBody): Promise<OrgTeamView> {
    return this.rpc.request('tessera.teams.org.create-team', {
      organizationId: organizationId(request),
      actorUserId: request.principal.userId,
      name: body?.name,
    });
  }

  @Get(':orgId/members')
  @OrgPermission('org.read')
  @ApiOperation({
    summary: 'Every member of every team of the organization, with the team and their role in it.',
  })
  members(@Req() request: OrgRequest): Promise<OrgMemberView[]> {
    return this.rpc.request('tessera.teams.org.members', { organizationId: organizationId(request) });
  }

  @Get(':orgId/admins')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'The Org Admins.' })
  admins(@Req() request: OrgRequest): Promise<MemberView[]> {
    return this.rpc.request('tessera.teams.org.admins', { organizationId: organizationId(request) });
  }

  @Post(':orgId/admins')
  @OrgPermission('org.manage')
  @ApiOperation({ summary: 'Makes an Org Member (someone in one of its teams) an Org Admin.' })
  @ApiResponse({
    status: 400,
    type: ErrorEnvelope,
    description: '`validation_failed`: `userId` is not a UUID.',
  })
  addAdmin(@Req() request: OrgRequest, @Body() body: AddOrgAdminBody): Promise<MemberView> {
    if (!isUuid(body?.userId))
      throw new TesseraError('validation_failed', '`userId` must be a user id (UUID).');
    return this.rpc.request('tessera.teams.org.add-admin', {
      organizationId: organizationId(request),
      actorUserId: request.principal.userId,
      userId: body.userId,
    });
  }

  @Delete(':orgId/admins/:userId')
  @HttpCode(204)
  @OrgPermission('org.manage')
  @ApiOperation({
    summary: 'Removes an Org Admin (or steps down); never the last one. Their rights end at once.',
  })
  @ApiResponse({ status: 409, type: ErrorEnvelope, description: '`last_admin`.' })
  async removeAdmin(
    @Req() request: OrgRequest,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    await this.rpc.request('tessera.teams.org.remove-admin', {
      organizationId: organizationId(request),
      actorUserId: request.principal.userId,
      userId,
    });
    this.directory.forgetUser(userId);
  }

  @Get(':orgId/invitations')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'Every pending invitation of every team of the organization.' })
  invitations(@Req() request: OrgRequest): Promise<OrgInvitationView[]> {
    return this.rpc.request('tessera.teams.org.invitations', { organizationId: organizationId(request) });
  }

  @Get(':orgId/keys')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'The API keys of every team of the organization: metadata only, never secrets.' })
  async keys(@Req() request: OrgRequest): Promise<(KeyView & { teamName: string })[]> {
    const teams = await this.teams(request);
    const keys = await Promise.all(
      teams.map(async (team) =>
        (await this.rpc.request('tessera.keys.key.list', { accountId: team.id })).map((key) => ({
          ...key,
          teamName: team.name,
        })),
      ),
    );
    return keys.flat();
  }

  @Get(':orgId/usage')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'Requests of every team of the organization in a range, by team and action.' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601; default 30 days before `to`.' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive; default now.' })
  async usage(
    @Req() request: OrgRequest,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
  ): Promise<OrgUsageReport> {
    const range = usageRange(from, to);
    const teams = await this.teams(request);
    const reports = await Promise.all(
      teams.map(async (team) => {
        const rows = await this.rpc.request('tessera.keys.usage.query', {
          accountId: team.id,
          ...range,
          groupBy: 'action',
        });
        const byAction = rows.map(({ action, requests }) => ({ action: action!, requests }));
        const requests = byAction.reduce((sum, row) => sum + row.requests, 0);
        return { teamId: team.id, teamName: team.name, requests, byAction };
      }),
    );
    return { organizationId: organizationId(request), ...range, teams: reports };
  }

  @Get(':orgId/policies')
  @OrgPermission('org.read')
  @ApiOperation({ summary: "The organization's policy (inherited by every team of it) and its version." })
  policy(@Req() request: OrgRequest): Promise<EffectivePolicyView> {
    return this.rpc.request('tessera.teams.policy.get', { accountId: organizationId(request) });
  }

  @Put(':orgId/policies')
  @OrgPermission('org.manage')
  @ApiOperation({
    summary:
      'Replaces the organization policy; keys and sessions that now break it stop working within a second.',
  })
  @ApiResponse({ status: 400, type: ErrorEnvelope, description: '`validation_failed`: names the setting.' })
  @ApiResponse({ status: 409, type: ErrorEnvelope, description: '`version_conflict`.' })
  setPolicy(@Req() request: OrgRequest, @Body() body: PutPolicyBody): Promise<EffectivePolicyView> {
    return this.rpc.request(
      'tessera.teams.policy.set',
      policyCommand(organizationId(request), request.principal.userId, body),
    );
  }

  @Get(':orgId/policies/versions')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'Every version of the organization policy, newest first: who set what, when.' })
  policyVersions(@Req() request: OrgRequest): Promise<PolicyView[]> {
    return this.rpc.request('tessera.teams.policy.versions', { accountId: organizationId(request) });
  }

  @Get(':orgId/transfers')
  @OrgPermission('org.read')
  @ApiOperation({ summary: 'Requests to move teams into the organization, newest first.' })
  transfers(@Req() request: OrgRequest): Promise<TransferView[]> {
    return this.rpc.request('tessera.teams.transfer.list', { organizationId: organizationId(request) });
  }

  @Post(':orgId/transfers')
  @ApiOperation({
    summary: 'Asks to move a standalone team into the organization (an Admin of the team, or an Org Admin).',
    description:
      'The other side approves with `…/transfers/:transferId/approve`. Someone who is both an Admin of the team ' +
      'and an Org Admin moves it at once (`status: completed`).',
  })
  @ApiResponse({
    status: 409,
    type: ErrorEnvelope,
    description: '`already_in_organization`, `transfer_pending`.',
  })
  async requestTransfer(
    @Req() request: AuthenticatedRequest,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: RequestTransferBody,
  ): Promise<TransferView> {
    if (!isUuid(body?.teamId))
      throw new TesseraError('validation_failed', '`teamId` must be a team id (UUID).');
    return this.settled(
      await this.rpc.request('tessera.teams.transfer.request', {
        organizationId: orgId,
        actorUserId: request.principal.userId,
        teamId: body.teamId,
      }),
    );
  }

  @Post(':orgId/transfers/:transferId/approve')
  @ApiOperation({
    summary: 'Approves a move: by the side that did not ask (Org Admin or Admin of the team).',
  })
  @ApiResponse({ status: 403, type: ErrorEnvelope, description: '`forbidden`: the other side must approve.' })
  async approve(
    @Req() request: AuthenticatedRequest,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('transferId', ParseUUIDPipe) transferId: string,
  ): Promise<TransferView> {
    return this.settled(await this.decide(request, orgId, transferId, true));
  }

  @Post(':orgId/transfers/:transferId/decline')
  @ApiOperation({
    summary: 'Declines a pending move (either side; by the side that asked, it withdraws it).',
  })
  decline(
    @Req() request: AuthenticatedRequest,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('transferId', ParseUUIDPipe) transferId: string,
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
