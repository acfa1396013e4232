import { Body, Controller, Delete, Get, Param, Put, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  RpcClient,
  SecretListing,
  SecretListingSchema,
  SecretNameSchema,
  SecretView,
  SetSecretBodySchema,
} from '@tessera/contracts';
import { z } from 'zod';
import { CallerRequest, CredentialGuard, Permission, actingMember } from '../authz/credential.guard';
import { Endpoint, Errors } from '../http/endpoint';
import { AccountPath } from './account-path';
import { peopleNamed } from './people';

const SecretPath = AccountPath.extend({ name: SecretNameSchema });

/** Secrets as listings show them: who set each first and last, by name. */
async function withPeople(rpc: RpcClient, secrets: SecretView[]): Promise<SecretListing[]> {
  const person = await peopleNamed(
    rpc,
    secrets.flatMap((secret) => [secret.createdByUserId, secret.updatedByUserId]),
  );
  return secrets.map((secret) => ({
    ...secret,
    createdBy: person(secret.createdByUserId),
    updatedBy: person(secret.updatedByUserId),
  }));
}

/**
 * The account's secrets, for its Admins: values go in and never come out over HTTP. Deployed apps read them
 * on NATS (`tessera.secrets.resolve`).
 */
@ApiTags('secrets')
@ApiBearerAuth()
@ApiSecurity('key')
@Errors({
  unauthenticated: 'No credential.',
  invalid_token: 'The token is invalid or expired.',
  forbidden: 'Your role is not Admin, or an API key was used (secrets are managed by people).',
  not_found: 'No such account or secret, or not yours.',
})
@UseGuards(CredentialGuard)
@Controller('v1/accounts/:accountId/secrets')
export class SecretsController {
  constructor(private readonly rpc: RpcClient) {}

  @Put(':name')
  @Permission({ member: 'secrets.manage' })
  @Endpoint({
    summary:
      'Sets a secret (Admin): creates it, or replaces its value. The value is stored encrypted and never shown again.',
    params: SecretPath,
    body: SetSecretBodySchema,
    response: SecretListingSchema,
    status: 200,
  })
  async set(
    @Req() request: CallerRequest,
    @Param('name') name: string,
    @Body() body: z.output<typeof SetSecretBodySchema>,
  ): Promise<SecretListing> {
    const secret = await this.rpc.request('tessera.keys.secret.set', {
      accountId: request.caller.account.id,
      actorUserId: actingMember(request.caller),
      name,
      value: body.value,
    });
    const [listing] = await withPeople(this.rpc, [secret]);
    return listing;
  }

  @Get()
  @Permission({ member: 'secrets.manage' })
  @Endpoint({
    summary: "The account's secrets by name, with who set them and when (Admin): never their values.",
    params: AccountPath,
    response: z.array(SecretListingSchema),
    status: 200,
  })
  async list(@Req() request: CallerRequest): Promise<SecretListing[]> {
    const secrets = await this.rpc.request('tessera.keys.secret.list', {
      accountId: request.caller.account.id,
    });
    return withPeople(this.rpc, secrets);
  }

  @Delete(':name')
  @Permission({ member: 'secrets.manage' })
  @Endpoint({
    summary: 'Deletes a secret (Admin); apps stop receiving it at once.',
    params: SecretPath,
    response: null,
    status: 204,
  })
  async delete(@Req() request: CallerRequest, @Param('name') name: string): Promise<void> {
    await this.rpc.request('tessera.keys.secret.delete', {
      accountId: request.caller.account.id,
      actorUserId: actingMember(request.caller),
      name,
    });
  }
}
