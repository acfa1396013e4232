import { SamlConnection } from '@tessera/contracts';
import {
  SAML_NS,
  SamlIdpStandIn,
  SamlResponseOptions,
  SamlStandInUser,
  SigningKey,
  XMLDSIG,
  decodeSamlXml,
  encodeSamlXml,
  firstElement,
  forgeResponse,
  parseSamlResponse,
  removeSignatures,
  selfSignedCertificate,
  signElement,
} from '@tessera/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SsoFailedError, SsoFailureReason } from '../identity.errors';
import { SamlResponseValidator } from './saml-response-validator';
import { samlServiceProvider } from './saml-service-provider';

const ALICE: SamlStandInUser = {
  nameId: 'alice@example.com',
  email: 'alice@example.com',
  name: 'Alice Smith',
  groups: ['engineering', 'admins'],
};
const ADMIN = 'admin@example.com';
const MINUTE = 60_000;

/**
 * The validator against responses of a real samlify IdP, genuine and forged. Every attack is refused with the
 * reason of the check that stops it, and genuine responses of the same IdP are accepted, so each refusal is the
 * attack's doing and not a broken setup. Where DESIGN says node-saml alone accepts an attack, the test shows that too.
 */
describe('SamlResponseValidator', () => {
  const validator = new SamlResponseValidator();
  let idp: SamlIdpStandIn;
  let connection: SamlConnection;
  let attacker: { privateKey: string; certificate: string };

  beforeAll(async () => {
    [idp, attacker] = await Promise.all([
      SamlIdpStandIn.start(),
      selfSignedCertificate('attacker.example.test'),
    ]);
    connection = trustedConnection(idp);
  });

  /** A connection to `standIn`, registered at the IdP from the SP metadata node-saml writes for it. */
  function trustedConnection(
    standIn: SamlIdpStandIn,
    overrides: Partial<SamlConnection> = {},
  ): SamlConnection {
    const made = standIn.connection(overrides);
    standIn.trust(samlServiceProvider(made).generateServiceProviderMetadata(null));
    return made;
  }

  /** The IdP's answer to an AuthnRequest of `to` (request ID `_request`). */
  async function genuine(
    options: SamlResponseOptions = {},
    { from = idp, to = connection, user = ALICE } = {},
  ): Promise<string> {
    const url = await samlServiceProvider(to, '_request').getAuthorizeUrlAsync('', undefined, {});
    return from.respond(url, user, options);
  }

  async function refusal(samlResponse: string, on = connection): Promise<SsoFailureReason> {
    const outcome = await validator.validate(on, samlResponse).then(
      (accepted) => accepted,
      (error: unknown) => error,
    );
    if (!(outcome instanceof SsoFailedError)) throw new Error(`not refused: ${JSON.stringify(outcome)}`);
    expect(outcome.code).toBe('signin_failed');
    return outcome.reason;
  }

  /** What node-saml, configured as Tessera configures it, makes of a response without Tessera's own checks. */
  async function nodeSamlAlone(samlResponse: string, on = connection): Promise<string | undefined> {
    const { profile } = await samlServiceProvider(on).validatePostResponseAsync({
      SAMLResponse: samlResponse,
    });
    return profile?.nameID;
  }

  const response = (document: Document): Element => document.documentElement!;
  const assertionOf = (document: Document): Element => firstElement(document, 'Assertion');

  /** An unsigned copy of the response's assertion that names ADMIN instead of whoever signed in. */
  function forgedAssertion(document: Document): Element {
    const forged = assertionOf(document).cloneNode(true) as Element;
    removeSignatures(forged);
    impersonateAdmin(forged);
    return forged;
  }

  function impersonateAdmin(assertion: Element): void {
    firstElement(assertion, 'NameID').textContent = ADMIN;
    const email = Array.from(assertion.getElementsByTagNameNS(SAML_NS.assertion, 'Attribute')).find(
      (attribute) => attribute.getAttribute('Name') === 'email',
    );
    firstElement(email!, 'AttributeValue').textContent = ADMIN;
  }

  function element(document: Document, namespace: string, qualifiedName: string): Element {
    return document.createElementNS(namespace, qualifiedName);
  }

  describe('genuine responses', () => {
    it('accepts an answer to an SP-initiated request and maps Okta-style attributes', async () => {
      const { profile, acceptableUntil } = await validator.validate(connection, await genuine());
      expect(profile).toEqual({
        nameId: 'alice@example.com',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        email: 'alice@example.com',
        name: 'Alice Smith',
        groups: ['engineering', 'admins'],
        attributes: {
          email: ['alice@example.com'],
          firstName: ['Alice'],
          lastName: ['Smith'],
          groups: ['engineering', 'admins'],
        },
        assertionId: expect.stringMatching(/^_/),
        sessionIndex: expect.stringMatching(/^_/),
        inResponseTo: '_request',
      });
      // Five minutes of validity plus the minute of tolerated skew.
      expect(acceptableUntil.getTime()).toBeGreaterThan(Date.now() + 5 * MINUTE);
      expect(acceptableUntil.getTime()).toBeLessThanOrEqual(Date.now() + 6 * MINUTE);
    });

    it('maps Entra ID claim names', async () => {
      const entra = await SamlIdpStandIn.start({ dialect: 'entra' });
      const to = trustedConnection(entra);
      const { profile } = await validator.validate(to, await genuine({}, { from: entra, to }));
      expect(profile).toMatchObject({
        email: 'alice@example.com',
        name: 'Alice Smith',
        groups: ['engineering', 'admins'],
      });
      expect(Object.keys(profile.attributes)).toContain(
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      );
    });

    it('accepts the second of two configured certificates (key rotation), and only a configured one', async () => {
      const rotated = await SamlIdpStandIn.start({ entityId: idp.entityId });
      const rotating = trustedConnection(rotated, {
        idpCertificates: [idp.certificate, rotated.certificate],
      });
      const signedWithNewKey = await genuine({}, { from: rotated, to: rotating });
      expect((await validator.validate(rotating, signedWithNewKey)).profile.email).toBe('alice@example.com');
      expect(await refusal(signedWithNewKey, { ...rotating, idpCertificates: [idp.certificate] })).toBe(
        'signature_invalid',
      );
    });

    it('accepts a response signed as a whole around a signed assertion', async () => {
      const { profile } = await validator.validate(connection, await genuine({ signing: 'both' }));
      expect(profile.nameId).toBe('alice@example.com');
    });

    it('accepts an IdP-initiated response and reports no InResponseTo (the caller decides on it)', async () => {
      const { profile } = await validator.validate(
        connection,
        await idp.unsolicited(connection.spEntityId, ALICE),
      );
      expect(profile.inResponseTo).toBeUndefined();
    });

    it('takes the e-mail from an emailAddress NameID when no attribute carries one', async () => {
      const user = { nameId: 'bob@example.com' };
      const { profile } = await validator.validate(connection, await genuine({}, { user }));
      expect(profile).toMatchObject({ email: 'bob@example.com', groups: [], name: undefined });
    });
  });

  describe('signatures', () => {
    it('refuses a response with no signature at all', async () => {
      expect(await refusal(forgeResponse(await genuine(), removeSignatures))).toBe('signature_missing');
    });

    it('refuses a response signed only as a whole: assertions must be signed', async () => {
      expect(await refusal(await genuine({ signing: 'response' }))).toBe('signature_missing');
    });

    it('refuses a forged assertion re-signed (assertion and response) with an attacker key and certificate', async () => {
      const forged = forgeResponse(await genuine(), (document) => impersonateAdmin(assertionOf(document)));
      const resigned = signElement(attackerSigned(forged), 'Response', attackerKey());
      expect(decodeSamlXml(resigned)).toContain('<ds:X509Certificate>');
      expect(await refusal(resigned)).toBe('signature_invalid');
    });

    it('accepts the IdP key re-signing with rsa-sha256 (so the SHA-1 refusals below are about the algorithm)', async () => {
      const resigned = await resignedByIdp(XMLDSIG.rsaSha256, XMLDSIG.sha256);
      expect((await validator.validate(connection, resigned)).profile.nameId).toBe('alice@example.com');
    });

    it('refuses rsa-sha1 with a SHA-1 digest, even from the IdP key (node-saml alone accepts it)', async () => {
      const sha1 = await resignedByIdp(XMLDSIG.rsaSha1, XMLDSIG.sha1);
      expect(await nodeSamlAlone(sha1)).toBe('alice@example.com');
      expect(await refusal(sha1)).toBe('weak_algorithm');
    });

    it('refuses a SHA-1 digest under an rsa-sha256 signature', async () => {
      expect(await refusal(await resignedByIdp(XMLDSIG.rsaSha256, XMLDSIG.sha1))).toBe('weak_algorithm');
    });

    it('refuses hmac-sha1 keyed with the IdP certificate (key confusion)', async () => {
      const forged = forgeResponse(await genuine(), (document) => impersonateAdmin(assertionOf(document)));
      const hmac = signElement(forged, 'Assertion', {
        key: idp.certificate,
        signatureAlgorithm: XMLDSIG.hmacSha1,
        digestAlgorithm: XMLDSIG.sha256,
      });
      expect(decodeSamlXml(hmac)).toContain(XMLDSIG.hmacSha1);
      expect(await refusal(hmac)).toBe('weak_algorithm');
    });

    it('refuses a forged assertion whose DigestValue hides its digest in a comment (CVE-2025-29775)', async () => {
      const forged = forgeResponse(await genuine(), (document) => impersonateAdmin(assertionOf(document)));
      const attack = forgeResponse(forged, (document) => {
        const digestValue = firstElement(document, 'DigestValue');
        // Canonical SignedInfo drops the comment, so the IdP's signature still covers it; a reader taking the first
        // child's data would compare the forged assertion with the forged digest.
        digestValue.insertBefore(document.createComment(digestOf(forged)), digestValue.firstChild);
      });
      expect(await refusal(attack)).toBe('signature_invalid');
      await expect(nodeSamlAlone(attack)).rejects.toThrow('Invalid signature'); // xml-crypto ≥ 6.0.1 holds too
    });

    it('refuses a signature with a second SignedInfo', async () => {
      const forged = forgeResponse(await genuine(), (document) => impersonateAdmin(assertionOf(document)));
      const attackerSignedInfo = firstElement(parseSamlResponse(attackerSigned(forged)), 'SignedInfo');
      const attack = forgeResponse(forged, (document) => {
        const signedInfo = firstElement(document, 'SignedInfo');
        signedInfo.parentNode!.insertBefore(attackerSignedInfo.cloneNode(true), signedInfo);
      });
      expect(await refusal(attack)).toBe('signature_invalid');
    });
  });

  describe('signature wrapping', () => {
    /** Each variant keeps the IdP's signed assertion somewhere and puts a forged one where a reader may look. */
    const variants: [string, (document: Document) => void][] = [
      [
        'a forged assertion before the signed one',
        (document) => response(document).insertBefore(forgedAssertion(document), assertionOf(document)),
      ],
      [
        'a forged assertion after the signed one',
        (document) => response(document).appendChild(forgedAssertion(document)),
      ],
      [
        'the signed assertion moved into samlp:Extensions, a forged one in its place',
        (document) => {
          const original = assertionOf(document);
          const forged = forgedAssertion(document);
          const extensions = element(document, SAML_NS.protocol, 'samlp:Extensions');
          response(document).replaceChild(forged, original);
          extensions.appendChild(original);
          response(document).insertBefore(extensions, firstElement(document, 'Status'));
        },
      ],
      [
        "the signed assertion inside the forged assertion's ds:Signature/ds:Object (XSW8)",
        (document) => {
          const original = assertionOf(document);
          const forged = forgedAssertion(document);
          const signature = firstElement(original, 'Signature').cloneNode(true) as Element;
          const object = element(document, SAML_NS.dsig, 'ds:Object');
          forged.insertBefore(signature, firstElement(forged, 'Subject'));
          response(document).replaceChild(forged, original);
          removeSignatures(original);
          object.appendChild(original);
          signature.appendChild(object);
        },
      ],
      [
        "the signed assertion inside the forged assertion's saml:Advice",
        (document) => {
          const original = assertionOf(document);
          const forged = forgedAssertion(document);
          const advice = element(document, SAML_NS.assertion, 'saml:Advice');
          response(document).replaceChild(forged, original);
          advice.appendChild(original);
          forged.insertBefore(advice, firstElement(forged, 'AuthnStatement'));
        },
      ],
      [
        'a forged assertion wrapping the signed one (XSW4)',
        (document) => {
          const original = assertionOf(document);
          const forged = forgedAssertion(document);
          response(document).replaceChild(forged, original);
          forged.appendChild(original);
        },
      ],
      [
        'a signed response wrapped in a forged response (XSW1)',
        (document) => {
          const original = response(document);
          const forged = original.cloneNode(true) as Element;
          forged.replaceChild(forgedAssertion(document), firstElement(forged, 'Assertion'));
          const object = element(document, SAML_NS.dsig, 'ds:Object');
          object.appendChild(original);
          firstElement(forged, 'Signature').appendChild(object);
          document.appendChild(forged);
        },
      ],
    ];

    it.each(variants)('refuses %s', async (_, wrap) => {
      const signed = await genuine({ signing: 'both' });
      expect(await refusal(forgeResponse(signed, wrap))).toBe('multiple_assertions');
    });

    it("refuses the IdP's signature moved onto a forged assertion that took the signed one's place and ID", async () => {
      const attack = forgeResponse(await genuine(), (document) => {
        const original = assertionOf(document);
        const forged = forgedAssertion(document);
        forged.insertBefore(firstElement(original, 'Signature'), firstElement(forged, 'Subject'));
        response(document).replaceChild(forged, original);
      });
      expect(await refusal(attack)).toBe('signature_invalid');
    });

    it('refuses a second root element carrying a forged assertion', async () => {
      const honest = await genuine();
      const forgedRoot = forgeResponse(honest, (document) =>
        response(document).replaceChild(forgedAssertion(document), assertionOf(document)),
      );
      const attack = encodeSamlXml(decodeSamlXml(honest) + decodeSamlXml(forgedRoot));
      expect(await refusal(attack)).toBe('multiple_roots');
    });

    it('uses the whole NameID when a comment splits it: admin@evil.com<!---->.attacker.com', async () => {
      const user = { nameId: 'admin@evil.com.attacker.com', email: 'admin@evil.com.attacker.com' };
      const attack = forgeResponse(await genuine({}, { user }), (document) => {
        const nameId = firstElement(document, 'NameID');
        nameId.textContent = 'admin@evil.com';
        nameId.appendChild(document.createComment(''));
        nameId.appendChild(document.createTextNode('.attacker.com'));
      });
      expect(decodeSamlXml(attack)).toContain('admin@evil.com<!---->.attacker.com</saml:NameID>');
      // Comments are not signed (exclusive c14n drops them), so the signature holds and the full name is used.
      const { profile } = await validator.validate(connection, attack);
      expect(profile.nameId).toBe('admin@evil.com.attacker.com');
    });
  });

  describe('addressing and time', () => {
    it('refuses an assertion for another audience', async () => {
      expect(await refusal(await genuine({ audience: 'https://other-sp.example.test' }))).toBe(
        'wrong_audience',
      );
    });

    it('refuses a response addressed to another ACS URL (node-saml alone accepts it)', async () => {
      const misrouted = await genuine({ destination: 'https://other-sp.example.test/acs' });
      expect(await nodeSamlAlone(misrouted)).toBe('alice@example.com');
      expect(await refusal(misrouted)).toBe('wrong_destination');
    });

    it('refuses an assertion confirmed for another recipient (node-saml alone accepts it)', async () => {
      const misrouted = await genuine({ recipient: 'https://other-sp.example.test/acs' });
      expect(await nodeSamlAlone(misrouted)).toBe('alice@example.com');
      expect(await refusal(misrouted)).toBe('wrong_recipient');
    });

    it("refuses another IdP's response and assertion signed with a trusted key (node-saml alone accepts it)", async () => {
      const other = await SamlIdpStandIn.start();
      const misconfigured = { ...connection, idpCertificates: [other.certificate] };
      other.trust(samlServiceProvider(connection).generateServiceProviderMetadata(null));
      const foreign = await genuine({}, { from: other });
      expect(await nodeSamlAlone(foreign, misconfigured)).toBe('alice@example.com');
      expect(await refusal(foreign, misconfigured)).toBe('wrong_issuer');
      // Without the (unsigned) response Issuer, the signed assertion's Issuer is what refuses it.
      const withoutResponseIssuer = forgeResponse(foreign, (document) =>
        response(document).removeChild(firstElement(response(document), 'Issuer')),
      );
      expect(await refusal(withoutResponseIssuer, misconfigured)).toBe('wrong_issuer');
    });

    it('refuses an expired assertion, and accepts one expired within the tolerated skew', async () => {
      const now = Date.now();
      const expired = { notBefore: new Date(now - 10 * MINUTE), notOnOrAfter: new Date(now - 2 * MINUTE) };
      expect(await refusal(await genuine(expired))).toBe('expired');
      const justExpired = { notBefore: new Date(now - 10 * MINUTE), notOnOrAfter: new Date(now - 30_000) };
      expect((await validator.validate(connection, await genuine(justExpired))).profile.email).toBeDefined();
    });

    it('refuses an assertion that is not valid yet', async () => {
      const now = Date.now();
      const future = { notBefore: new Date(now + 10 * MINUTE), notOnOrAfter: new Date(now + 15 * MINUTE) };
      expect(await refusal(await genuine(future))).toBe('not_yet_valid');
    });

    it("refuses an unsigned InResponseTo that differs from the signed assertion's (node-saml alone accepts it)", async () => {
      const swapped = forgeResponse(await genuine(), (document) =>
        response(document).setAttribute('InResponseTo', '_someone-elses-request'),
      );
      expect(await nodeSamlAlone(swapped)).toBe('alice@example.com');
      expect(await refusal(swapped)).toBe('in_response_to_mismatch');
      const unsolicited = forgeResponse(await idp.unsolicited(connection.spEntityId, ALICE), (document) =>
        response(document).setAttribute('InResponseTo', '_request'),
      );
      expect(await refusal(unsolicited)).toBe('in_response_to_mismatch');
    });
  });

  describe('documents', () => {
    it('refuses entity expansion (billion laughs) without expanding anything', async () => {
      const entities = Array.from(
        { length: 9 },
        (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`,
      ).join('');
      const xml = decodeSamlXml(await genuine()).replace(
        'alice@example.com</saml:NameID>',
        '&lol9;</saml:NameID>',
      );
      const bomb = encodeSamlXml(`<!DOCTYPE samlp:Response [<!ENTITY lol0 "lol">${entities}]>${xml}`);
      const started = Date.now();
      expect(await refusal(bomb)).toBe('doctype_forbidden');
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('refuses an external entity (XXE) without reading the file', async () => {
      const directory = await mkdtemp(join(tmpdir(), 'tessera-xxe-'));
      try {
        const secretFile = join(directory, 'secret.txt');
        await writeFile(secretFile, 'xxe-marker-7f3a');
        const xml = decodeSamlXml(await genuine()).replace(
          'alice@example.com</saml:NameID>',
          '&xxe;</saml:NameID>',
        );
        const attack = encodeSamlXml(`<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://${secretFile}">]>${xml}`);
        const error = await validator.validate(connection, attack).catch((caught: unknown) => caught);
        expect(error).toMatchObject({ reason: 'doctype_forbidden' });
        expect(JSON.stringify(error)).not.toContain('xxe-marker');
      } finally {
        await rm(directory, { recursive: true });
      }
    });

    it('refuses everything, unparsed, on a connection without a usable certificate', async () => {
      expect(await refusal(await genuine(), { ...connection, idpCertificates: [] })).toBe('no_certificate');
      expect(await refusal('%%% not even base64', { ...connection, idpCertificates: [] })).toBe(
        'no_certificate',
      );
      expect(await refusal(await genuine(), { ...connection, idpCertificates: ['not a certificate'] })).toBe(
        'no_certificate',
      );
    });

    it('refuses an encrypted assertion with a reason of its own', async () => {
      const encrypted = forgeResponse(await genuine(), (document) => {
        const wrapper = element(document, SAML_NS.assertion, 'saml:EncryptedAssertion');
        wrapper.appendChild(element(document, 'http://www.w3.org/2001/04/xmlenc#', 'xenc:EncryptedData'));
        response(document).replaceChild(wrapper, assertionOf(document));
      });
      expect(await refusal(encrypted)).toBe('encrypted_assertion_unsupported');
    });

    it('refuses a response whose (unsigned) status is not Success (node-saml alone accepts it)', async () => {
      const failed = forgeResponse(await genuine(), (document) =>
        firstElement(document, 'StatusCode').setAttribute(
          'Value',
          'urn:oasis:names:tc:SAML:2.0:status:Responder',
        ),
      );
      expect(await nodeSamlAlone(failed)).toBe('alice@example.com');
      expect(await refusal(failed)).toBe('status_not_success');
    });

    it('refuses oversized, non-base64 and non-XML input', async () => {
      expect(await refusal('A'.repeat(400 * 1024))).toBe('too_large');
      expect(await refusal('not base64!')).toBe('malformed');
      expect(await refusal(encodeSamlXml('<samlp:Response><unclosed></samlp:Response>'))).toBe('malformed');
    });

    it('refuses a signed assertion without an e-mail', async () => {
      const user = {
        nameId: 'u-1234',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      };
      expect(await refusal(await genuine({}, { user }))).toBe('missing_email');
    });
  });

  /** The forged assertion's true digest, as any signer computes it (the key does not matter for the digest). */
  function digestOf(samlResponse: string): string {
    return firstElement(parseSamlResponse(attackerSigned(samlResponse)), 'DigestValue').textContent!;
  }

  function attackerKey(): SigningKey {
    return {
      key: attacker.privateKey,
      certificate: attacker.certificate,
      signatureAlgorithm: XMLDSIG.rsaSha256,
      digestAlgorithm: XMLDSIG.sha256,
    };
  }

  function attackerSigned(samlResponse: string): string {
    return signElement(samlResponse, 'Assertion', attackerKey());
  }

  /** A genuine response whose assertion the IdP's own key signs again, with these algorithms. */
  async function resignedByIdp(signatureAlgorithm: string, digestAlgorithm: string): Promise<string> {
    return signElement(await genuine(), 'Assertion', {
      key: idp.privateKey,
      signatureAlgorithm,
      digestAlgorithm,
    });
  }
});
