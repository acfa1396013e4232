import { commonVariables, loadConfig } from '@tessera/config';
import { SamlConnection } from '@tessera/contracts';
import { migrateServiceDatabase, openServiceDataSource } from '@tessera/persistence';
import { createLogger, sha256 } from '@tessera/runtime';
import {
  LogCapture,
  SamlIdpStandIn,
  SamlStandInUser,
  TestDatabase,
  forgeResponse,
  removeSignatures,
} from '@tessera/testing';
import { DataSource } from 'typeorm';
import { SsoFailedError } from '../apps/identity/src/identity.errors';
import { identityService } from '../apps/identity/src/identity.module';
import { SamlResponseValidator } from '../apps/identity/src/saml/saml-response-validator';
import { SamlSignInService } from '../apps/identity/src/saml/saml-sign-in.service';
import { SamlStateRepository } from '../apps/identity/src/saml/saml-state.repository';

const ALICE: SamlStandInUser = {
  nameId: 'alice@example.com',
  email: 'alice@example.com',
  name: 'Alice Smith',
};

/**
 * SAML sign-in's state rules on a real PostgreSQL with identity's migrations: a response must answer a pending
 * request of its own connection (or be IdP-initiated where allowed), requests are consumed only by a response that
 * is accepted, and no assertion signs in twice.
 */
const SIGN_IN = { purpose: 'signin', returnTo: '/' } as const;

describe('SAML sign-in (identity, PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let logs: LogCapture;
  let service: SamlSignInService;
  let idp: SamlIdpStandIn;
  let connection: SamlConnection;

  beforeAll(async () => {
    [database, idp] = await Promise.all([TestDatabase.create(), SamlIdpStandIn.start()]);
    const config = loadConfig(commonVariables, { TESSERA_DATABASE_URL: database.url });
    const identity = identityService.database(config);
    expect(await migrateServiceDatabase(identity)).toContain('Saml1764900000000');
    dataSource = await openServiceDataSource({ ...identity, migrateAtStart: false });
    logs = new LogCapture();
    service = new SamlSignInService(
      new SamlResponseValidator(),
      new SamlStateRepository(dataSource),
      createLogger('identity', 'info', logs),
    );
    connection = trustedConnection();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** A connection to the IdP, which the IdP trusts from the metadata the service gives its admin. */
  function trustedConnection(overrides: Partial<SamlConnection> = {}): SamlConnection {
    const made = idp.connection(overrides);
    idp.trust(service.spMetadata(made));
    return made;
  }

  async function refusal(on: SamlConnection, samlResponse: string, binding?: string): Promise<string> {
    const error = await service.verify(on, samlResponse, binding).then(
      () => new Error('accepted'),
      (caught: unknown) => caught,
    );
    if (!(error instanceof SsoFailedError)) throw error;
    return error.reason;
  }

  async function pendingRequests(requestId: string): Promise<number> {
    const rows = (await dataSource.query(`SELECT 1 FROM identity.saml_requests WHERE id_hash = $1`, [
      sha256(requestId),
    ])) as unknown[];
    return rows.length;
  }

  it('exchanges metadata: the SP asks for signed assertions at its ACS URL; the IdP names what a connection holds', () => {
    const metadata = service.spMetadata(connection);
    expect(metadata).toContain(`entityID="${connection.spEntityId}"`);
    expect(metadata).toContain(`Location="${connection.acsUrl}"`);
    expect(metadata).toContain('WantAssertionsSigned="true"');
    // And the IdP's side of the exchange: what its admin screen shows is what a connection is made of.
    const idpMetadata = idp.metadata();
    expect(idpMetadata).toContain(`entityID="${connection.idpEntityId}"`);
    expect(idpMetadata).toContain(`Location="${connection.idpSsoUrl}"`);
    expect(idpMetadata.replace(/\s/g, '')).toContain(
      connection.idpCertificates[0].replace(/-----[A-Z ]+-----|\s/g, ''),
    );
  });

  it('signs in through an SP-initiated request, which is then used up', async () => {
    const { redirectUrl, requestId, binding } = await service.startLogin(connection, {
      purpose: 'signin',
      returnTo: '/after',
    });
    const url = new URL(redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe(idp.ssoUrl);
    expect(await pendingRequests(requestId)).toBe(1);
    const stored = (await dataSource.query(`SELECT id_hash FROM identity.saml_requests`)) as {
      id_hash: string;
    }[];
    expect(stored.map((row) => row.id_hash)).not.toContain(requestId); // only its hash

    const samlResponse = await idp.respond(redirectUrl, ALICE);
    const { profile, request } = await service.verify(connection, samlResponse, binding);
    expect(profile).toMatchObject({
      email: 'alice@example.com',
      name: 'Alice Smith',
      inResponseTo: requestId,
    });
    expect(request).toEqual({ purpose: 'signin', returnTo: '/after' });
    expect(await pendingRequests(requestId)).toBe(0);
    expect(await refusal(connection, samlResponse, binding)).toBe('replayed');
  });

  it('refuses a sign-in answer posted from another browser than the one that asked, keeping the request', async () => {
    // Login CSRF: the attacker starts a sign-in in their own browser and makes the victim's browser post the answer.
    const attackers = await service.startLogin(connection, SIGN_IN);
    const victims = await service.startLogin(connection, SIGN_IN);
    const answer = await idp.respond(attackers.redirectUrl, ALICE);
    expect(await refusal(connection, answer, victims.binding)).toBe('browser_mismatch');
    expect(await refusal(connection, answer, undefined)).toBe('browser_mismatch');
    expect(await pendingRequests(attackers.requestId)).toBe(1);
    expect((await service.verify(connection, answer, attackers.binding)).profile.inResponseTo).toBe(
      attackers.requestId,
    );
    // A "test connection" request signs nobody in, and is started through the API: it needs no binding.
    const test = await service.startLogin(connection, { purpose: 'test', returnTo: '/' });
    const tested = await service.verify(connection, await idp.respond(test.redirectUrl, ALICE), undefined);
    expect(tested.request.purpose).toBe('test');
  });

  it('refuses IdP-initiated responses unless the connection allows them, and then accepts each once', async () => {
    expect(await refusal(connection, await idp.unsolicited(connection.spEntityId, ALICE))).toBe(
      'unsolicited_not_allowed',
    );
    const open = trustedConnection({ allowIdpInitiated: true });
    const samlResponse = await idp.unsolicited(open.spEntityId, ALICE);
    expect((await service.verify(open, samlResponse, undefined)).profile.inResponseTo).toBeUndefined();
    expect(await refusal(open, samlResponse)).toBe('replayed');
  });

  it('accepts one of two identical responses posted at the same time', async () => {
    const open = trustedConnection({ allowIdpInitiated: true });
    const samlResponse = await idp.unsolicited(open.spEntityId, ALICE);
    const outcomes = await Promise.allSettled([
      service.verify(open, samlResponse, undefined),
      service.verify(open, samlResponse, undefined),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ reason: 'replayed' });
  });

  it("refuses an answer to another connection's request, or to a request never made, and keeps nothing of it", async () => {
    const [mine, other] = [trustedConnection(), trustedConnection()];
    const {
      redirectUrl: otherUrl,
      requestId: otherRequest,
      binding: otherBinding,
    } = await service.startLogin(other, SIGN_IN);
    const { redirectUrl } = await service.startLogin(mine, SIGN_IN);

    const crossed = await idp.respond(redirectUrl, ALICE, { inResponseTo: otherRequest });
    expect(await refusal(mine, crossed, otherBinding)).toBe('unknown_request');
    expect(await refusal(mine, await idp.respond(redirectUrl, ALICE, { inResponseTo: '_never-made' }))).toBe(
      'unknown_request',
    );
    // The refused assertions were not remembered (their transaction rolled back); the other request still waits.
    const remembered = (await dataSource.query(
      `SELECT 1 FROM identity.saml_assertions WHERE connection_id = $1`,
      [mine.id],
    )) as unknown[];
    expect(remembered).toHaveLength(0);
    expect(await pendingRequests(otherRequest)).toBe(1);
    expect(
      (await service.verify(other, await idp.respond(otherUrl, ALICE), otherBinding)).profile.inResponseTo,
    ).toBe(otherRequest);
  });

  it('refuses an answer to an expired request', async () => {
    const { redirectUrl, requestId, binding } = await service.startLogin(connection, SIGN_IN);
    await dataSource.query(
      `UPDATE identity.saml_requests SET expires_at = now() - interval '1 second' WHERE id_hash = $1`,
      [sha256(requestId)],
    );
    expect(await refusal(connection, await idp.respond(redirectUrl, ALICE), binding)).toBe('unknown_request');
  });

  it('does not consume the pending request on failed attempts: the genuine answer still signs in', async () => {
    const { redirectUrl, requestId, binding } = await service.startLogin(connection, SIGN_IN);
    const genuine = await idp.respond(redirectUrl, ALICE);
    expect(await refusal(connection, forgeResponse(genuine, removeSignatures))).toBe('signature_missing');
    const misrouted = await idp.respond(redirectUrl, ALICE, {
      recipient: 'https://elsewhere.example.test/acs',
    });
    expect(await refusal(connection, misrouted)).toBe('wrong_recipient');
    expect(await pendingRequests(requestId)).toBe(1);
    expect((await service.verify(connection, genuine, binding)).profile.inResponseTo).toBe(requestId);
  });

  it('logs each refusal with its reason and connection, never the response or who it names', async () => {
    const samlResponse = forgeResponse(await idp.unsolicited(connection.spEntityId, ALICE), removeSignatures);
    logs.lines.length = 0;
    logs.raw.length = 0;
    await refusal(connection, samlResponse);
    expect(logs.lines).toEqual([
      expect.objectContaining({
        msg: 'SAML sign-in refused',
        connectionId: connection.id,
        reason: 'signature_missing',
      }),
    ]);
    expect(logs.raw.join('\n')).not.toContain(samlResponse.slice(0, 40));
    expect(logs.raw.join('\n')).not.toContain('alice@example.com');
  });
});
