import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountView, RpcClient } from '@tessera/contracts';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { AttemptLimits } from '../limits/attempt-limits';
import { AuthenticatedRequest } from '../auth/principal';
import { ErrorEnvelope } from '../http/error-envelope';
import { AcceptInvitationBody } from './teams.dto';

@ApiTags('teams')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly attempts: AttemptLimits,
  ) {}

  @Post('accept')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Accepts an invitation as the signed-in user, whose e-mail must be the invited one.',
  })
  @ApiResponse({ status: 403, type: ErrorEnvelope, description: '`invitation_email_mismatch`.' })
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`invalid_invitation`.' })
  @ApiResponse({
    status: 410,
    type: ErrorEnvelope,
    description: '`invitation_expired`, `invitation_revoked` or `invitation_used`.',
  })
  @ApiResponse({
    status: 429,
    type: ErrorEnvelope,
    description: '`rate_limited` (with `Retry-After`): too many attempts from this address or account.',
  })
  async accept(
    @Req() request: AuthenticatedRequest,
    @Body() body: AcceptInvitationBody,
  ): Promise<AccountView> {
    await this.attempts.attempt(request.principal.userId);
    return this.rpc.request('tessera.teams.invitation.accept', {
      token: typeof body?.token === 'string' ? body.token : '',
      userId: request.principal.userId,
    });
  }
}
