import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Req,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ROLE_MATRIX, TeamAction, can } from '@tessera/authz';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  AccountView,
  BulkInviteReply,
  EffectivePolicyView,
  EffectivePolicyViewSchema,
  InvitationView,
  MemberView,
  Role,
  RpcClient,
  TeamCommand,
  TeamView,
  TesseraError,
  TransferView,
  TransferViewSchema,
  Uuid,
} from '@tessera/contracts';
import { z } from 'zod';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { MembershipDirectory } from '../directory/membership-directory';
import { ErrorEnvelope } from '../http/error-envelope';
import { InvitationLimits } from '../limits/invitation-limits';
import { MultipartLengthInterceptor } from '../http/multipart-length.interceptor';
import { Endpoint } from '../http/endpoint';
import { PutPolicyBody, policyCommand } from '../policies/policy-body';
import { TeamAccessGuard, TeamPermission, TeamRequest } from './team-access.guard';
import { CreateTeamBody, InviteBody, SetRoleBody } from './teams.dto';

const MAX_CSV_BYTES = 64 * 1024;
/** The CSV file and room for the multipart framing around it (boundaries, part headers). */
const MAX_UPLOAD_BYTES = MAX_CSV_BYTES + 16 * 1024;
/**
 * A bulk upload is one `file` part and nothing else. Multer's own defaults allow any number of fields of 1 MB each,
 * kept in memory: here a form with any field is refused at that field (400 `bad_request`).
 */
const CSV_UPLOAD_LIMITS = {
  fileSize: MAX_CSV_BYTES,
  files: 1,
  fields: 0,
  parts: 1,
  fieldNameSize: 100,
  fieldSize: 1024,
  headerPairs: 20,
};

const RATE_LIMITED =
  '`rate_limited` (with `Retry-After`): too many invitation e-mails from you or this team this hour, or to this address today; nothing sent.';

function command(request: TeamRequest): TeamCommand {
  return { accountId: request.team.id, actorUserId: request.principal.userId };
}

const TeamPath = z.strictObject({ id: Uuid });

@ApiTags('teams')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorEnvelope, description: '`unauthenticated` or `invalid_token`.' })
@ApiResponse({ status: 403, type: ErrorEnvelope, description: '`forbidden`: your role does not allow it.' })
@ApiResponse({ status: 404, type: ErrorEnvelope, description: '`not_found`: no such team, or not yours.' })
@UseGuards(BearerAuthGuard, TeamAccessGuard)
@Controller('v1/teams')
export class TeamsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly directory: MembershipDirectory,
    private readonly limits: InvitationLimits,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Creates a team; you become its Admin. Answers the new account, to switch to it.',
  })
  @ApiResponse({ status: 400, type: ErrorEnvelope, description: '`validation_failed`: 1–64 characters.' })
  create(@Req() request: TeamRequest, @Body() body: CreateTeamBody): Promise<AccountView> {
    return this.rpc.request('tessera.teams.team.create', {
      userId: request.principal.userId,
      name: body?.name,
    });
  }

  @Get(':id')
  @TeamPermission('members.read')
  @ApiOperation({ summary: 'The team.' })
  get(@Req() request: TeamRequest): Promise<TeamView> {
    return this.rpc.request('tessera.teams.team.get', { accountId: request.team.id });
  }

  @Get(':id/permissions')
  @ApiOperation({
    summary: 'What your role lets you do in this team, action by action (for showing or hiding controls).',
  })
  permissions(@Req() request: TeamRequest): { role: Role; actions: Record<TeamAction, boolean> } {
    const role = request.team.role;
    return {
      role,
      actions: Object.fromEntries(
        ROLE_MATRIX.map((row) => [row.action, can({ role }, row.action)]),
      ) as Record<TeamAction, boolean>,
    };
  }

  @Patch(':id')
  @TeamPermission('team.manage')
  @ApiOperation({ summary: 'Renames the team (Admin).' })
  async rename(@Req() request: TeamRequest, @Body() body: CreateTeamBody): Promise<TeamView> {
    const team = await this.rpc.request('tessera.teams.team.rename', {
      ...command(request),
      name: body?.name,
    });
    this.directory.forgetAccount(team.id);
    return team;
  }

  @Post(':id/archive')
  @HttpCode(200)
  @TeamPermission('team.manage')
  @ApiOperation({ summary: 'Archives the team for good (Admin): it leaves every list; its data is kept.' })
  async archive(@Req() request: TeamRequest): Promise<TeamView> {
    const team = await this.rpc.request('tessera.teams.team.archive', command(request));
    this.directory.forgetAccount(team.id);
    return team;
  }

  @Get(':id/policies')
  @TeamPermission('members.read')
  @Endpoint({
    summary: "The team's own policy, its organization's, and the effective one (tightest of both).",
    params: TeamPath,
    response: EffectivePolicyViewSchema,
    status: 200,
  })
  policy(@Req() request: TeamRequest): Promise<EffectivePolicyView> {
    return this.rpc.request('tessera.teams.policy.get', { accountId: request.team.id });
  }

  @Put(':id/policies')
  @TeamPermission('team.manage')
  @Endpoint({
    summary: "Replaces the team's own policy (Admin); it may only tighten the organization's.",
    description:
      'Sign-in and session settings (`sso.enforced`, `signin.allowedMethods`, `sessions.maxAgeHours`) are ' +
      "the organization's alone: a team cannot set them (`validation_failed`, naming the setting).",
    params: TeamPath,
    body: PutPolicyBody,
    response: EffectivePolicyViewSchema,
    status: 200,
    errors: {
      version_conflict: 'The policy moved on since the `version` you read: read it again.',
      policy_violation: "Looser than the organization's rule, which the message names.",
    },
  })
  setPolicy(@Req() request: TeamRequest, @Body() body: PutPolicyBody): Promise<EffectivePolicyView> {
    return this.rpc.request(
      'tessera.teams.policy.set',
      policyCommand(request.team.id, request.principal.userId, body),
    );
  }

  @Get(':id/transfers')
  @TeamPermission('team.manage')
  @Endpoint({
    summary: 'Requests to move this team into an organization, newest first (Admin).',
    params: TeamPath,
    response: z.array(TransferViewSchema),
    status: 200,
  })
  transfers(@Req() request: TeamRequest): Promise<TransferView[]> {
    return this.rpc.request('tessera.teams.transfer.list', { teamId: request.team.id });
  }

  @Get(':id/members')
  @TeamPermission('members.read')
  @ApiOperation({ summary: 'Members with their roles.' })
  members(@Req() request: TeamRequest): Promise<MemberView[]> {
    return this.rpc.request('tessera.teams.member.list', { accountId: request.team.id });
  }

  @Delete(':id/members/me')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leaves the team (any member; not the last Admin).' })
  @ApiResponse({ status: 409, type: ErrorEnvelope, description: '`last_admin`.' })
  async leave(@Req() request: TeamRequest): Promise<void> {
    await this.rpc.request('tessera.teams.member.remove', {
      ...command(request),
      userId: request.principal.userId,
    });
    this.directory.forgetMember(request.principal.userId, request.team.id);
  }

  @Patch(':id/members/:userId')
  @TeamPermission('members.manage')
  @ApiOperation({ summary: "Changes a member's role (Admin)." })
  @ApiResponse({
    status: 409,
    type: ErrorEnvelope,
    description: '`last_admin`: the team would have no Admin.',
  })
  async setRole(
    @Req() request: TeamRequest,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: SetRoleBody,
  ): Promise<MemberView> {
    const member = await this.rpc.request('tessera.teams.member.set-role', {
      ...command(request),
      userId,
      role: body?.role,
    });
    this.directory.forgetMember(userId, request.team.id);
    return member;
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @TeamPermission('members.manage')
  @ApiOperation({ summary: 'Removes a member (Admin); their access ends at once.' })
  @ApiResponse({ status: 409, type: ErrorEnvelope, description: '`last_admin`.' })
  async remove(
    @Req() request: TeamRequest,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    await this.rpc.request('tessera.teams.member.remove', { ...command(request), userId });
    this.directory.forgetMember(userId, request.team.id);
  }

  @Post(':id/invitations')
  @TeamPermission('invitations.manage')
  @ApiOperation({
    summary: 'Invites by e-mail with a role (Admin). Inviting again answers the pending invitation.',
  })
  @ApiResponse({ status: 409, type: ErrorEnvelope, description: '`already_member`.' })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: RATE_LIMITED })
  async invite(@Req() request: TeamRequest, @Body() body: InviteBody): Promise<InvitationView> {
    const recipients = typeof body?.email === 'string' ? [body.email] : [];
    await this.limits.sending(request.principal.userId, request.team.id, recipients);
    return this.rpc.request('tessera.teams.invitation.create', {
      ...command(request),
      email: body?.email,
      role: body?.role,
    });
  }

  @Post(':id/invitations/bulk')
  @HttpCode(200)
  @TeamPermission('invitations.manage')
  @UseInterceptors(
    new MultipartLengthInterceptor(MAX_UPLOAD_BYTES),
    FileInterceptor('file', { limits: CSV_UPLOAD_LIMITS }),
  )
  @ApiOperation({
    summary:
      'Invites from a CSV `email,role` (at most 50 rows): body `text/csv`, or multipart with a `file`.',
    description: 'One result per row with its line number. `dry_run=true` checks without inviting.',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    schema: { type: 'string', example: 'email,role\nalice@company.com,admin\nbob@company.com,developer' },
  })
  @ApiQuery({ name: 'dry_run', required: false, enum: ['true', 'false'] })
  @ApiResponse({
    status: 413,
    type: ErrorEnvelope,
    description:
      '`batch_too_large`: over 50 rows; nothing sent. `payload_too_large`: over 64 KiB of CSV, or 80 KiB of form.',
  })
  @ApiResponse({
    status: 400,
    type: ErrorEnvelope,
    description: '`bad_request`: a form with anything besides its one `file`, or without a `Content-Length`.',
  })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: RATE_LIMITED })
  async bulk(
    @Req() request: TeamRequest,
    @Query('dry_run') dryRun: unknown,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<BulkInviteReply> {
    const csv = file
      ? file.buffer.toString('utf8')
      : typeof request.body === 'string'
        ? request.body
        : undefined;
    if (csv === undefined) {
      throw new TesseraError(
        'unsupported_media_type',
        'Send the CSV as text/csv, or as multipart/form-data `file`.',
      );
    }
    const batch = { ...command(request), csv };
    const checked = await this.rpc.request('tessera.teams.invitation.bulk', { ...batch, dryRun: true });
    if (dryRun === 'true') return checked;
    // The dry run says which rows would be e-mailed: they are counted (or the whole batch refused) before any is.
    const recipients = checked.results.filter((row) => row.result === 'invited').map((row) => row.email);
    await this.limits.sending(request.principal.userId, request.team.id, recipients);
    return this.rpc.request('tessera.teams.invitation.bulk', { ...batch, dryRun: false });
  }

  @Get(':id/invitations')
  @TeamPermission('invitations.manage')
  @ApiOperation({ summary: 'Pending invitations (Admin).' })
  invitations(@Req() request: TeamRequest): Promise<InvitationView[]> {
    return this.rpc.request('tessera.teams.invitation.list', { accountId: request.team.id });
  }

  @Delete(':id/invitations/:invitationId')
  @TeamPermission('invitations.manage')
  @ApiOperation({ summary: 'Cancels a pending invitation (Admin); its link stops working.' })
  cancel(
    @Req() request: TeamRequest,
    @Param('invitationId', new ParseUUIDPipe()) invitationId: string,
  ): Promise<InvitationView> {
    return this.rpc.request('tessera.teams.invitation.cancel', { ...command(request), invitationId });
  }

  @Post(':id/invitations/:invitationId/resend')
  @HttpCode(200)
  @TeamPermission('invitations.manage')
  @ApiOperation({
    summary: 'Sends a fresh link (Admin): the invitation is replaced (new id); the old link is revoked.',
  })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: RATE_LIMITED })
  async resend(
    @Req() request: TeamRequest,
    @Param('invitationId', new ParseUUIDPipe()) invitationId: string,
  ): Promise<InvitationView> {
    // Only a pending invitation can be resent: one not in the list is refused by the service, and sends nothing.
    const pending = await this.rpc.request('tessera.teams.invitation.list', { accountId: request.team.id });
    const invitation = pending.find(({ id }) => id === invitationId);
    if (invitation) await this.limits.sending(request.principal.userId, request.team.id, [invitation.email]);
    return this.rpc.request('tessera.teams.invitation.resend', { ...command(request), invitationId });
  }
}
