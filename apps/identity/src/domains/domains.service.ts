import { Inject, Injectable } from '@nestjs/common';
import { DomainCommand, DomainEvent, DomainView, OrgCommand } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { LOGGER, Logger, constantTimeEqual, randomToken } from '@tessera/runtime';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DnsTxtLookup } from './dns-txt-lookup';
import { Domain } from './domain.entity';
import { DomainErrors } from './domain.errors';
import { checkDomainName, emailDomain } from '@tessera/contracts';
import { isPublicEmailDomain } from './public-email-domains';
import { verificationRecord, verificationRecordName } from './verification-record';

/** The partial unique index that keeps a domain verified by one organization at most. */
const ONE_VERIFIER_PER_DOMAIN = 'domains_verified_domain';

/**
 * Domains organizations claim and prove by DNS. Any number of organizations may claim a domain (so nobody can block
 * its real owner by claiming first); the first to publish its token and verify owns it, and the others can no
 * longer verify it until that one removes it. Every change writes its event in the same transaction.
 */
@Injectable()
export class DomainsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly dns: DnsTxtLookup,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Claims a domain for the organization; claiming one it already holds answers that claim, without an event. */
  async claim({
    organizationId,
    actorUserId,
    domain: input,
  }: OrgCommand & { domain: unknown }): Promise<DomainView> {
    const check = checkDomainName(input);
    if (!check.valid) throw DomainErrors.invalid(check.problem);
    const { domain } = check;
    if (isPublicEmailDomain(domain)) throw DomainErrors.publicEmailDomain(domain);
    return this.dataSource.transaction(async (manager) => {
      const owner = await manager.findOneBy(Domain, { domain, status: 'verified' });
      if (owner && owner.organizationId !== organizationId) throw DomainErrors.taken(domain);
      const id = uuidv7();
      // A concurrent claim of the same domain by the same organization waits here and then inserts nothing.
      await manager
        .createQueryBuilder()
        .insert()
        .into(Domain)
        .values({ id, organizationId, domain, verificationToken: randomToken(), status: 'pending' })
        .orIgnore()
        .execute();
      const claim = await manager.findOneByOrFail(Domain, { organizationId, domain });
      if (claim.id === id) await this.record(manager, 'claimed', claim, actorUserId);
      return toView(claim);
    });
  }

  /**
   * Verifies a pending claim by looking its TXT record up now. Refused with `domain_not_verified` while the record
   * is missing, wrong or cannot be looked up (nothing changes then), and with `domain_taken` when another
   * organization verified the domain first — also when both verify at the same moment (the unique index decides).
   */
  async verify({ organizationId, actorUserId, domainId }: DomainCommand): Promise<DomainView> {
    const claim = await this.dataSource.getRepository(Domain).findOneBy({ id: domainId, organizationId });
    if (!claim) throw DomainErrors.notFound();
    if (claim.status === 'verified') return toView(claim);
    if (await this.dataSource.getRepository(Domain).existsBy({ domain: claim.domain, status: 'verified' }))
      throw DomainErrors.taken(claim.domain);

    const expected = verificationRecord(claim.domain, claim.verificationToken).value;
    const answer = await this.dns.txt(verificationRecordName(claim.domain));
    if (answer.outcome === 'failed') {
      this.logger.warn({ domain: claim.domain, reason: answer.reason }, 'domain verification lookup failed');
      throw DomainErrors.lookupFailed(claim.domain, answer.reason);
    }
    const values = answer.outcome === 'found' ? answer.values : [];
    // Every value is compared, in constant time, so the answer's timing says nothing about the token.
    const published = values.map((value) => constantTimeEqual(value, expected)).includes(true);
    if (!published) throw DomainErrors.notPublished(claim.domain, claim.verificationToken, values.length);

    try {
      return await this.dataSource.transaction(async (manager) => {
        const result = await manager.update(
          Domain,
          { id: claim.id, status: 'pending' },
          { status: 'verified', verifiedAt: new Date() },
        );
        const current = await manager.findOneBy(Domain, { id: claim.id });
        if (!current) throw DomainErrors.notFound();
        if (result.affected) await this.record(manager, 'verified', current, actorUserId);
        return toView(current);
      });
    } catch (error) {
      if (violates(error, ONE_VERIFIER_PER_DOMAIN)) throw DomainErrors.taken(claim.domain);
      throw error;
    }
  }

  async list(organizationId: string): Promise<DomainView[]> {
    const domains = await this.dataSource
      .getRepository(Domain)
      .find({ where: { organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return domains.map(toView);
  }

  /** Removes a claim, verified or not; a removed verified domain is free for another organization to verify. */
  async remove({ organizationId, actorUserId, domainId }: DomainCommand): Promise<DomainView> {
    return this.dataSource.transaction(async (manager) => {
      const claim = await manager.findOne(Domain, {
        where: { id: domainId, organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!claim) throw DomainErrors.notFound();
      await manager.delete(Domain, { id: claim.id });
      await this.record(manager, 'removed', claim, actorUserId);
      return toView(claim);
    });
  }

  /** The organization that verified exactly the e-mail's domain (a subdomain is another domain), or null. */
  async organizationForEmail(email: unknown): Promise<{ organizationId: string | null }> {
    if (typeof email !== 'string') throw DomainErrors.invalid('`email` must be an e-mail address.');
    const domain = emailDomain(email);
    const verified = domain
      ? await this.dataSource.getRepository(Domain).findOneBy({ domain, status: 'verified' })
      : null;
    return { organizationId: verified?.organizationId ?? null };
  }

  /** Whether the organization owns at least one verified domain: what lets its SSO sign anyone in (decision 013). */
  async hasVerifiedDomain(organizationId: string): Promise<boolean> {
    return this.dataSource.getRepository(Domain).existsBy({ organizationId, status: 'verified' });
  }

  private async record(
    manager: EntityManager,
    change: 'claimed' | 'verified' | 'removed',
    claim: Domain,
    actorUserId: string,
  ): Promise<void> {
    const event: DomainEvent = {
      organizationId: claim.organizationId,
      domainId: claim.id,
      domain: claim.domain,
      actorUserId,
    };
    await this.outbox.add(manager, `tessera.events.identity.domain.${change}`, event);
  }
}

function toView(claim: Domain): DomainView {
  return {
    id: claim.id,
    organizationId: claim.organizationId,
    domain: claim.domain,
    status: claim.status,
    txtRecord: verificationRecord(claim.domain, claim.verificationToken),
    createdAt: claim.createdAt.toISOString(),
    verifiedAt: claim.verifiedAt?.toISOString() ?? null,
  };
}

/** Whether a failed statement broke the named unique constraint or index (PostgreSQL's unique_violation). */
function violates(error: unknown, constraint: string): boolean {
  const driverError =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string; constraint?: string })
      : undefined;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}
