import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import {
  DomainCommand,
  DomainEvent,
  DomainLapsedEvent,
  DomainView,
  OrgCommand,
  emailDomain,
} from '@tessera/contracts';
import { OutboxWriter, violatesUnique } from '@tessera/persistence';
import { CONFIG, LOGGER, Logger, constantTimeEqual, randomToken } from '@tessera/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DnsTxtLookup } from './dns-txt-lookup';
import { Domain } from './domain.entity';
import { DomainErrors } from './domain.errors';
import { isPublicEmailDomain } from './public-email-domains';
import { verificationRecord, verificationRecordName } from './verification-record';

/** The partial unique index that keeps a domain verified by one organization at most. */
const ONE_VERIFIER_PER_DOMAIN = 'domains_verified_domain';

/** What DNS says about a claim's proof now. */
type Proof =
  { outcome: 'published' } | { outcome: 'missing'; found: number } | { outcome: 'failed'; reason: string };

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
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * Claims a domain (already normalized by the subject's schema) for the organization; claiming one it already
   * holds answers that claim, without an event.
   */
  async claim({ organizationId, actorUserId, domain }: OrgCommand & { domain: string }): Promise<DomainView> {
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

    const proof = await this.proof(claim);
    if (proof.outcome === 'failed') throw DomainErrors.lookupFailed(claim.domain, proof.reason);
    if (proof.outcome === 'missing')
      throw DomainErrors.notPublished(claim.domain, claim.verificationToken, proof.found);

    try {
      return await this.dataSource.transaction(async (manager) => {
        const now = new Date();
        const result = await manager.update(
          Domain,
          { id: claim.id, status: 'pending' },
          { status: 'verified', verifiedAt: now, checkedAt: now, failedChecks: 0 },
        );
        const current = await manager.findOneBy(Domain, { id: claim.id });
        if (!current) throw DomainErrors.notFound();
        if (result.affected) await this.record(manager, 'verified', current, actorUserId);
        return toView(current);
      });
    } catch (error) {
      if (violatesUnique(error, ONE_VERIFIER_PER_DOMAIN)) throw DomainErrors.taken(claim.domain);
      throw error;
    }
  }

  /**
   * Looks up again every verified domain not checked for `olderThanMs` (the job passes the re-check interval).
   * Each is claimed by stamping `checked_at` in one statement, so identity replicas running the job at once never
   * check a domain twice. A found record resets the failure count; a missing or unreadable one adds to it, and at
   * `TESSERA_DOMAIN_LAPSE_AFTER_FAILURES` the domain lapses: unverified again, with a `domain.lapsed` event, so its
   * organization's SSO stops vouching for its addresses (decision 013). Answers the domains that lapsed.
   */
  async recheckDue(olderThanMs: number): Promise<string[]> {
    const [due] = (await this.dataSource.query(
      `UPDATE identity.domains SET checked_at = now()
        WHERE status = 'verified'
          AND (checked_at IS NULL OR checked_at <= now() - $1 * interval '1 millisecond')
        RETURNING id`,
      [olderThanMs],
    )) as [{ id: string }[], number];
    const lapsed: string[] = [];
    for (const { id } of due) {
      const claim = await this.dataSource.getRepository(Domain).findOneBy({ id, status: 'verified' });
      if (claim && (await this.recheck(claim))) lapsed.push(claim.domain);
    }
    return lapsed;
  }

  /**
   * One re-check; true when the domain lapsed. Only an answer counts against a domain: a lookup that failed (a
   * timeout, SERVFAIL, our own resolver down) says nothing about who owns it, and an outage on Tessera's side must
   * not un-verify every domain at once. It is asked again at the next pass.
   */
  private async recheck(claim: Domain): Promise<boolean> {
    const proof = await this.proof(claim);
    if (proof.outcome === 'failed') return false;
    return this.dataSource.transaction(async (manager) => {
      if (proof.outcome === 'published') {
        await manager.update(Domain, { id: claim.id, status: 'verified' }, { failedChecks: 0 });
        return false;
      }
      const [rows] = (await manager.query(
        `UPDATE identity.domains SET failed_checks = failed_checks + 1
          WHERE id = $1 AND status = 'verified' RETURNING failed_checks`,
        [claim.id],
      )) as [{ failed_checks: number }[], number];
      const failedChecks = rows[0]?.failed_checks;
      if (failedChecks === undefined || failedChecks < this.config.domainLapseAfterFailures) return false;
      await manager.update(
        Domain,
        { id: claim.id },
        { status: 'pending', verifiedAt: null, checkedAt: null, failedChecks: 0 },
      );
      const reason = 'record_missing';
      const event: DomainLapsedEvent = {
        organizationId: claim.organizationId,
        domainId: claim.id,
        domain: claim.domain,
        failedChecks,
        reason,
      };
      await this.outbox.add(manager, 'tessera.events.identity.domain.lapsed', event);
      this.logger.warn({ domain: claim.domain, failedChecks, reason }, 'verified domain lapsed');
      return true;
    });
  }

  /** Whether the claim's TXT record is published now. */
  private async proof(claim: Domain): Promise<Proof> {
    const expected = verificationRecord(claim.domain, claim.verificationToken).value;
    const answer = await this.dns.txt(verificationRecordName(claim.domain));
    if (answer.outcome === 'failed') {
      this.logger.warn({ domain: claim.domain, reason: answer.reason }, 'domain verification lookup failed');
      return answer;
    }
    const values = answer.outcome === 'found' ? answer.values : [];
    // Every value is compared, in constant time, so the answer's timing says nothing about the token.
    const published = values.map((value) => constantTimeEqual(value, expected)).includes(true);
    return published ? { outcome: 'published' } : { outcome: 'missing', found: values.length };
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
  async organizationForEmail(email: string): Promise<{ organizationId: string | null }> {
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
