import { SamlAttributeMapping } from '@tessera/contracts';
import { IdentityErrors } from '../identity.errors';

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const EMAIL_ADDRESS_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/**
 * Attribute names tried, in order, when a connection does not name its own. Okta and Google Workspace send the
 * names their admins type (`email`, `firstName`, `lastName`, `groups` by convention); Entra ID sends claim URIs.
 */
export const DEFAULT_SAML_ATTRIBUTES = {
  email: ['email', `${CLAIMS}/emailaddress`],
  displayName: ['http://schemas.microsoft.com/identity/claims/displayname'],
  firstAndLastName: [
    ['firstName', 'lastName'],
    [`${CLAIMS}/givenname`, `${CLAIMS}/surname`],
  ],
  // Entra ID's `name` claim carries the user principal name: a name of last resort.
  fallbackName: [`${CLAIMS}/name`],
  groups: ['groups', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
} as const;

export interface SamlSubject {
  nameId: string;
  nameIdFormat?: string;
}

export interface MappedSamlUser {
  email: string;
  name?: string;
  groups: string[];
}

/**
 * E-mail, name and groups from an assertion's subject and attributes. The e-mail falls back to the NameID only when
 * the IdP says the NameID is an e-mail address; without an e-mail the sign-in is refused (`missing_email`), since
 * every Tessera user has one.
 */
export function mapSamlAttributes(
  subject: SamlSubject,
  attributes: Record<string, string[]>,
  mapping: SamlAttributeMapping = {},
): MappedSamlUser {
  const first = (names: readonly string[]): string | undefined =>
    names.map((name) => attributes[name]?.[0]).find((value) => value !== undefined);

  const email =
    first(mapping.email ? [mapping.email] : DEFAULT_SAML_ATTRIBUTES.email) ??
    (subject.nameIdFormat === EMAIL_ADDRESS_FORMAT ? subject.nameId : undefined);
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw IdentityErrors.ssoFailed('missing_email');

  const groupNames = mapping.groups ? [mapping.groups] : DEFAULT_SAML_ATTRIBUTES.groups;
  const groups = groupNames.find((name) => attributes[name]);
  return {
    email,
    name: mapping.name ? first([mapping.name]) : defaultName(first),
    groups: groups ? [...new Set(attributes[groups])] : [],
  };
}

function defaultName(first: (names: readonly string[]) => string | undefined): string | undefined {
  const joined = DEFAULT_SAML_ATTRIBUTES.firstAndLastName
    .map((pair) => pair.map((name) => first([name])).filter(Boolean))
    .find((parts) => parts.length > 0);
  return (
    first(DEFAULT_SAML_ATTRIBUTES.displayName) ??
    joined?.join(' ') ??
    first(DEFAULT_SAML_ATTRIBUTES.fallbackName)
  );
}

/**
 * node-saml's attribute values as lists of strings. It gives a lone value as a string, several as an array, and a
 * value with child elements as a parsed object; only text values are kept (empty ones dropped).
 */
export function samlAttributeValues(raw: unknown): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  if (typeof raw !== 'object' || raw === null) return result;
  for (const [name, value] of Object.entries(raw)) {
    const texts = (Array.isArray(value) ? value : [value])
      .filter((item): item is string => typeof item === 'string')
      .map((item) => item.trim())
      .filter(Boolean);
    if (texts.length) result[name] = texts;
  }
  return result;
}
