import { X509Certificate } from 'node:crypto';
import { z } from 'zod';

/** SAML 2.0 single sign-on: what a connection to a customer's identity provider is, and what a sign-in yields. */

const AttributeName = z
  .string()
  .trim()
  .min(1, 'An attribute name has 1 to 256 characters.')
  .max(256, 'An attribute name has 1 to 256 characters.');

/**
 * Attribute names to read instead of the defaults (Okta, Entra ID and Google Workspace names are tried when a field
 * is not set here). Each names one SAML `Attribute`, exactly as the IdP sends it in its `Name`.
 */
export const SamlAttributeMappingSchema = z
  .strictObject({
    email: AttributeName.optional(),
    /** The display name; without it the defaults (display name, or first and last name) are tried. */
    name: AttributeName.optional(),
    groups: AttributeName.optional(),
  })
  .meta({
    id: 'SamlAttributeMapping',
    description: 'Attribute names to read instead of the Okta / Entra ID / Google Workspace defaults.',
    example: { groups: 'memberOf' },
  });
export type SamlAttributeMapping = z.infer<typeof SamlAttributeMappingSchema>;

export interface SamlConnection {
  id: string;
  /** Tessera's entity id for this connection: the audience every assertion must name. */
  spEntityId: string;
  /** Where the IdP posts responses: the `Destination` and `Recipient` every response must name. */
  acsUrl: string;
  /** The IdP's entity id: the `Issuer` every response and assertion must name. */
  idpEntityId: string;
  /** Where AuthnRequests are sent (HTTP-Redirect binding). */
  idpSsoUrl: string;
  /** PEM certificates whose keys may sign assertions: one, or two while the IdP rotates its key. */
  idpCertificates: string[];
  /** Whether responses nobody asked for (started at the IdP's dashboard) are accepted. */
  allowIdpInitiated: boolean;
  /** Tolerated difference between the IdP's clock and ours when checking NotBefore and NotOnOrAfter. */
  clockSkewSeconds: number;
  attributeMapping?: SamlAttributeMapping;
}

/** A person as a verified, signed assertion describes them; nothing here comes from unsigned parts of a response. */
export const SsoProfileSchema = z.object({
  nameId: z.string(),
  nameIdFormat: z.string().optional(),
  email: z.string(),
  name: z.string().optional(),
  groups: z.array(z.string()),
  /** Every attribute of the assertion, each with all its text values. */
  attributes: z.record(z.string(), z.array(z.string())),
  assertionId: z.string(),
  sessionIndex: z.string().optional(),
  /** The AuthnRequest this answers; absent for an IdP-initiated (unsolicited) response. */
  inResponseTo: z.string().optional(),
});
export type SsoProfile = z.infer<typeof SsoProfileSchema>;

/** A certificate as metadata carries it (base64 DER, often wrapped) or as a person pastes it (PEM), in PEM form. */
export function toPem(base64: string): string {
  const body = base64.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}

/** Whether `text` (PEM or base64 DER) is an X.509 certificate Node can read. */
export function isCertificate(text: string): boolean {
  try {
    new X509Certificate(toPem(text));
    return true;
  } catch {
    return false;
  }
}
