import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DomainView, RpcPayload } from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { DomainsService } from './domains.service';

/**
 * The verified-domain subjects. The gateway calls the changing ones only for an Org Admin of `organizationId`;
 * `organization-for-email` is for sign-in (SSO discovery and enforcement).
 */
@Controller()
export class DomainsHandler {
  constructor(private readonly domains: DomainsService) {}

  @Rpc('tessera.identity.domain.claim')
  claim(@Payload() command: RpcPayload<'tessera.identity.domain.claim'>): Promise<DomainView> {
    return this.domains.claim(command);
  }

  @Rpc('tessera.identity.domain.verify')
  verify(@Payload() command: RpcPayload<'tessera.identity.domain.verify'>): Promise<DomainView> {
    return this.domains.verify(command);
  }

  @Rpc('tessera.identity.domain.list')
  list(@Payload() { organizationId }: RpcPayload<'tessera.identity.domain.list'>): Promise<DomainView[]> {
    return this.domains.list(organizationId);
  }

  @Rpc('tessera.identity.domain.remove')
  remove(@Payload() command: RpcPayload<'tessera.identity.domain.remove'>): Promise<DomainView> {
    return this.domains.remove(command);
  }

  @Rpc('tessera.identity.domain.organization-for-email')
  organizationForEmail(
    @Payload() { email }: RpcPayload<'tessera.identity.domain.organization-for-email'>,
  ): Promise<{ organizationId: string | null }> {
    return this.domains.organizationForEmail(email);
  }
}
