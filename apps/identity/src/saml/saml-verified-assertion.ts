import { SamlConnection } from '@tessera/contracts';
import { IdentityErrors } from '../identity.errors';
import { ASSERTION_NS, attribute, childElements, optionalChild, parseStrictXml } from './saml-xml';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export interface VerifiedAssertionFacts {
  assertionId: string;
  /** From the signed SubjectConfirmationData, not the response (which may be unsigned). */
  inResponseTo: string | undefined;
  /** The last instant this assertion could be accepted, clock skew included: how long to remember its id. */
  acceptableUntil: Date;
}

/**
 * Checks what node-saml leaves to us, on the assertion exactly as its signature covers it (node-saml's
 * `getAssertionXml()`, the bytes xml-crypto digested, never the posted document): the assertion's Issuer (node-saml
 * checks issuers on logout messages only), the bearer confirmation's Recipient, and its NotBefore / NotOnOrAfter
 * (node-saml checks those only when it validates InResponseTo itself, which it does not here).
 */
export function readVerifiedAssertion(
  assertionXml: string,
  connection: SamlConnection,
  now = Date.now(),
): VerifiedAssertionFacts {
  const assertion = parseStrictXml(assertionXml).documentElement!;
  const assertionId = attribute(assertion, 'ID');
  if (assertion.namespaceURI !== ASSERTION_NS || assertion.localName !== 'Assertion' || !assertionId) {
    throw IdentityErrors.ssoFailed('malformed');
  }
  if (optionalChild(assertion, ASSERTION_NS, 'Issuer')?.textContent !== connection.idpEntityId) {
    throw IdentityErrors.ssoFailed('wrong_issuer');
  }

  const confirmation = bearerConfirmationData(assertion);
  if (attribute(confirmation, 'Recipient') !== connection.acsUrl)
    throw IdentityErrors.ssoFailed('wrong_recipient');
  const skewMs = connection.clockSkewSeconds * 1000;
  const notBefore = instant(confirmation, 'NotBefore');
  const notOnOrAfter = instant(confirmation, 'NotOnOrAfter');
  if (notOnOrAfter === undefined) throw IdentityErrors.ssoFailed('malformed');
  if (notBefore !== undefined && now + skewMs < notBefore) throw IdentityErrors.ssoFailed('not_yet_valid');
  if (now - skewMs >= notOnOrAfter) throw IdentityErrors.ssoFailed('expired');

  // node-saml has checked the Conditions' times already; they only bound how long the assertion id is kept.
  const conditions = optionalChild(assertion, ASSERTION_NS, 'Conditions');
  const conditionsEnd = conditions && instant(conditions, 'NotOnOrAfter');
  return {
    assertionId,
    inResponseTo: attribute(confirmation, 'InResponseTo'),
    acceptableUntil: new Date(Math.min(notOnOrAfter, conditionsEnd ?? notOnOrAfter) + skewMs),
  };
}

/** The Web SSO profile's one bearer SubjectConfirmation; none or several of them is not a message we accept. */
function bearerConfirmationData(assertion: Element): Element {
  const subject = optionalChild(assertion, ASSERTION_NS, 'Subject');
  const bearers = subject
    ? childElements(subject, ASSERTION_NS, 'SubjectConfirmation').filter(
        (confirmation) => attribute(confirmation, 'Method') === BEARER,
      )
    : [];
  const data = bearers.length === 1 && optionalChild(bearers[0], ASSERTION_NS, 'SubjectConfirmationData');
  if (!data) throw IdentityErrors.ssoFailed('malformed');
  return data;
}

function instant(element: Element, name: string): number | undefined {
  const value = attribute(element, name);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw IdentityErrors.ssoFailed('malformed');
  return time;
}
