import { selfSignedCertificate } from '@tessera/testing';
import { DOMAINS_RPC } from './domains';
import { validationDetails } from './schema';
import { IdpSettingsSchema, SSO_RPC } from './sso';

const command = {
  organizationId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90',
  actorUserId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d91',
};
const teamId = '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d92';

describe('SSO connection input', () => {
  const create = SSO_RPC['tessera.identity.sso.connection.create'].request;
  let certificate: string;

  beforeAll(async () => {
    ({ certificate } = await selfSignedCertificate('idp.test'));
  });

  it('takes an IdP entered by hand, trimming text, with a PEM or a bare base64 certificate', () => {
    const base64 = certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
    const { input } = create.parse({
      ...command,
      input: {
        name: ' Okta ',
        idpEntityId: 'http://www.okta.com/exk1',
        idpSsoUrl: 'https://acme.okta.test/sso',
        idpCertificates: [certificate, base64],
        groupMappings: [{ group: 'ml', teamId, role: 'developer' }],
        defaultTeamId: null,
      },
    });
    expect(input).toMatchObject({ name: 'Okta', defaultTeamId: null });
  });

  it('names each wrong field with its own message', () => {
    expect(
      validationDetails(create, {
        ...command,
        input: {
          name: '',
          idpSsoUrl: 'http://idp.example/sso',
          idpCertificates: ['not a certificate'],
          clockSkewSeconds: 3600,
          attributeMapping: { email: 'mail', phone: 'tel' },
          groupMappings: [{ group: 'g', teamId: 'x', role: 'owner' }],
        },
      }),
    ).toEqual([
      { path: 'input.idpSsoUrl', message: 'Must be an https:// URL.' },
      {
        path: 'input.idpCertificates[0]',
        message: 'A certificate could not be read (PEM or base64 DER expected).',
      },
      { path: 'input.name', message: 'A connection name has 1 to 64 characters.' },
      { path: 'input.clockSkewSeconds', message: 'A whole number from 0 to 300.' },
      { path: 'input.attributeMapping', message: 'Unrecognized key: "phone"' },
      { path: 'input.groupMappings[0].teamId', message: 'Must be a UUID.' },
      { path: 'input.groupMappings[0].role', message: 'The role must be admin, developer or billing.' },
    ]);
  });

  it('allows plain http to a loopback IdP only, and refuses what is not a URL', () => {
    const url = (idpSsoUrl: string) =>
      validationDetails(IdpSettingsSchema.pick({ idpSsoUrl: true }), { idpSsoUrl });
    expect(url('http://127.0.0.1:8080/sso')).toEqual([]);
    expect(url('http://localhost/sso')).toEqual([]);
    expect(url('not a url')).toEqual([
      { path: 'idpSsoUrl', message: "Must be the URL of the IdP's single sign-on service." },
    ]);
  });

  it('asks for every IdP field when there is neither metadata nor a stored value', () => {
    expect(validationDetails(IdpSettingsSchema, {})).toEqual([
      { path: 'idpEntityId', message: "The IdP's entity id is required." },
      { path: 'idpSsoUrl', message: "The IdP's single sign-on URL is required." },
      { path: 'idpCertificates', message: "The IdP's signing certificates are required (one or two, PEM)." },
    ]);
    expect(
      validationDetails(IdpSettingsSchema.pick({ idpCertificates: true }), { idpCertificates: [] }),
    ).toEqual([{ path: 'idpCertificates', message: 'Give one or two signing certificates (PEM).' }]);
  });

  it('refuses an unknown field by name', () => {
    expect(validationDetails(create, { ...command, input: { clock_skew_seconds: 10 } })).toEqual([
      { path: 'input', message: 'Unrecognized key: "clock_skew_seconds"' },
    ]);
  });
});

describe('domain claims', () => {
  const claim = DOMAINS_RPC['tessera.identity.domain.claim'].request;

  it('reads a domain as it is stored, and refuses what is not one with the reason', () => {
    expect(claim.parse({ ...command, domain: ' Bücher.Example. ' }).domain).toBe('xn--bcher-kva.example');
    expect(validationDetails(claim, { ...command, domain: '*.acme.com' })).toEqual([
      { path: 'domain', message: 'Wildcards cannot be verified: claim the domain itself, e.g. `acme.com`.' },
    ]);
    expect(validationDetails(claim, command)).toEqual([
      { path: 'domain', message: '`domain` must be a domain name such as `acme.com`.' },
    ]);
  });
});
