import { Body, Controller, Delete, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ClaimDomainRequestSchema,
  DomainCommand,
  DomainView,
  DomainViewSchema,
  RpcClient,
  Uuid,
} from '@tessera/contracts';
import { z } from 'zod';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { Endpoint, Errors } from '../http/endpoint';
import { OrgAccessGuard, OrgPath, OrgPermission, OrgRequest } from './org-access.guard';

const DomainPath = OrgPath.extend({ domainId: Uuid });
const ClaimDomainBody = ClaimDomainRequestSchema.pick({ domain: true });

function command(request: OrgRequest, domainId: string): DomainCommand {
  return { organizationId: request.organization.id, actorUserId: request.principal.userId, domainId };
}

@ApiTags('organizations')
@ApiBearerAuth()
@Errors({
  unauthenticated: 'No credential.',
  invalid_token: 'The token is invalid or expired.',
  not_found: 'No such organization or domain, or you are not one of its Org Admins.',
  forbidden: 'Only Org Admins may do this.',
})
@UseGuards(BearerAuthGuard, OrgAccessGuard)
@Controller('v1/orgs/:orgId/domains')
export class DomainsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @OrgPermission('org.manage')
  @Endpoint({
    summary: 'Claims a domain for the organization; answers the TXT record to publish to verify it.',
    description:
      'Claiming a domain the organization already holds answers that claim again. Other organizations may ' +
      'claim the same domain; the first to verify it owns it. Wildcards and IP addresses are not domain names.',
    params: OrgPath,
    body: ClaimDomainBody,
    response: DomainViewSchema,
    status: 201,
    errors: {
      domain_taken: 'Verified by another organization.',
      public_email_domain: 'A public e-mail provider such as gmail.com.',
    },
  })
  claim(@Req() request: OrgRequest, @Body() body: z.output<typeof ClaimDomainBody>): Promise<DomainView> {
    return this.rpc.request('tessera.identity.domain.claim', {
      organizationId: request.organization.id,
      actorUserId: request.principal.userId,
      ...body,
    });
  }

  @Get()
  @OrgPermission('org.read')
  @Endpoint({
    summary: "The organization's domains, pending and verified, oldest first.",
    params: OrgPath,
    response: z.array(DomainViewSchema),
    status: 200,
  })
  list(@Req() request: OrgRequest): Promise<DomainView[]> {
    return this.rpc.request('tessera.identity.domain.list', { organizationId: request.organization.id });
  }

  @Post(':domainId/verify')
  @OrgPermission('org.manage')
  @Endpoint({
    summary: 'Verifies a claim by looking up its TXT record in DNS now; a verified domain answers as it is.',
    params: DomainPath,
    response: DomainViewSchema,
    status: 200,
    errors: {
      domain_not_verified:
        'The TXT record is missing or wrong, or the DNS lookup failed (the message says which, and what to publish).',
      domain_taken: 'Another organization verified the domain first.',
    },
  })
  verify(@Req() request: OrgRequest, @Param('domainId') domainId: string): Promise<DomainView> {
    return this.rpc.request('tessera.identity.domain.verify', command(request, domainId));
  }

  @Delete(':domainId')
  @OrgPermission('org.manage')
  @Endpoint({
    summary: 'Removes a domain, pending or verified; a verified one becomes free to claim.',
    params: DomainPath,
    response: null,
    status: 204,
  })
  async remove(@Req() request: OrgRequest, @Param('domainId') domainId: string): Promise<void> {
    await this.rpc.request('tessera.identity.domain.remove', command(request, domainId));
  }
}
