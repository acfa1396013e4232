import { Injectable } from '@nestjs/common';
import { Profile } from '@node-saml/node-saml';
import { SamlConnection, SsoProfile } from '@tessera/contracts';
import { X509Certificate } from 'node:crypto';
import { IdentityErrors, SsoFailureReason } from '../identity.errors';
import { mapSamlAttributes, samlAttributeValues } from './saml-attribute-mapping';
import { checkResponseDocument } from './saml-response-document';
import { samlServiceProvider } from './saml-service-provider';
import { readVerifiedAssertion } from './saml-verified-assertion';
import { decodeSamlResponse, parseStrictXml } from './saml-xml';

export interface ValidatedSamlResponse {
  profile: SsoProfile;
  /** Until when the assertion could be accepted: remember its id that long to refuse a replay. */
  acceptableUntil: Date;
}

/** node-saml's refusals by their message (it throws plain Errors); the first match wins. */
const NODE_SAML_REFUSALS: [RegExp, SsoFailureReason][] = [
  [/not yet valid/i, 'not_yet_valid'],
  [/expired/i, 'expired'],
  [/audience/i, 'wrong_audience'],
  [/signature|signed|reference|transform/i, 'signature_invalid'],
];

/**
 * Decides whether a posted `SAMLResponse` signs this connection's user in, and who that is. Pure: no state, no
 * I/O; whether the response answers a pending request or was seen before is the caller's (SamlSignInService).
 *
 * Order matters: nothing is parsed without a certificate to check it against; the document is vetted before
 * node-saml reads it (DESIGN: what node-saml alone accepts); and everything returned comes from the assertion as
 * node-saml verified it. Every refusal is an `SsoFailedError` with a stable reason.
 */
@Injectable()
export class SamlResponseValidator {
  async validate(connection: SamlConnection, samlResponse: string): Promise<ValidatedSamlResponse> {
    requireCertificates(connection);
    const xml = decodeSamlResponse(samlResponse);
    const response = checkResponseDocument(parseStrictXml(xml), connection);
    const verified = await verifySignedAssertion(connection, xml);
    const assertion = readVerifiedAssertion(verified.getAssertionXml!(), connection);
    // A response's own InResponseTo is unsigned when only the assertion is signed: it must agree with the signed one.
    if (response.inResponseTo !== assertion.inResponseTo) {
      throw IdentityErrors.ssoFailed('in_response_to_mismatch');
    }

    const nameId = typeof verified.nameID === 'string' ? verified.nameID : '';
    if (!nameId) throw IdentityErrors.ssoFailed('missing_name_id');
    const nameIdFormat = verified.nameIDFormat || undefined;
    const attributes = samlAttributeValues(verified.attributes);
    return {
      profile: {
        nameId,
        nameIdFormat,
        ...mapSamlAttributes({ nameId, nameIdFormat }, attributes, connection.attributeMapping),
        attributes,
        assertionId: assertion.assertionId,
        sessionIndex: verified.sessionIndex,
        inResponseTo: assertion.inResponseTo,
      },
      acceptableUntil: assertion.acceptableUntil,
    };
  }
}

/** Fails closed: a connection without a usable certificate accepts nothing, whatever is posted to it. */
function requireCertificates(connection: SamlConnection): void {
  const usable = (pem: string): boolean => {
    try {
      new X509Certificate(pem);
      return true;
    } catch {
      return false;
    }
  };
  if (connection.idpCertificates.length === 0 || !connection.idpCertificates.every(usable)) {
    throw IdentityErrors.ssoFailed('no_certificate');
  }
}

/**
 * node-saml checks the assertion's signature against the configured certificates, its Conditions' times and its
 * audience. It gets the text we vetted, re-encoded, so it cannot read different bytes from the ones we checked.
 */
async function verifySignedAssertion(connection: SamlConnection, xml: string): Promise<Profile> {
  let profile: Profile | null;
  try {
    ({ profile } = await samlServiceProvider(connection).validatePostResponseAsync({
      SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'),
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = NODE_SAML_REFUSALS.find(([pattern]) => pattern.test(message))?.[1] ?? 'malformed';
    throw IdentityErrors.ssoFailed(reason, message);
  }
  if (!profile?.getAssertionXml) throw IdentityErrors.ssoFailed('malformed');
  return profile;
}
