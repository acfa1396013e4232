import { Body, Controller, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccountView, AccountViewSchema, RpcClient, TEAMS_RPC } from '@tessera/contracts';
import { z } from 'zod';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { AttemptLimits } from '../limits/attempt-limits';
import { AuthenticatedRequest } from '../auth/principal';
import { Endpoint, Errors } from '../http/endpoint';

const AcceptInvitationBody = TEAMS_RPC['tessera.teams.invitation.accept'].request
  .pick({ token: true })
  .meta({ id: 'AcceptInvitationBody' });

@ApiTags('teams')
@ApiBearerAuth()
@Errors({ unauthenticated: 'No credential.', invalid_token: 'The token is invalid or expired.' })
@UseGuards(BearerAuthGuard)
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly attempts: AttemptLimits,
  ) {}

  @Post('accept')
  @UseGuards(RateLimitGuard)
  @Endpoint({
    summary: 'Accepts an invitation as the signed-in user, whose e-mail must be the invited one.',
    body: AcceptInvitationBody,
    response: AccountViewSchema,
    status: 200,
    errors: {
      invitation_email_mismatch: 'The invitation was sent to another address.',
      invalid_invitation: 'The token is not an invitation’s.',
      invitation_expired: 'The invitation has expired.',
      invitation_revoked: 'The invitation was cancelled or replaced.',
      invitation_used: 'The invitation was already accepted.',
      policy_violation: "The team's `invitations.allowedDomains` no longer allows the address.",
      rate_limited: 'Too many attempts from this address or account (with `Retry-After`).',
    },
  })
  async accept(
    @Req() request: AuthenticatedRequest,
    @Body() body: z.output<typeof AcceptInvitationBody>,
  ): Promise<AccountView> {
    await this.attempts.attempt(request.principal.userId);
    return this.rpc.request('tessera.teams.invitation.accept', { ...body, userId: request.principal.userId });
  }
}
