import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainCommand, DomainView, OrgCommand } from '@tessera/contracts';
import { DomainsService } from './domains.service';

/**
 * The verified-domain subjects. The gateway calls the changing ones only for an Org Admin of `organizationId`;
 * `organization-for-email` is for sign-in (SSO discovery and enforcement).
 */
@Controller()
export class DomainsHandler {
  constructor(private readonly domains: DomainsService) {}

  @MessagePattern('tessera.identity.domain.claim')
  claim(@Payload() command: OrgCommand & { domain: string }): Promise<DomainView> {
    return this.domains.claim(command);
  }

  @MessagePattern('tessera.identity.domain.verify')
  verify(@Payload() command: DomainCommand): Promise<DomainView> {
    return this.domains.verify(command);
  }

  @MessagePattern('tessera.identity.domain.list')
  list(@Payload() { organizationId }: { organizationId: string }): Promise<DomainView[]> {
    return this.domains.list(organizationId);
  }

  @MessagePattern('tessera.identity.domain.remove')
  remove(@Payload() command: DomainCommand): Promise<DomainView> {
    return this.domains.remove(command);
  }

  @MessagePattern('tessera.identity.domain.organization-for-email')
  organizationForEmail(@Payload() { email }: { email: string }): Promise<{ organizationId: string | null }> {
    return this.domains.organizationForEmail(email);
  }
}
