import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IssuedKey, KeyCommand, KeyView, RpcClient } from '@tessera/contracts';
import { CallerRequest, CredentialGuard, Permission, actingMember } from '../authz/credential.guard';
import { KeyVerifier } from '../authz/key-verifier';
import { ErrorEnvelope } from '../http/error-envelope';
import { CreateKeyBody, IssuedKeyDto, KeyViewDto, RotateKeyBody } from './accounts.dto';

function command(request: CallerRequest): KeyCommand {
  return { accountId: request.caller.account.id, actorUserId: actingMember(request.caller) };
}

@ApiTags('keys')
@ApiBearerAuth()
@ApiSecurity('key')
@ApiResponse({ status: 401, type: ErrorEnvelope, description: '`unauthenticated`, `invalid_token`.' })
@ApiResponse({
  status: 403,
  type: ErrorEnvelope,
  description: '`forbidden`: your role does not allow it, or an API key was used (keys never manage keys).',
})
@ApiResponse({
  status: 404,
  type: ErrorEnvelope,
  description: '`not_found`: no such account or key, or not yours.',
})
@UseGuards(CredentialGuard)
@Controller('v1/accounts/:accountId/keys')
export class KeysController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly verifier: KeyVerifier,
  ) {}

  @Post()
  @Permission({ member: 'keys.manage' })
  @ApiOperation({
    summary:
      'Creates an API key for the account (team Admin, or the owner of a personal account). The secret is in this reply only.',
  })
  @ApiResponse({ status: 201, type: IssuedKeyDto })
  @ApiResponse({
    status: 400,
    type: ErrorEnvelope,
    description: '`validation_failed`: name, scope or expiry.',
  })
  create(@Req() request: CallerRequest, @Body() body: CreateKeyBody): Promise<IssuedKey> {
    return this.rpc.request('tessera.keys.key.create', {
      ...command(request),
      name: body?.name,
      scope: body?.scope,
      expiresAt: body?.expires_at,
    });
  }

  @Get()
  @Permission({ member: 'keys.read' })
  @ApiOperation({ summary: "The account's keys: metadata only, never secrets (Admin and Billing)." })
  @ApiResponse({ status: 200, type: [KeyViewDto] })
  list(@Req() request: CallerRequest): Promise<KeyView[]> {
    return this.rpc.request('tessera.keys.key.list', { accountId: request.caller.account.id });
  }

  @Delete(':keyId')
  @HttpCode(204)
  @Permission({ member: 'keys.manage' })
  @ApiOperation({ summary: 'Revokes a key for good (Admin); every gateway refuses it within a second.' })
  async revoke(
    @Req() request: CallerRequest,
    @Param('keyId', new ParseUUIDPipe()) keyId: string,
  ): Promise<void> {
    await this.rpc.request('tessera.keys.key.revoke', { ...command(request), keyId });
    this.verifier.forget(keyId);
  }

  @Post(':keyId/rotate')
  @HttpCode(200)
  @Permission({ member: 'keys.manage' })
  @ApiOperation({
    summary:
      'A new secret for the key (Admin); the previous one keeps working for `grace_seconds`, then fails.',
  })
  @ApiResponse({ status: 200, type: IssuedKeyDto })
  async rotate(
    @Req() request: CallerRequest,
    @Param('keyId', new ParseUUIDPipe()) keyId: string,
    @Body() body: RotateKeyBody,
  ): Promise<IssuedKey> {
    const issued = await this.rpc.request('tessera.keys.key.rotate', {
      ...command(request),
      keyId,
      graceSeconds: body?.grace_seconds,
    });
    this.verifier.forget(keyId);
    return issued;
  }
}
