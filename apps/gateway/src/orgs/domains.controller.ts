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
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainCommand, DomainView, RpcClient, TesseraError } from '@tessera/contracts';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { ErrorEnvelope } from '../http/error-envelope';
import { ClaimDomainBody } from './domains.dto';
import { OrgAccessGuard, OrgPermission, OrgRequest } from './org-access.guard';

/** A malformed domain id is a bad request in the error envelope's terms, not an unknown route. */
const domainIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new TesseraError('validation_failed', '`domainId` must be a domain id (UUID).'),
});

function command(request: OrgRequest, domainId: string): DomainCommand {
  return { organizationId: request.organization.id, actorUserId: request.principal.userId, domainId };
}

@ApiTags('organizations')
@ApiBearerAuth()
@ApiParam({ name: 'orgId', format: 'uuid' })
@ApiResponse({ status: 401, type: ErrorEnvelope, description: '`unauthenticated` or `invalid_token`.' })
@ApiResponse({
  status: 404,
  type: ErrorEnvelope,
  description: '`not_found`: no such organization or domain, or you are not one of its Org Admins.',
})
@UseGuards(BearerAuthGuard, OrgAccessGuard)
@Controller('v1/orgs/:orgId/domains')
export class DomainsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @OrgPermission('org.manage')
  @ApiOperation({
    summary: 'Claims a domain for the organization; answers the TXT record to publish to verify it.',
    description:
      'Claiming a domain the organization already holds answers that claim again. Other organizations may ' +
      'claim the same domain; the first to verify it owns it.',
  })
  @ApiResponse({ status: 201, description: 'The claim (`status: pending`) with its `txtRecord`.' })
  @ApiResponse({
    status: 400,
    type: ErrorEnvelope,
    description: '`validation_failed`: not a domain name (wildcards and IP addresses included).',
  })
  @ApiResponse({
    status: 409,
    type: ErrorEnvelope,
    description: '`domain_taken`: verified by another organization.',
  })
  @ApiResponse({
    status: 422,
    type: ErrorEnvelope,
    description: '`public_email_domain`: a public e-mail provider such as gmail.com.',
  })
  claim(@Req() request: OrgRequest, @Body() body: ClaimDomainBody): Promise<DomainView> {
    return this.rpc.request('tessera.identity.domain.claim', {
      organizationId: request.organization.id,
      actorUserId: request.principal.userId,
      domain: body?.domain,
    });
  }

  @Get()
  @OrgPermission('org.read')
  @ApiOperation({ summary: "The organization's domains, pending and verified, oldest first." })
  list(@Req() request: OrgRequest): Promise<DomainView[]> {
    return this.rpc.request('tessera.identity.domain.list', { organizationId: request.organization.id });
  }

  @Post(':domainId/verify')
  @HttpCode(200)
  @OrgPermission('org.manage')
  @ApiOperation({
    summary: 'Verifies a claim by looking up its TXT record in DNS now.',
    description: 'A verified domain answers as it is.',
  })
  @ApiResponse({ status: 200, description: 'The domain, `status: verified`.' })
  @ApiResponse({
    status: 400,
    type: ErrorEnvelope,
    description: '`validation_failed`: a malformed domain id.',
  })
  @ApiResponse({
    status: 409,
    type: ErrorEnvelope,
    description:
      '`domain_not_verified`: the TXT record is missing or wrong, or the DNS lookup failed (the message says ' +
      'which, and what to publish); `domain_taken`: another organization verified the domain first.',
  })
  verify(@Req() request: OrgRequest, @Param('domainId', domainIdPipe) domainId: string): Promise<DomainView> {
    return this.rpc.request('tessera.identity.domain.verify', command(request, domainId));
  }

  @Delete(':domainId')
  @HttpCode(204)
  @OrgPermission('org.manage')
  @ApiOperation({ summary: 'Removes a domain, pending or verified; a verified one becomes free to claim.' })
  @ApiResponse({ status: 204, description: 'Removed.' })
  @ApiResponse({
    status: 400,
    type: ErrorEnvelope,
    description: '`validation_failed`: a malformed domain id.',
  })
  async remove(@Req() request: OrgRequest, @Param('domainId', domainIdPipe) domainId: string): Promise<void> {
    await this.rpc.request('tessera.identity.domain.remove', command(request, domainId));
  }
}
