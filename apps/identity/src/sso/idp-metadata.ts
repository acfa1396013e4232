import { IdentityErrors } from '../identity.errors';
import { attribute, elementsNamed, parseStrictXml } from '../saml/saml-xml';

const METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const MAX_METADATA_BYTES = 512 * 1024;

export interface IdpSettings {
  entityId: string;
  ssoUrl: string;
  certificates: string[];
}

/**
 * The IdP settings in an IdP's metadata XML (what Okta, Entra ID and Google Workspace offer for download): its
 * entity id, its HTTP-Redirect single sign-on URL and its signing certificates. Parsed as strictly as responses
 * are: no DTD, one root.
 */
export function parseIdpMetadata(xml: string): IdpSettings {
  if (xml.length > MAX_METADATA_BYTES) throw IdentityErrors.invalidConnection('The metadata is too large.');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw IdentityErrors.invalidConnection('The metadata must not declare a document type.');
  let root;
  try {
    root = parseStrictXml(xml).documentElement!;
  } catch {
    throw IdentityErrors.invalidConnection('The metadata is not well-formed XML.');
  }
  if (root.namespaceURI !== METADATA_NS || root.localName !== 'EntityDescriptor')
    throw IdentityErrors.invalidConnection('The metadata must be one SAML 2.0 EntityDescriptor.');
  const [idp] = elementsNamed(root, 'IDPSSODescriptor');
  if (!idp)
    throw IdentityErrors.invalidConnection('The metadata describes no identity provider (IDPSSODescriptor).');
  const redirect = elementsNamed(idp, 'SingleSignOnService').find(
    (service) => attribute(service, 'Binding') === REDIRECT_BINDING,
  );
  const certificates = elementsNamed(idp, 'KeyDescriptor')
    .filter((key) => (attribute(key, 'use') ?? 'signing') === 'signing')
    .flatMap((key) => elementsNamed(key, 'X509Certificate'))
    .map((element) => toPem(element.textContent ?? ''));
  return {
    entityId: attribute(root, 'entityID') ?? '',
    ssoUrl: (redirect && attribute(redirect, 'Location')) ?? '',
    certificates: [...new Set(certificates)],
  };
}

/** A certificate as metadata carries it (base64 DER, often wrapped) in PEM form. */
export function toPem(base64: string): string {
  const body = base64.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}
