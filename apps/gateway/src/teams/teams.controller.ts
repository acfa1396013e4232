import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ROLE_MATRIX, TeamAction, can } from '@tessera/authz';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  AccountView,
  AccountViewSchema,
  BulkInviteReply,
  BulkInviteReplySchema,
  BulkRowResult,
  EffectivePolicyView,
  EffectivePolicyViewSchema,
  InvitationView,
  InvitationViewSchema,
  InviteReply,
  InviteReplySchema,
  MAX_CSV_BYTES,
  MemberView,
  MemberViewSchema,
  NewInvitationSchema,
  Role,
  RoleSchema,
  RpcClient,
  TEAMS_RPC,
  TeamCommand,
  TeamView,
  TeamViewSchema,
  TesseraError,
  TransferView,
  TransferViewSchema,
  Uuid,
} from '@tessera/contracts';
import { Response } from 'express';
import { z } from 'zod';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { MembershipDirectory } from '../directory/membership-directory';
import { Endpoint, Errors } from '../http/endpoint';
import { InvitationLimits } from '../limits/invitation-limits';
import { MultipartLengthInterceptor } from '../http/multipart-length.interceptor';
import { PutPolicyBody, policyCommand } from '../policies/policy-body';
import { TeamAccessGuard, TeamPermission, TeamRequest } from './team-access.guard';

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
  'Too many invitation e-mails from you or this team this hour, or to this address today (with `Retry-After`); nothing sent.';
const DOMAIN_NOT_ALLOWED = "The team's `invitations.allowedDomains` does not allow the address.";

const TeamPath = z.strictObject({ id: Uuid });
const MemberPath = TeamPath.extend({ userId: Uuid });
/** The bulk rows that send an e-mail: a first link, or a fresh one with the new role. */
const E_MAILED_ROWS = new Set<BulkRowResult>(['invited', 'role_updated']);
const InvitationPath = TeamPath.extend({ invitationId: Uuid });

const TeamNameBody = TEAMS_RPC['tessera.teams.team.rename'].request
  .pick({ name: true })
  .meta({ id: 'TeamNameBody' });
const SetRoleBody = TEAMS_RPC['tessera.teams.member.set-role'].request
  .pick({ role: true })
  .meta({ id: 'SetRoleBody' });
const InviteBody = NewInvitationSchema.meta({ id: 'InviteBody' });
const BulkQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: '`true`: check every row and answer, inviting nobody.' }),
});
/** How the file may come; the controller takes it from the text parser or from the upload. */
const BulkCsvBody = z.union([
  TEAMS_RPC['tessera.teams.invitation.bulk'].request.shape.csv.meta({
    description: 'As `text/csv`: the file itself.',
    example: 'email,role\nalice@company.com,admin\nbob@company.com,developer',
  }),
  z.strictObject({
    file: z.file().meta({ description: 'As `multipart/form-data`: the file, as the one part `file`.' }),
  }),
]);
const TeamPermissionsSchema = z
  .object({
    role: RoleSchema,
    actions: z
      .record(z.string(), z.boolean())
      .meta({ description: 'Each action of the role table: allowed or not.' }),
  })
  .meta({ id: 'TeamPermissions' });

function command(request: TeamRequest): TeamCommand {
  return { accountId: request.team.id, actorUserId: request.principal.userId };
}

@ApiTags('teams')
@ApiBearerAuth()
@Errors({
  unauthenticated: 'No credential.',
  invalid_token: 'The token is invalid or expired.',
  forbidden: 'Your role does not allow it.',
  not_found: 'No such team, or not yours.',
})
@UseGuards(BearerAuthGuard, TeamAccessGuard)
@Controller('v1/teams')
export class TeamsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly directory: MembershipDirectory,
    private readonly limits: InvitationLimits,
  ) {}

  @Post()
  @Endpoint({
    summary: 'Creates a team; you become its Admin. Answers the new account, to switch to it.',
    body: TeamNameBody,
    response: AccountViewSchema,
    status: 201,
  })
  create(@Req() request: TeamRequest, @Body() body: z.output<typeof TeamNameBody>): Promise<AccountView> {
    return this.rpc.request('tessera.teams.team.create', { userId: request.principal.userId, ...body });
  }

  @Get(':id')
  @TeamPermission('members.read')
  @Endpoint({ summary: 'The team.', params: TeamPath, response: TeamViewSchema, status: 200 })
  get(@Req() request: TeamRequest): Promise<TeamView> {
    return this.rpc.request('tessera.teams.team.get', { accountId: request.team.id });
  }

  @Get(':id/permissions')
  @Endpoint({
    summary: 'What your role lets you do in this team, action by action (for showing or hiding controls).',
    params: TeamPath,
    response: TeamPermissionsSchema,
    status: 200,
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
  @Endpoint({
    summary: 'Renames the team (Admin).',
    params: TeamPath,
    body: TeamNameBody,
    response: TeamViewSchema,
    status: 200,
  })
  async rename(@Req() request: TeamRequest, @Body() body: z.output<typeof TeamNameBody>): Promise<TeamView> {
    const team = await this.rpc.request('tessera.teams.team.rename', { ...command(request), ...body });
    this.directory.forgetAccount(team.id);
    return team;
  }

  @Post(':id/archive')
  @TeamPermission('team.manage')
  @Endpoint({
    summary: 'Archives the team for good (Admin): it leaves every list; its data is kept.',
    params: TeamPath,
    response: TeamViewSchema,
    status: 200,
  })
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
  @Endpoint({
    summary: 'Members with their roles.',
    params: TeamPath,
    response: z.array(MemberViewSchema),
    status: 200,
  })
  members(@Req() request: TeamRequest): Promise<MemberView[]> {
    return this.rpc.request('tessera.teams.member.list', { accountId: request.team.id });
  }

  @Delete(':id/members/me')
  @Endpoint({
    summary: 'Leaves the team (any member; not the last Admin).',
    params: TeamPath,
    response: null,
    status: 204,
    errors: { last_admin: 'You are its last Admin.' },
  })
  async leave(@Req() request: TeamRequest): Promise<void> {
    await this.rpc.request('tessera.teams.member.remove', {
      ...command(request),
      userId: request.principal.userId,
    });
    this.directory.forgetMember(request.principal.userId, request.team.id);
  }

  @Patch(':id/members/:userId')
  @TeamPermission('members.manage')
  @Endpoint({
    summary: "Changes a member's role (Admin).",
    params: MemberPath,
    body: SetRoleBody,
    response: MemberViewSchema,
    status: 200,
    errors: { last_admin: 'The team would have no Admin.' },
  })
  async setRole(
    @Req() request: TeamRequest,
    @Param('userId') userId: string,
    @Body() body: z.output<typeof SetRoleBody>,
  ): Promise<MemberView> {
    const member = await this.rpc.request('tessera.teams.member.set-role', {
      ...command(request),
      userId,
      ...body,
    });
    this.directory.forgetMember(userId, request.team.id);
    return member;
  }

  @Delete(':id/members/:userId')
  @TeamPermission('members.manage')
  @Endpoint({
    summary: 'Removes a member (Admin); their access ends at once.',
    params: MemberPath,
    response: null,
    status: 204,
    errors: { last_admin: 'The member is the last Admin.' },
  })
  async remove(@Req() request: TeamRequest, @Param('userId') userId: string): Promise<void> {
    await this.rpc.request('tessera.teams.member.remove', { ...command(request), userId });
    this.directory.forgetMember(userId, request.team.id);
  }

  @Post(':id/invitations')
  @TeamPermission('invitations.manage')
  @Endpoint({
    summary: 'Invites by e-mail with a role (Admin).',
    description:
      '201 with `result: invited` for an address with no pending invitation. An address that has one answers 200: ' +
      '`already_invited` (same role; nothing is sent) or `role_updated` (another role: the invitation is replaced ' +
      'by one with the new role, a new id and a fresh link; the old link is revoked).',
    params: TeamPath,
    body: InviteBody,
    response: InviteReplySchema,
    status: 201,
    otherStatuses: {
      200: 'The address already had a pending invitation: `already_invited` or `role_updated`.',
    },
    errors: {
      already_member: 'The address is a member already.',
      policy_violation: DOMAIN_NOT_ALLOWED,
      rate_limited: RATE_LIMITED,
    },
  })
  async invite(
    @Req() request: TeamRequest,
    @Body() body: z.output<typeof InviteBody>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<InviteReply> {
    await this.limits.sending(request.principal.userId, request.team.id, [body.email]);
    const reply = await this.rpc.request('tessera.teams.invitation.create', { ...command(request), ...body });
    if (reply.result !== 'invited') response.status(200);
    return reply;
  }

  @Post(':id/invitations/bulk')
  @TeamPermission('invitations.manage')
  @UseInterceptors(
    new MultipartLengthInterceptor(MAX_UPLOAD_BYTES),
    FileInterceptor('file', { limits: CSV_UPLOAD_LIMITS }),
  )
  @ApiConsumes('text/csv', 'multipart/form-data')
  @Endpoint({
    summary:
      'Invites from a CSV `email,role` (at most 50 rows): body `text/csv`, or multipart with a `file`.',
    description: 'One result per row with its line number. `dryRun=true` checks without inviting.',
    params: TeamPath,
    query: BulkQuery,
    body: BulkCsvBody,
    response: BulkInviteReplySchema,
    status: 200,
    renamed: { dry_run: 'dryRun' },
    errors: {
      validation_failed: 'The CSV is not valid (its header must be `email,role`), or the input is not.',
      batch_too_large: 'Over 50 rows; nothing sent.',
      payload_too_large: 'Over 64 KiB of CSV, or 80 KiB of form.',
      bad_request: 'A form with anything besides its one `file`, or without a `Content-Length`.',
      unsupported_media_type: 'Neither `text/csv` nor a multipart `file`.',
      rate_limited: RATE_LIMITED,
    },
  })
  async bulk(
    @Req() request: TeamRequest,
    @Query() { dryRun }: z.output<typeof BulkQuery>,
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
    const recipients = checked.results.filter((row) => E_MAILED_ROWS.has(row.result)).map((row) => row.email);
    await this.limits.sending(request.principal.userId, request.team.id, recipients);
    return this.rpc.request('tessera.teams.invitation.bulk', { ...batch, dryRun: false });
  }

  @Get(':id/invitations')
  @TeamPermission('invitations.manage')
  @Endpoint({
    summary: 'Pending invitations (Admin).',
    params: TeamPath,
    response: z.array(InvitationViewSchema),
    status: 200,
  })
  invitations(@Req() request: TeamRequest): Promise<InvitationView[]> {
    return this.rpc.request('tessera.teams.invitation.list', { accountId: request.team.id });
  }

  @Delete(':id/invitations/:invitationId')
  @TeamPermission('invitations.manage')
  @Endpoint({
    summary: 'Cancels a pending invitation (Admin); its link stops working.',
    params: InvitationPath,
    response: InvitationViewSchema,
    status: 200,
  })
  cancel(@Req() request: TeamRequest, @Param('invitationId') invitationId: string): Promise<InvitationView> {
    return this.rpc.request('tessera.teams.invitation.cancel', { ...command(request), invitationId });
  }

  @Post(':id/invitations/:invitationId/resend')
  @TeamPermission('invitations.manage')
  @Endpoint({
    summary: 'Sends a fresh link (Admin): the invitation is replaced (new id); the old link is revoked.',
    params: InvitationPath,
    response: InvitationViewSchema,
    status: 200,
    errors: { policy_violation: DOMAIN_NOT_ALLOWED, rate_limited: RATE_LIMITED },
  })
  async resend(
    @Req() request: TeamRequest,
    @Param('invitationId') invitationId: string,
  ): Promise<InvitationView> {
    // Only a pending invitation can be resent: one not in the list is refused by the service, and sends nothing.
    const pending = await this.rpc.request('tessera.teams.invitation.list', { accountId: request.team.id });
    const invitation = pending.find(({ id }) => id === invitationId);
    if (invitation) await this.limits.sending(request.principal.userId, request.team.id, [invitation.email]);
    return this.rpc.request('tessera.teams.invitation.resend', { ...command(request), invitationId });
  }
}
