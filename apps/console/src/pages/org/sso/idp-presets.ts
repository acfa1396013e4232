import type { Schemas } from '../../../api/client';

export type AttributeMapping = Schemas['SamlAttributeMapping'];
export type PresetId = 'okta' | 'entra' | 'google' | 'other';

/**
 * What each identity provider needs to know, in its own words (the README's Okta, Entra ID and Google Workspace
 * sections), and the attribute names it sends. An empty name leaves Tessera's defaults, which already cover
 * first name + last name, so only a single attribute carrying the whole name is worth naming.
 */
export interface IdpPreset {
  id: PresetId;
  label: string;
  attributeMapping: Required<AttributeMapping>;
  /** Where the IdP's admin starts, and where the IdP's metadata is found. */
  setup: string;
  metadata: string;
  /** Which IdP setting takes each of Tessera's values. */
  acsUrl: string;
  entityId: string;
  loginUrl?: string;
  notes: string[];
}

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

export const IDP_PRESETS: readonly IdpPreset[] = [
  {
    id: 'okta',
    label: 'Okta',
    attributeMapping: { email: 'email', name: '', groups: 'groups' },
    setup: 'Applications → Applications → Create App Integration → SAML 2.0, then Configure SAML.',
    metadata: 'Sign On tab → Metadata URL: open it and save the XML (it needs no login).',
    acsUrl: 'Single sign-on URL (check “Use this for Recipient URL and Destination URL”)',
    entityId: 'Audience URI (SP Entity ID)',
    notes: [
      'Name ID format EmailAddress, Application username Email.',
      'Attribute statements: email → user.email, firstName → user.firstName, lastName → user.lastName.',
      'Group attribute statement: groups, with a filter such as “Starts with” tessera-. Group values are Okta group names.',
      'Assertion signed with RSA-SHA256, unencrypted. Assign the app to the people or groups who may use it.',
    ],
  },
  {
    id: 'entra',
    label: 'Entra ID',
    attributeMapping: {
      email: `${CLAIMS}/emailaddress`,
      name: 'http://schemas.microsoft.com/identity/claims/displayname',
      groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
    },
    setup:
      'Enterprise applications → New application → Create your own application (Non-gallery), then Single sign-on → SAML.',
    metadata: 'SAML Certificates → Federation Metadata XML (download).',
    acsUrl: 'Basic SAML Configuration: Reply URL (ACS URL)',
    entityId: 'Basic SAML Configuration: Identifier (Entity ID)',
    loginUrl: 'Basic SAML Configuration: Sign on URL',
    notes: [
      'Keep the default claims; Add a group claim: Groups assigned to the application, source Group ID.',
      'Entra ID sends group Object IDs: map those below, not display names.',
      'Signing option “Sign SAML assertion”, SHA-256. Assign people under Users and groups.',
    ],
  },
  {
    id: 'google',
    label: 'Google Workspace',
    attributeMapping: { email: 'email', name: '', groups: 'groups' },
    setup: 'Admin console → Apps → Web and mobile apps → Add app → Add custom SAML app.',
    metadata: 'Google Identity Provider details → Option 1: IdP metadata (download).',
    acsUrl: 'ACS URL',
    entityId: 'Entity ID',
    notes: [
      'Leave Start URL empty and “Signed response” unchecked (Google would then sign only the response).',
      'Name ID format EMAIL, Name ID Basic Information > Primary email.',
      'Attribute mapping: Primary email → email, First name → firstName, Last name → lastName.',
      'Group membership: the groups to send, as app attribute groups. Then turn the app ON under User access.',
    ],
  },
  {
    id: 'other',
    label: 'Other SAML IdP',
    attributeMapping: { email: '', name: '', groups: '' },
    setup: 'Create a SAML 2.0 application for Tessera in your identity provider.',
    metadata: "The IdP's metadata XML, or its entity id, sign-on URL and signing certificate.",
    acsUrl: 'Assertion Consumer Service (ACS) URL, HTTP-POST binding',
    entityId: 'SP entity id / audience',
    notes: [
      'The assertion must be signed (RSA with SHA-256), not encrypted, with a stable NameID.',
      'Leave the attribute names below empty to read the usual Okta, Entra ID and Google Workspace names.',
    ],
  },
];

export function presetOf(id: PresetId): IdpPreset {
  return IDP_PRESETS.find((preset) => preset.id === id) ?? IDP_PRESETS[3];
}

/** The preset whose name a connection was given (its name defaults to the preset's label). */
export function presetNamed(name: string | undefined): PresetId {
  return IDP_PRESETS.find((preset) => preset.label === name)?.id ?? 'other';
}
