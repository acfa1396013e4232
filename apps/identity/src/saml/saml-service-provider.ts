import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { SamlConnection } from '@tessera/contracts';

/**
 * node-saml's SAML object for one connection, configured strictly. Its own request-id cache is off
 * (`validateInResponseTo: never`): it would live in one process's memory, and it forgets a request id on every
 * failed attempt, so a forged post could cancel a person's genuine sign-in. Identity tracks request ids and
 * assertion ids in PostgreSQL instead (SamlStateRepository).
 *
 * `requestId` is the ID the next AuthnRequest gets, so the caller can record it; node-saml has no other way to tell.
 */
export function samlServiceProvider(connection: SamlConnection, requestId?: string): SAML {
  return new SAML({
    issuer: connection.spEntityId,
    audience: connection.spEntityId,
    callbackUrl: connection.acsUrl,
    entryPoint: connection.idpSsoUrl,
    idpIssuer: connection.idpEntityId,
    idpCert: connection.idpCertificates,
    // Signed assertions are required, whether or not the response around them is signed too: a response signed
    // alone would make node-saml take the assertion out of the signed response, a second path we do not need, as
    // Okta, Entra ID and Google Workspace all sign assertions.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: connection.clockSkewSeconds * 1000,
    validateInResponseTo: ValidateInResponseTo.never,
    signatureAlgorithm: 'sha256',
    // Ask for no particular NameID format or authentication context: the IdP's configuration decides, and a
    // request it cannot satisfy would end in an error page at the IdP instead of a sign-in.
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...(requestId && { generateUniqueId: () => requestId }),
  });
}
