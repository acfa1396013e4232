import { z } from 'zod';
import { DomainNameSchema } from './domain-name';
import { OrgCommandSchema } from './organizations';
import { IsoDateTime, OrganizationIdRequest, rpc, Uuid } from './schema';

/** Verified domains: identity's record of which organization proved it controls which DNS domain. */

export const DomainStatusSchema = z.enum(['pending', 'verified']);
export type DomainStatus = z.infer<typeof DomainStatusSchema>;

/** The DNS record an organization publishes to prove it controls the domain. */
export const DomainTxtRecordSchema = z.object({
  name: z.string().meta({ example: '_tessera-verification.acme.com' }),
  type: z.literal('TXT'),
  value: z.string().meta({ example: 'tessera-verification=…' }),
});
export type DomainTxtRecord = z.infer<typeof DomainTxtRecordSchema>;

export const DomainViewSchema = z
  .object({
    id: Uuid,
    organizationId: Uuid,
    /** Lower-case ASCII (an internationalized name in its punycode form). */
    domain: z.string().meta({ example: 'acme.com' }),
    status: DomainStatusSchema,
    txtRecord: DomainTxtRecordSchema,
    createdAt: IsoDateTime,
    verifiedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'DomainView' });
export type DomainView = z.infer<typeof DomainViewSchema>;

export const DomainCommandSchema = OrgCommandSchema.extend({ domainId: Uuid });
export type DomainCommand = z.infer<typeof DomainCommandSchema>;

export const ClaimDomainRequestSchema = OrgCommandSchema.extend({ domain: DomainNameSchema });

/** An e-mail address as sign-in takes it: anything longer than SMTP allows is refused, the rest is looked at. */
export const EmailAddressSchema = z
  .string({ error: '`email` must be an e-mail address.' })
  .max(254, 'An e-mail address has at most 254 characters.')
  .meta({ example: 'ada@acme.com' });

const DomainEventSchema = z.object({
  organizationId: Uuid,
  domainId: Uuid,
  domain: z.string(),
  actorUserId: Uuid,
});
export type DomainEvent = z.infer<typeof DomainEventSchema>;

/** A verified domain whose record was missing or unreadable at consecutive re-checks: it is unverified again. */
const DomainLapsedEventSchema = DomainEventSchema.omit({ actorUserId: true }).extend({
  failedChecks: z.number().int(),
  /** The last check's outcome: `record_missing`, or the DNS error (`ESERVFAIL`, `ETIMEOUT` …). */
  reason: z.string(),
});
export type DomainLapsedEvent = z.infer<typeof DomainLapsedEventSchema>;

/** Verified domains' events: payload schemas. */
export const DOMAINS_EVENTS = {
  'tessera.events.identity.domain.claimed': DomainEventSchema,
  'tessera.events.identity.domain.verified': DomainEventSchema,
  'tessera.events.identity.domain.removed': DomainEventSchema,
  'tessera.events.identity.domain.lapsed': DomainLapsedEventSchema,
};

/** Verified domains' subjects: request and reply schemas. */
export const DOMAINS_RPC = {
  /** Claiming a domain the organization already holds answers that claim again. */
  'tessera.identity.domain.claim': rpc(ClaimDomainRequestSchema, DomainViewSchema),
  /** Looks the TXT record up in DNS now; a verified domain answers as it is. */
  'tessera.identity.domain.verify': rpc(DomainCommandSchema, DomainViewSchema),
  'tessera.identity.domain.list': rpc(OrganizationIdRequest, z.array(DomainViewSchema)),
  /** Answers the domain as it was; a removed verified domain is free for another organization to verify. */
  'tessera.identity.domain.remove': rpc(DomainCommandSchema, DomainViewSchema),
  /** The organization whose verified domain is exactly the e-mail's domain (no subdomains), if any. */
  'tessera.identity.domain.organization-for-email': rpc(
    z.strictObject({ email: EmailAddressSchema }),
    z.object({ organizationId: Uuid.nullable() }),
  ),
};
