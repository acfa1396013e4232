import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountView, RpcClient, SessionView, UserView } from '@tessera/contracts';
import { ErrorEnvelope } from '../http/error-envelope';
import { ACCOUNT_HEADER, ActiveAccountService } from '../auth/active-account.service';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { UserDirectory } from '../directory/user-directory';

@ApiTags('me')
@ApiBearerAuth()
@ApiHeader({
  name: ACCOUNT_HEADER,
  required: false,
  description: 'Act for this account (one you belong to).',
})
@ApiResponse({ status: 401, type: ErrorEnvelope, description: '`unauthenticated` or `invalid_token`.' })
@ApiResponse({
  status: 403,
  type: ErrorEnvelope,
  description: '`not_a_member`: the named account is not yours.',
})
@UseGuards(BearerAuthGuard)
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly accounts: ActiveAccountService,
    private readonly users: UserDirectory,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user and the sign-in methods linked to them.' })
  me(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    return this.users.view(principal.userId);
  }

  @Get('accounts')
  @ApiOperation({
    summary: 'The accounts the user can act as: personal first, then organizations and teams.',
  })
  listAccounts(@CurrentPrincipal() principal: Principal): Promise<AccountView[]> {
    return this.accounts.list(principal.userId);
  }

  @Get('sessions')
  @ApiOperation({ summary: "The user's active sessions (browsers and CLIs); `current` marks this one." })
  async sessions(@CurrentPrincipal() principal: Principal): Promise<(SessionView & { current: boolean })[]> {
    const sessions = await this.rpc.request('tessera.identity.session.list', { userId: principal.userId });
    return sessions.map((session) => ({ ...session, current: session.id === principal.sessionId }));
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Signs one of your sessions out; its tokens stop working within a second.' })
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`not_found`: no such session of yours.' })
  async revokeSession(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.rpc.request('tessera.identity.session.revoke', { sessionId: id, userId: principal.userId });
  }

  @Delete('identities/:provider')
  @ApiOperation({ summary: 'Unlinks a sign-in method; the last one cannot be removed.' })
  @ApiResponse({ status: 409, type: ErrorEnvelope, description: '`last_identity`.' })
  async unlink(
    @CurrentPrincipal() principal: Principal,
    @Param('provider') provider: string,
  ): Promise<UserView> {
    const user = await this.rpc.request('tessera.identity.identity.unlink', {
      userId: principal.userId,
      provider,
    });
    this.users.forget(principal.userId);
    return user;
  }
}
