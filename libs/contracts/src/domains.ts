import { OrgCommand } from './organizations';

/** Verified domains: identity's record of which organization proved it controls which DNS domain. */

export type DomainStatus = 'pending' | 'verified';

/** The DNS record an organization publishes to prove it controls the domain. */
export interface DomainTxtRecord {
  /** `_tessera-verification.<domain>` */
  name: string;
  type: 'TXT';
  /** `tessera-verification=<token>` */
  value: string;
}

export interface DomainView {
  id: string;
  organizationId: string;
  /** Lower-case ASCII (an internationalized name in its punycode form). */
  domain: string;
  status: DomainStatus;
  txtRecord: DomainTxtRecord;
  createdAt: string;
  verifiedAt: string | null;
}

export type DomainCommand = OrgCommand & { domainId: string };

export interface DomainEvent {
  organizationId: string;
  domainId: string;
  domain: string;
  actorUserId: string;
}

/** A verified domain whose record was missing or unreadable at consecutive re-checks: it is unverified again. */
export interface DomainLapsedEvent {
  organizationId: string;
  domainId: string;
  domain: string;
  failedChecks: number;
  /** The last check's outcome: `record_missing`, or the DNS error (`ESERVFAIL`, `ETIMEOUT` …). */
  reason: string;
}

export interface DomainsEvents {
  'tessera.events.identity.domain.claimed': DomainEvent;
  'tessera.events.identity.domain.verified': DomainEvent;
  'tessera.events.identity.domain.removed': DomainEvent;
  'tessera.events.identity.domain.lapsed': DomainLapsedEvent;
}

export interface DomainsRpc {
  /** Claiming a domain the organization already holds answers that claim again. */
  'tessera.identity.domain.claim': [OrgCommand & { domain: string }, DomainView];
  /** Looks the TXT record up in DNS now; a verified domain answers as it is. */
  'tessera.identity.domain.verify': [DomainCommand, DomainView];
  'tessera.identity.domain.list': [{ organizationId: string }, DomainView[]];
  /** Answers the domain as it was; a removed verified domain is free for another organization to verify. */
  'tessera.identity.domain.remove': [DomainCommand, DomainView];
  /** The organization whose verified domain is exactly the e-mail's domain (no subdomains), if any. */
  'tessera.identity.domain.organization-for-email': [{ email: string }, { organizationId: string | null }];
}

/** Subjects described by schemas (request and reply); the interface above lists those still to move here. */
export const DOMAINS_RPC = {};
