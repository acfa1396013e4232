import { SamlConnection } from '@tessera/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import * as samlify from 'samlify';
import { TestCredentials, selfSignedCertificate } from '../self-signed-certificate';

const POST = samlify.Constants.namespace.binding.post;
const REDIRECT = samlify.Constants.namespace.binding.redirect;
const EMAIL_ADDRESS = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

/** How a real IdP names the attributes it sends (see apps/identity's DEFAULT_SAML_ATTRIBUTES). */
export type SamlAttributeDialect = 'okta' | 'entra';

export interface SamlStandInUser {
  nameId: string;
  /** Default: emailAddress. */
  nameIdFormat?: string;
  /** Not sent when absent. */
  email?: string;
  name?: string;
  groups?: string[];
}

/**
 * How the next response deviates from an honest one: signed with the IdP's own key either way, so only the
 * checks under test can refuse it. Dates default to now and now + 5 minutes.
 */
export interface SamlResponseOptions {
  /** Which parts the IdP signs; default `assertion`, as Okta, Entra ID and Google Workspace do. */
  signing?: 'assertion' | 'response' | 'both';
  destination?: string;
  recipient?: string;
  audience?: string;
  /** In both the response and the SubjectConfirmationData; `null` leaves it out. */
  inResponseTo?: string | null;
  notBefore?: Date;
  notOnOrAfter?: Date;
}

interface TrustedServiceProvider {
  entityId: string;
  acsUrl: string;
}

/**
 * A SAML identity provider made with samlify, in process: its own fresh key and self-signed certificate, the
 * service providers it trusts (registered from their metadata, as an IdP admin does), answers to SP-initiated
 * AuthnRequests and unsolicited (IdP-initiated) responses, as base64 `SAMLResponse` form values. Every message
 * it signs goes through samlify's own signing, the way a production IdP library would produce it.
 */
export class SamlIdpStandIn {
  private readonly serviceProviders = new Map<string, TrustedServiceProvider>();

  private constructor(
    readonly entityId: string,
    private readonly credentials: TestCredentials,
    private readonly dialect: SamlAttributeDialect,
  ) {}

  /** Two stand-ins started with the same `entityId` are one IdP before and after a key rotation. */
  static async start(
    options: { entityId?: string; dialect?: SamlAttributeDialect } = {},
  ): Promise<SamlIdpStandIn> {
    const entityId = options.entityId ?? `https://idp-${randomBytes(4).toString('hex')}.example.test`;
    // The stand-in parses the SP's AuthnRequests only to answer them; samlify wants a schema validator installed for
    // that, and validating the SP's requests is not what these tests are about. Product code never uses samlify.
    samlify.setSchemaValidator({ validate: async () => 'skipped' });
    const credentials = await selfSignedCertificate(new URL(entityId).hostname);
    return new SamlIdpStandIn(entityId, credentials, options.dialect ?? 'okta');
  }

  get ssoUrl(): string {
    return `${this.entityId}/sso`;
  }

  /** The signing certificate, PEM: what an admin copies into the SP's connection. */
  get certificate(): string {
    return this.credentials.certificate;
  }

  /** The signing key, for tests that forge what only this IdP (or whoever stole its key) could sign. */
  get privateKey(): string {
    return this.credentials.privateKey;
  }

  /**
   * A Tessera connection to this IdP as an admin would set it up (entity id, SSO URL, certificate), for an
   * installation at `https://accounts.example.test`; `overrides` change any field.
   */
  connection(overrides: Partial<SamlConnection> = {}): SamlConnection {
    const id = overrides.id ?? randomUUID();
    return {
      id,
      spEntityId: `https://accounts.example.test/auth/saml/${id}/metadata`,
      acsUrl: `https://accounts.example.test/auth/saml/${id}/acs`,
      idpEntityId: this.entityId,
      idpSsoUrl: this.ssoUrl,
      idpCertificates: [this.certificate],
      allowIdpInitiated: false,
      clockSkewSeconds: 60,
      ...overrides,
    };
  }

  metadata(): string {
    return this.identityProvider().getMetadata();
  }

  /** Registers a service provider from its metadata XML (entity id and HTTP-POST ACS URL). */
  trust(spMetadata: string): void {
    const metadata = samlify.SPMetadata(spMetadata);
    // samlify's getAssertionConsumerService() finds nothing when there is a single ACS element, as node-saml writes.
    const services = [metadata.meta.assertionConsumerService ?? []].flat() as {
      binding: string;
      location: string;
    }[];
    const acsUrl = services.find((service) => service.binding === POST)?.location;
    if (!acsUrl) throw new Error('the SP metadata has no HTTP-POST AssertionConsumerService');
    this.serviceProviders.set(metadata.getEntityID(), { entityId: metadata.getEntityID(), acsUrl });
  }

  /**
   * Answers the AuthnRequest carried by an SP's redirect URL (HTTP-Redirect binding) as if `user` had signed in:
   * the response goes to the ACS URL the SP registered (which the request must name, if it names one), with
   * `InResponseTo` the request's ID.
   */
  async respond(
    authorizeUrl: string,
    user: SamlStandInUser,
    options: SamlResponseOptions = {},
  ): Promise<string> {
    const query = Object.fromEntries(new URL(authorizeUrl).searchParams);
    if (!query.SAMLRequest) throw new Error(`no SAMLRequest in ${authorizeUrl}`);
    const { issuer } = samlify.Extractor.extract(samlify.Utility.inflateString(query.SAMLRequest), [
      { key: 'issuer', localPath: ['AuthnRequest', 'Issuer'], attributes: [] },
    ]) as { issuer?: string };
    const sp = this.serviceProvider(issuer ?? '', options);
    const request = await this.identityProvider().parseLoginRequest(sp.entity, 'redirect', {
      query,
      octetString: '',
    });
    const { id: requestId, assertionConsumerServiceUrl } =
      (request.extract as { request?: { id?: string; assertionConsumerServiceUrl?: string } }).request ?? {};
    if (!requestId) throw new Error('the AuthnRequest has no ID');
    // As a real IdP does, answer only at an ACS URL the SP registered, whatever the request asks for.
    if (assertionConsumerServiceUrl && assertionConsumerServiceUrl !== sp.acsUrl) {
      throw new Error(`the AuthnRequest asks for an unregistered ACS URL ${assertionConsumerServiceUrl}`);
    }
    return this.loginResponse(sp, user, { inResponseTo: requestId, ...options });
  }

  /** A response nobody asked for (the user clicked the app's tile at the IdP), for a trusted SP. */
  async unsolicited(
    spEntityId: string,
    user: SamlStandInUser,
    options: SamlResponseOptions = {},
  ): Promise<string> {
    return this.loginResponse(this.serviceProvider(spEntityId, options), user, {
      inResponseTo: null,
      ...options,
    });
  }

  private async loginResponse(
    sp: TrustedServiceProvider & { entity: samlify.ServiceProviderInstance },
    user: SamlStandInUser,
    options: SamlResponseOptions,
  ): Promise<string> {
    const idp = this.identityProvider();
    const now = new Date();
    const notOnOrAfter = (options.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString();
    const id = samlId();
    const { context } = await idp.createLoginResponse(
      sp.entity,
      { extract: {} },
      'post',
      {},
      {
        customTagReplacement: (template) => ({
          id,
          context: samlify.SamlLib.replaceTagsByValue(template, {
            ID: id,
            AssertionID: samlId(),
            Destination: options.destination ?? sp.acsUrl,
            Audience: options.audience ?? sp.entityId,
            SubjectRecipient: options.recipient ?? sp.acsUrl,
            Issuer: this.entityId,
            IssueInstant: now.toISOString(),
            StatusCode: samlify.Constants.StatusCode.Success,
            ConditionsNotBefore: (options.notBefore ?? now).toISOString(),
            ConditionsNotOnOrAfter: notOnOrAfter,
            SubjectConfirmationDataNotOnOrAfter: notOnOrAfter,
            NameIDFormat: user.nameIdFormat ?? EMAIL_ADDRESS,
            NameID: user.nameId,
            InResponseTo: options.inResponseTo ?? undefined,
          })
            .replace('{AuthnStatement}', authnStatement(now))
            .replace('{AttributeStatement}', attributeStatement(attributesOf(user, this.dialect))),
        }),
      },
    );
    return context;
  }

  private identityProvider(): samlify.IdentityProviderInstance {
    return samlify.IdentityProvider({
      entityID: this.entityId,
      privateKey: this.credentials.privateKey,
      signingCert: this.credentials.certificate,
      requestSignatureAlgorithm: samlify.Constants.algorithms.signature.RSA_SHA256,
      nameIDFormat: [EMAIL_ADDRESS],
      wantAuthnRequestsSigned: false,
      singleSignOnService: [{ Binding: REDIRECT, Location: this.ssoUrl }],
      singleLogoutService: [{ Binding: REDIRECT, Location: `${this.entityId}/slo` }],
    });
  }

  /** samlify signs what the SP entity asks for: the assertion, the whole response, or both. */
  private serviceProvider(
    entityId: string,
    options: SamlResponseOptions,
  ): TrustedServiceProvider & { entity: samlify.ServiceProviderInstance } {
    const trusted = this.serviceProviders.get(entityId);
    if (!trusted) throw new Error(`this IdP does not trust the service provider "${entityId}"`);
    const signing = options.signing ?? 'assertion';
    const entity = samlify.ServiceProvider({
      entityID: trusted.entityId,
      assertionConsumerService: [{ Binding: POST, Location: trusted.acsUrl }],
      wantAssertionsSigned: signing !== 'response',
      wantMessageSigned: signing !== 'assertion',
    });
    return { ...trusted, entity };
  }
}

/** The attributes as Okta (with the usual admin-chosen names, also Google Workspace's) or Entra ID sends them. */
function attributesOf(user: SamlStandInUser, dialect: SamlAttributeDialect): Record<string, string[]> {
  const [first, ...rest] = (user.name ?? '').split(' ');
  const names =
    dialect === 'okta'
      ? { email: 'email', first: 'firstName', last: 'lastName', groups: 'groups' }
      : {
          email: `${CLAIMS}/emailaddress`,
          first: `${CLAIMS}/givenname`,
          last: `${CLAIMS}/surname`,
          groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
        };
  const attributes: Record<string, string[]> = {};
  if (user.email) attributes[names.email] = [user.email];
  if (user.name) {
    attributes[names.first] = [first];
    if (rest.length) attributes[names.last] = [rest.join(' ')];
    if (dialect === 'entra')
      attributes['http://schemas.microsoft.com/identity/claims/displayname'] = [user.name];
  }
  if (dialect === 'entra') attributes[`${CLAIMS}/name`] = [user.nameId]; // the user principal name
  if (user.groups?.length) attributes[names.groups] = user.groups;
  return attributes;
}

function attributeStatement(attributes: Record<string, string[]>): string {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return '';
  const body = entries
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">` +
        values
          .map(
            (value) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue>`,
          )
          .join('') +
        '</saml:Attribute>',
    )
    .join('');
  return `<saml:AttributeStatement>${body}</saml:AttributeStatement>`;
}

function authnStatement(now: Date): string {
  return (
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${samlId()}"><saml:AuthnContext>` +
    '<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>' +
    '</saml:AuthnContext></saml:AuthnStatement>'
  );
}

function samlId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[character]!,
  );
}
