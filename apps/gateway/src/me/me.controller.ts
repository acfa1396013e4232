import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  AccountView,
  AccountViewSchema,
  IDENTITY_RPC,
  RpcClient,
  SessionView,
  SessionViewSchema,
  UserView,
  UserViewSchema,
  Uuid,
} from '@tessera/contracts';
import { z } from 'zod';
import { ACCOUNT_HEADER, ActiveAccountService } from '../auth/active-account.service';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { UserDirectory } from '../directory/user-directory';
import { Endpoint, Errors } from '../http/endpoint';

const MySessionSchema = SessionViewSchema.extend({
  current: z.boolean().meta({ description: 'The session this request comes from.' }),
}).meta({ id: 'MySession' });
const SessionPath = z.strictObject({ id: Uuid });
const IdentityPath = IDENTITY_RPC['tessera.identity.identity.unlink'].request.pick({ provider: true });

@ApiTags('me')
@ApiBearerAuth()
@ApiHeader({
  name: ACCOUNT_HEADER,
  required: false,
  description: 'Act for this account (one you belong to).',
})
@Errors({
  unauthenticated: 'No credential.',
  invalid_token: 'The token is invalid or expired.',
  not_a_member: 'The account named is not yours.',
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
  @Endpoint({
    summary: 'The signed-in user and the sign-in methods linked to them.',
    response: UserViewSchema,
    status: 200,
  })
  me(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    return this.users.view(principal.userId);
  }

  @Get('accounts')
  @Endpoint({
    summary: 'The accounts the user can act as: personal first, then organizations and teams.',
    // The teams service's account view; it gets its schema with the teams payloads.
    response: z.array(AccountViewSchema),
    status: 200,
  })
  listAccounts(@CurrentPrincipal() principal: Principal): Promise<AccountView[]> {
    return this.accounts.list(principal.userId);
  }

  @Get('sessions')
  @Endpoint({
    summary: "The user's active sessions (browsers and CLIs); `current` marks this one.",
    response: z.array(MySessionSchema),
    status: 200,
  })
  async sessions(@CurrentPrincipal() principal: Principal): Promise<(SessionView & { current: boolean })[]> {
    const sessions = await this.rpc.request('tessera.identity.session.list', { userId: principal.userId });
    return sessions.map((session) => ({ ...session, current: session.id === principal.sessionId }));
  }

  @Delete('sessions/:id')
  @Endpoint({
    summary: 'Signs one of your sessions out; its tokens stop working within a second.',
    params: SessionPath,
    response: null,
    status: 204,
    errors: { not_found: 'No such session of yours.' },
  })
  async revokeSession(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.rpc.request('tessera.identity.session.revoke', { sessionId: id, userId: principal.userId });
  }

  @Delete('identities/:provider')
  @Endpoint({
    summary: 'Unlinks a sign-in method; the last one cannot be removed.',
    params: IdentityPath,
    response: UserViewSchema,
    status: 200,
    errors: {
      not_found: 'You have no such sign-in method.',
      last_identity: 'It is your only way to sign in: link another first.',
    },
  })
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
