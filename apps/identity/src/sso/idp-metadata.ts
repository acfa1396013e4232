import { IdpSettings, ValidationFailedError, toPem } from '@tessera/contracts';
import { attribute, elementsNamed, parseStrictXml } from '../saml/saml-xml';

const METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/**
 * The IdP settings in an IdP's metadata XML (what Okta, Entra ID and Google Workspace offer for download): its
 * entity id, its HTTP-Redirect single sign-on URL and its signing certificates. Parsed as strictly as responses
 * are: no DTD, one root. Its size is limited by the connection input's schema. `at` names the field it came in.
 */
export function parseIdpMetadata(xml: string, at: string): IdpSettings {
  const invalid = (message: string) => new ValidationFailedError([{ path: at, message }]);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('The metadata must not declare a document type.');
  let root;
  try {
    root = parseStrictXml(xml).documentElement!;
  } catch {
    throw invalid('The metadata is not well-formed XML.');
  }
  if (root.namespaceURI !== METADATA_NS || root.localName !== 'EntityDescriptor')
    throw invalid('The metadata must be one SAML 2.0 EntityDescriptor.');
  const [idp] = elementsNamed(root, 'IDPSSODescriptor');
  if (!idp) throw invalid('The metadata describes no identity provider (IDPSSODescriptor).');
  const redirect = elementsNamed(idp, 'SingleSignOnService').find(
    (service) => attribute(service, 'Binding') === REDIRECT_BINDING,
  );
  const certificates = elementsNamed(idp, 'KeyDescriptor')
    .filter((key) => (attribute(key, 'use') ?? 'signing') === 'signing')
    .flatMap((key) => elementsNamed(key, 'X509Certificate'))
    .map((element) => toPem(element.textContent ?? ''));
  return {
    idpEntityId: attribute(root, 'entityID') ?? '',
    idpSsoUrl: (redirect && attribute(redirect, 'Location')) ?? '',
    idpCertificates: [...new Set(certificates)],
  };
}
