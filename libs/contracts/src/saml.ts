/** SAML 2.0 single sign-on: what a connection to a customer's identity provider is, and what a sign-in yields. */

/**
 * Attribute names to read instead of the defaults (Okta, Entra ID and Google Workspace names are tried when a field
 * is not set here). Each names one SAML `Attribute`, exactly as the IdP sends it in its `Name`.
 */
export interface SamlAttributeMapping {
  email?: string;
  /** The display name; without it the defaults (display name, or first and last name) are tried. */
  name?: string;
  groups?: string;
}

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
export interface SsoProfile {
  nameId: string;
  nameIdFormat?: string;
  email: string;
  name?: string;
  groups: string[];
  /** Every attribute of the assertion, each with all its text values. */
  attributes: Record<string, string[]>;
  assertionId: string;
  sessionIndex?: string;
  /** The AuthnRequest this answers; absent for an IdP-initiated (unsolicited) response. */
  inResponseTo?: string;
}
