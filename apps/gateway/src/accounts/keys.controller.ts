import { Body, Controller, Delete, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  GraceSecondsSchema,
  IssuedKey,
  IssuedKeySchema,
  KeyCommand,
  KeyCount,
  KeyCountSchema,
  KeyListing,
  KeyListingSchema,
  NewKeySchema,
  RpcClient,
  Uuid,
} from '@tessera/contracts';
import { z } from 'zod';
import { CallerRequest, CredentialGuard, Permission, actingMember } from '../authz/credential.guard';
import { KeyVerifier } from '../authz/key-verifier';
import { Endpoint, Errors } from '../http/endpoint';
import { AccountPath } from './account-path';
import { withCreators } from './key-creators';

function command(request: CallerRequest): KeyCommand {
  return { accountId: request.caller.account.id, actorUserId: actingMember(request.caller) };
}

const KeyPath = AccountPath.extend({ keyId: Uuid });
const CreateKeyBody = NewKeySchema.meta({ id: 'CreateKeyBody' });
const RotateKeyBody = z.strictObject({ graceSeconds: GraceSecondsSchema }).meta({ id: 'RotateKeyBody' });

@ApiTags('keys')
@ApiBearerAuth()
@ApiSecurity('key')
@Errors({
  unauthenticated: 'No credential.',
  invalid_token: 'The token is invalid or expired.',
  forbidden: 'Your role does not allow it, or an API key was used (keys never manage keys).',
  not_found: 'No such account or key, or not yours.',
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
  @Endpoint({
    summary:
      'Creates an API key for the account (team Admin, or the owner of a personal account). The secret is in this reply only.',
    params: AccountPath,
    body: CreateKeyBody,
    response: IssuedKeySchema,
    status: 201,
    renamed: { expires_at: 'expiresAt' },
  })
  create(@Req() request: CallerRequest, @Body() body: z.output<typeof CreateKeyBody>): Promise<IssuedKey> {
    return this.rpc.request('tessera.keys.key.create', { ...command(request), ...body });
  }

  @Get()
  @Permission({ member: 'keys.read' })
  @Endpoint({
    summary:
      "The account's keys: metadata only, never secrets, with who created each (Admin and Billing; others: `GET …/keys/count`).",
    params: AccountPath,
    response: z.array(KeyListingSchema),
    status: 200,
  })
  async list(@Req() request: CallerRequest): Promise<KeyListing[]> {
    const keys = await this.rpc.request('tessera.keys.key.list', { accountId: request.caller.account.id });
    return withCreators(this.rpc, keys);
  }

  @Get('count')
  @Permission({ member: 'resources.use' })
  @Endpoint({
    summary:
      'How many keys the account has (any member): a Developer learns that keys exist without seeing them.',
    params: AccountPath,
    response: KeyCountSchema,
    status: 200,
  })
  async count(@Req() request: CallerRequest): Promise<KeyCount> {
    const keys = await this.rpc.request('tessera.keys.key.list', { accountId: request.caller.account.id });
    return { count: keys.length };
  }

  @Delete(':keyId')
  @Permission({ member: 'keys.manage' })
  @Endpoint({
    summary: 'Revokes a key for good (Admin); every gateway refuses it within a second.',
    params: KeyPath,
    response: null,
    status: 204,
  })
  async revoke(@Req() request: CallerRequest, @Param('keyId') keyId: string): Promise<void> {
    await this.rpc.request('tessera.keys.key.revoke', { ...command(request), keyId });
    this.verifier.forget(keyId);
  }

  @Post(':keyId/rotate')
  @Permission({ member: 'keys.manage' })
  @Endpoint({
    summary:
      'A new secret for the key (Admin); the previous one keeps working for `graceSeconds`, then fails.',
    params: KeyPath,
    body: RotateKeyBody,
    response: IssuedKeySchema,
    status: 200,
    renamed: { grace_seconds: 'graceSeconds' },
  })
  async rotate(
    @Req() request: CallerRequest,
    @Param('keyId') keyId: string,
    @Body() body: z.output<typeof RotateKeyBody>,
  ): Promise<IssuedKey> {
    const issued = await this.rpc.request('tessera.keys.key.rotate', { ...command(request), keyId, ...body });
    this.verifier.forget(keyId);
    return issued;
  }
}
