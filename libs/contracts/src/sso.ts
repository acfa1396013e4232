import { z } from 'zod';
import { EmailAddressSchema } from './domains';
import { ClientInfoSchema } from './identity';
import { OrgCommandSchema } from './organizations';
import { SamlAttributeMappingSchema, SsoProfileSchema, isCertificate } from './saml';
import { IsoDateTime, OrganizationIdRequest, rpc, Uuid } from './schema';
import { RoleSchema } from './teams';

/** Payloads of identity's SSO subjects: an organization's SAML connections, and signing in through them. */

export const MAX_CLOCK_SKEW_SECONDS = 300;
export const MAX_GROUP_MAPPINGS = 100;
/** Larger than any real IdP's metadata (a few certificates and endpoints), small enough to parse at once. */
export const MAX_METADATA_CHARACTERS = 512 * 1024;

/** Hosts an IdP may be reached on over plain http: a developer's own machine. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function securelyReached(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/** Text of 1 to `max` characters, trimmed; `what` names it in the messages. */
function text(max: number, what: string) {
  const rule = `${what} has 1 to ${max} characters.`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required.` : rule) })
    .trim()
    .min(1, rule)
    .max(max, rule);
}

/**
 * The IdP as a connection names it. Each comes from the IdP's metadata XML or is entered by hand; checked with
 * the same rules either way, so a sign-in never meets a half-valid connection.
 */
export const IdpSettingsSchema = z.strictObject({
  idpEntityId: text(1024, "The IdP's entity id").meta({
    example: 'http://www.okta.com/exk1abcd',
    description: "The IdP's entity id (Issuer).",
  }),
  idpSsoUrl: text(2048, "The IdP's single sign-on URL")
    .refine(URL.canParse, { message: "Must be the URL of the IdP's single sign-on service.", abort: true })
    .refine(securelyReached, 'Must be an https:// URL.')
    .meta({ example: 'https://acme.okta.com/app/acme_tessera/exk1abcd/sso/saml' }),
  idpCertificates: z
    .array(
      z.string().refine(isCertificate, 'A certificate could not be read (PEM or base64 DER expected).'),
      {
        error: "The IdP's signing certificates are required (one or two, PEM).",
      },
    )
    .min(1, 'Give one or two signing certificates (PEM).')
    .max(2, 'Give one or two signing certificates (PEM).')
    .meta({
      description:
        "The IdP's signing certificate (PEM or base64); two at once while the IdP rotates its key.",
    }),
});
export type IdpSettings = z.infer<typeof IdpSettingsSchema>;

/** People in `group` (as the IdP sends it) get `role` in `teamId`, one of the organization's teams. */
export const GroupMappingSchema = z
  .strictObject({ group: text(256, 'A group name'), teamId: Uuid, role: RoleSchema })
  .meta({
    id: 'GroupMapping',
    example: { group: 'ml-engineers', teamId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90', role: 'developer' },
  });
export type GroupMapping = z.infer<typeof GroupMappingSchema>;

/**
 * What an IT admin sets up; on update, fields left out keep their value. The IdP comes from its metadata XML, or
 * from its entity id, SSO URL and signing certificate(s) entered by hand (two certificates at once while the IdP
 * rotates its key). Rules that need the organization (its teams, its verified domains) are the service's.
 */
export const SsoConnectionInputSchema = IdpSettingsSchema.partial()
  .extend({
    name: text(64, 'A connection name').optional().meta({ example: 'Okta' }),
    metadataXml: z.string().max(MAX_METADATA_CHARACTERS, 'The metadata is too large.').optional().meta({
      description:
        "The IdP's metadata XML (Okta, Entra ID and Google Workspace offer it for download). Sets the three IdP fields.",
    }),
    allowIdpInitiated: z
      .boolean()
      .optional()
      .meta({ description: 'Accept sign-ins started from the IdP dashboard (new connections: false).' }),
    clockSkewSeconds: z
      .number()
      .int(`A whole number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.`)
      .min(0, `A whole number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.`)
      .max(MAX_CLOCK_SKEW_SECONDS, `A whole number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.`)
      .optional()
      .meta({ description: 'Tolerated difference between the clocks (new connections: 60).' }),
    attributeMapping: SamlAttributeMappingSchema.optional(),
    groupMappings: z
      .array(GroupMappingSchema)
      .max(MAX_GROUP_MAPPINGS, `At most ${MAX_GROUP_MAPPINGS} group mappings.`)
      .optional(),
    /** Where people no group mapping places go, and with which role; none: such people are not admitted. */
    defaultTeamId: Uuid.nullable().optional().meta({ description: 'Where people no group places go.' }),
    defaultRole: RoleSchema.nullable().optional(),
    enabled: z
      .boolean()
      .optional()
      .meta({ description: 'New connections: enabled once the organization has verified a domain.' }),
  })
  .meta({ id: 'SsoConnectionInput' });
export type SsoConnectionInput = z.infer<typeof SsoConnectionInputSchema>;

export const CertificateViewSchema = z.object({
  subject: z.string(),
  fingerprintSha256: z.string(),
  validTo: IsoDateTime,
});
export type CertificateView = z.infer<typeof CertificateViewSchema>;

export const SsoConnectionViewSchema = z
  .object({
    id: Uuid,
    organizationId: Uuid,
    name: z.string(),
    enabled: z.boolean(),
    /** What the IdP's admin copies into the IdP. */
    serviceProvider: z.object({
      entityId: z.string(),
      acsUrl: z.string(),
      metadataUrl: z.string(),
      loginUrl: z.string(),
    }),
    identityProvider: z.object({
      entityId: z.string(),
      ssoUrl: z.string(),
      certificates: z.array(CertificateViewSchema),
    }),
    allowIdpInitiated: z.boolean(),
    clockSkewSeconds: z.number().int(),
    attributeMapping: SamlAttributeMappingSchema,
    groupMappings: z.array(GroupMappingSchema),
    defaultTeamId: Uuid.nullable(),
    defaultRole: RoleSchema.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'SsoConnectionView' });
export type SsoConnectionView = z.infer<typeof SsoConnectionViewSchema>;

/** What the IdP sent about the person in a test round trip (the assertion's own id is of no use to anyone). */
export const SsoTestProfileSchema = SsoProfileSchema.omit({ assertionId: true }).meta({
  id: 'SsoTestProfile',
});

/**
 * The last "test connection" round trip that brought a valid assertion, as identity keeps it on the connection:
 * what arrived, and the teams and roles the person would have been placed in by the mappings of that moment.
 */
export const SsoTestResultSchema = z.object({
  testedAt: IsoDateTime,
  profile: SsoTestProfileSchema,
  placements: z.array(z.object({ teamId: Uuid, role: RoleSchema })),
});
export type SsoTestResult = z.infer<typeof SsoTestResultSchema>;

export const SsoPurposeSchema = z.enum(['signin', 'test']);
export type SsoPurpose = z.infer<typeof SsoPurposeSchema>;

export const SsoSignedInSchema = z.object({
  purpose: z.literal('signin'),
  userId: Uuid,
  refreshToken: z.string(),
  returnTo: z.string(),
  /**
   * Only for an IdP-initiated answer (no request of this browser's): it could have been posted into the browser by
   * another site, so the gateway asks the person before a signed-out browser takes it (decision 013).
   */
  idpInitiated: z.object({ connectionName: z.string() }).optional(),
});
export type SsoSignedIn = z.infer<typeof SsoSignedInSchema>;

/** A finished SSO round trip: a signed-in person, or (test connection) what the IdP sent, with no one signed in. */
export const SsoCompleteReplySchema = z.discriminatedUnion('purpose', [
  SsoSignedInSchema,
  /**
   * The e-mail belongs to an existing user (of GitHub or Google) that this SSO identity is not linked to yet: the
   * person is asked first. `linkToken` (sealed, ten minutes) carries the sign-in to `sso.link.confirm`.
   */
  z.object({
    purpose: z.literal('confirm_link'),
    linkToken: z.string(),
    email: z.string(),
    providers: z.array(z.string()),
    returnTo: z.string(),
  }),
  z.object({
    purpose: z.literal('test'),
    connectionId: Uuid,
    profile: SsoTestProfileSchema,
    teams: z.array(z.string()),
  }),
]);
export type SsoCompleteReply = z.infer<typeof SsoCompleteReplySchema>;

export const SsoDiscoverRequestSchema = z.strictObject({ email: EmailAddressSchema });
export const SsoDiscoverReplySchema = z.object({ loginUrl: z.string().nullable() }).meta({
  id: 'SsoDiscovery',
  description: 'Where the e-mail signs in with its organization’s SSO, if it does.',
});

const ConnectionCommand = OrgCommandSchema.extend({ connectionId: Uuid });
const ConnectionId = z.strictObject({ connectionId: Uuid });

/** Identity's SSO subjects: request and reply schemas. */
export const SSO_RPC = {
  'tessera.identity.sso.connection.create': rpc(
    OrgCommandSchema.extend({ input: SsoConnectionInputSchema }),
    SsoConnectionViewSchema,
  ),
  'tessera.identity.sso.connection.update': rpc(
    ConnectionCommand.extend({ input: SsoConnectionInputSchema }),
    SsoConnectionViewSchema,
  ),
  'tessera.identity.sso.connection.delete': rpc(ConnectionCommand, z.object({ deleted: z.literal(true) })),
  'tessera.identity.sso.connection.list': rpc(OrganizationIdRequest, z.array(SsoConnectionViewSchema)),
  'tessera.identity.sso.metadata': rpc(ConnectionId, z.object({ xml: z.string() })),
  /** The connection's last successful test round trip; `null` when none reached Tessera yet. */
  'tessera.identity.sso.connection.last-test': rpc(
    OrganizationIdRequest.extend({ connectionId: Uuid }),
    SsoTestResultSchema.nullable(),
  ),
  'tessera.identity.sso.start': rpc(
    ConnectionId.extend({ returnTo: z.string(), purpose: SsoPurposeSchema }),
    /** `binding`: what the browser keeps in its SAML request cookie, for the ACS to send back (decision 013). */
    z.object({ redirectUrl: z.string(), binding: z.string() }),
  ),
  'tessera.identity.sso.complete': rpc(
    ConnectionId.extend({
      samlResponse: z.string(),
      client: ClientInfoSchema,
      binding: z.string().optional(),
    }),
    SsoCompleteReplySchema,
  ),
  /** The person agreed to link their SSO identity to the existing user with their e-mail: link, and sign in. */
  'tessera.identity.sso.link.confirm': rpc(
    z.strictObject({ linkToken: z.string(), client: ClientInfoSchema }),
    SsoSignedInSchema,
  ),
  /** The SSO sign-in URL for an e-mail whose verified domain belongs to an organization with SSO. */
  'tessera.identity.sso.discover': rpc(SsoDiscoverRequestSchema, SsoDiscoverReplySchema),
};

const SsoConnectionEventSchema = z.object({ organizationId: Uuid, connectionId: Uuid, actorUserId: Uuid });

/** Identity's SSO events: payload schemas. */
export const SSO_EVENTS = {
  'tessera.events.identity.sso_connection.created': SsoConnectionEventSchema,
  'tessera.events.identity.sso_connection.updated': SsoConnectionEventSchema,
  'tessera.events.identity.sso_connection.deleted': SsoConnectionEventSchema,
  'tessera.events.identity.sso.succeeded': z.object({
    organizationId: Uuid,
    connectionId: Uuid,
    userId: Uuid,
    created: z.boolean(),
  }),
  /** `reason`: a stable word (`signature_invalid`, `replayed`, `not_provisioned` …); nothing of the response. */
  'tessera.events.identity.sso.failed': z.object({
    organizationId: Uuid,
    connectionId: Uuid,
    reason: z.string(),
  }),
};
