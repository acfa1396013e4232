import { SsoFailedError } from '../identity.errors';
import { mapSamlAttributes, samlAttributeValues } from './saml-attribute-mapping';

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const subject = { nameId: 'u-42', nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' };

describe('mapSamlAttributes', () => {
  it('reads Okta and Google Workspace names', () => {
    const attributes = {
      email: ['ada@example.com'],
      firstName: ['Ada'],
      lastName: ['Lovelace'],
      groups: ['eng', 'ops', 'eng'],
    };
    expect(mapSamlAttributes(subject, attributes)).toEqual({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      groups: ['eng', 'ops'],
    });
  });

  it('reads Entra ID claims, preferring the display name to given name and surname', () => {
    const attributes = {
      [`${CLAIMS}/emailaddress`]: ['ada@example.com'],
      [`${CLAIMS}/givenname`]: ['Ada'],
      [`${CLAIMS}/surname`]: ['Lovelace'],
      'http://schemas.microsoft.com/identity/claims/displayname': ['Ada L.'],
      [`${CLAIMS}/name`]: ['ada@corp.example.com'],
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['6f1c…'],
    };
    expect(mapSamlAttributes(subject, attributes)).toEqual({
      email: 'ada@example.com',
      name: 'Ada L.',
      groups: ['6f1c…'],
    });
    const withoutDisplayName: Record<string, string[]> = { ...attributes };
    delete withoutDisplayName['http://schemas.microsoft.com/identity/claims/displayname'];
    expect(mapSamlAttributes(subject, withoutDisplayName).name).toBe('Ada Lovelace');
  });

  it("falls back to Entra ID's name claim (the UPN) only when nothing else names the person", () => {
    const attributes = { email: ['ada@example.com'], [`${CLAIMS}/name`]: ['ada@corp.example.com'] };
    expect(mapSamlAttributes(subject, attributes).name).toBe('ada@corp.example.com');
  });

  it("uses the connection's attribute names instead of the defaults", () => {
    const attributes = {
      email: ['ignored@example.com'],
      mail: ['ada@example.com'],
      cn: ['Ada Lovelace'],
      memberOf: ['cn=eng'],
      groups: ['ignored'],
    };
    expect(mapSamlAttributes(subject, attributes, { email: 'mail', name: 'cn', groups: 'memberOf' })).toEqual(
      {
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        groups: ['cn=eng'],
      },
    );
  });

  it('takes the e-mail from the NameID only when its format says it is one', () => {
    const byEmail = { nameId: 'ada@example.com', nameIdFormat: EMAIL_FORMAT };
    expect(mapSamlAttributes(byEmail, {})).toEqual({ email: 'ada@example.com', name: undefined, groups: [] });
    expect(() => mapSamlAttributes({ nameId: 'ada@example.com' }, {})).toThrow(SsoFailedError);
  });

  it('refuses a missing or malformed e-mail as missing_email', () => {
    for (const attributes of [{}, { email: ['not an address'] }] as Record<string, string[]>[]) {
      expect(() => mapSamlAttributes(subject, attributes)).toThrow(
        expect.objectContaining({ reason: 'missing_email' }),
      );
    }
  });
});

describe('samlAttributeValues', () => {
  it('keeps text values as lists and drops empty and structured ones', () => {
    expect(
      samlAttributeValues({ one: 'a', many: ['b', ' c '], empty: '', nested: { $: {}, x: [] } }),
    ).toEqual({
      one: ['a'],
      many: ['b', 'c'],
    });
    expect(samlAttributeValues(undefined)).toEqual({});
  });
});
