import { SamlConnection } from '@tessera/contracts';
import { IdentityErrors } from '../identity.errors';
import {
  ASSERTION_NS,
  COMMENT_NODE,
  DSIG_NS,
  PROCESSING_INSTRUCTION_NODE,
  PROTOCOL_NS,
  attribute,
  childElements,
  elementsNamed,
  nodesOf,
  optionalChild,
} from './saml-xml';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * Strong algorithms only: SHA-1 digests can be collided, and `hmac-sha1` would be keyed with the IdP's public
 * certificate, which anyone can read. xml-crypto 6.3 cannot verify ECDSA yet, so an ECDSA signature passes this
 * list and is then refused as an invalid signature.
 */
const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
]);
const DIGEST_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

/**
 * The checks Tessera makes on the whole, still unverified document before node-saml verifies the assertion's
 * signature (see DESIGN, "Known gaps of the SAML dependency"): one `samlp:Response` with exactly one assertion,
 * signed, with allowed algorithms, addressed to this connection's ACS URL by this connection's IdP, reporting
 * success. Returns the response's `InResponseTo`, which must later match the signed assertion's.
 */
export function checkResponseDocument(
  document: Document,
  connection: SamlConnection,
): { inResponseTo: string | undefined } {
  const response = document.documentElement!;
  if (response.namespaceURI !== PROTOCOL_NS || response.localName !== 'Response') {
    throw IdentityErrors.ssoFailed('not_a_response');
  }
  // The response's Issuer is optional, but when present it must be the IdP's (the assertion's is checked once verified).
  const issuer = optionalChild(response, ASSERTION_NS, 'Issuer');
  if (issuer && issuer.textContent !== connection.idpEntityId) throw IdentityErrors.ssoFailed('wrong_issuer');
  // Required (every IdP sends it): a response meant for another service provider or connection is not replayed here.
  if (attribute(response, 'Destination') !== connection.acsUrl)
    throw IdentityErrors.ssoFailed('wrong_destination');

  const status = optionalChild(response, PROTOCOL_NS, 'Status');
  const code = status && optionalChild(status, PROTOCOL_NS, 'StatusCode');
  if (!code || attribute(code, 'Value') !== SUCCESS) throw IdentityErrors.ssoFailed('status_not_success');

  const assertion = theAssertion(document, response);
  checkSignatures(document);
  if (childElements(assertion, DSIG_NS, 'Signature').length === 0) {
    throw IdentityErrors.ssoFailed('signature_missing');
  }
  return { inResponseTo: attribute(response, 'InResponseTo') };
}

/**
 * Exactly one assertion in the whole document, as a direct child of the response. Counting every element named
 * Assertion, in any namespace and at any depth, refuses every signature-wrapping variant at once: each needs a
 * second assertion somewhere (the signed original hidden in Extensions, Object or Advice, or a forged one beside it).
 */
function theAssertion(document: Document, response: Element): Element {
  if (elementsNamed(document, 'EncryptedAssertion').length > 0) {
    throw IdentityErrors.ssoFailed('encrypted_assertion_unsupported');
  }
  const assertions = elementsNamed(document, 'Assertion');
  if (assertions.length === 0) throw IdentityErrors.ssoFailed('no_assertion');
  if (assertions.length > 1) throw IdentityErrors.ssoFailed('multiple_assertions');
  const [assertion] = assertions;
  if (assertion.parentNode !== response || assertion.namespaceURI !== ASSERTION_NS) {
    throw IdentityErrors.ssoFailed('malformed');
  }
  return assertion;
}

/**
 * Every signature in the document: one SignedInfo with one Reference (xml-crypto refuses several SignedInfo too;
 * this does not depend on it), no comment or processing instruction anywhere inside (no honest signer writes one,
 * and comments in DigestValue fooled xml-crypto before 6.0.1), and allowed algorithms only.
 */
function checkSignatures(document: Document): void {
  for (const signature of elementsNamed(document, 'Signature')) {
    const signedInfo = childElements(signature, '*', 'SignedInfo');
    if (
      signedInfo.length !== 1 ||
      childElements(signature, '*', 'SignatureValue').length !== 1 ||
      childElements(signedInfo[0], '*', 'Reference').length !== 1 ||
      containsCommentOrInstruction(signature)
    ) {
      throw IdentityErrors.ssoFailed('signature_invalid');
    }
  }
  const allowed = (name: string, algorithms: Set<string>): boolean =>
    elementsNamed(document, name).every((method) => algorithms.has(attribute(method, 'Algorithm') ?? ''));
  if (!allowed('SignatureMethod', SIGNATURE_ALGORITHMS) || !allowed('DigestMethod', DIGEST_ALGORITHMS)) {
    throw IdentityErrors.ssoFailed('weak_algorithm');
  }
}

function containsCommentOrInstruction(node: Node): boolean {
  for (const child of nodesOf(node.childNodes)) {
    if (child.nodeType === COMMENT_NODE || child.nodeType === PROCESSING_INSTRUCTION_NODE) return true;
    if (containsCommentOrInstruction(child)) return true;
  }
  return false;
}
