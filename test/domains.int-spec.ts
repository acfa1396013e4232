import { DomainEvent, DomainView, RpcClient } from '@tessera/contracts';
import { DnsStandIn, eventually } from '@tessera/testing';
import request from 'supertest';
import { DomainRecheckJob } from '../apps/identity/src/domains/domain-recheck.job';
import { GitHubPlatform } from './support/github-platform';
import { TeamFixtures } from './support/teams';
import { TestUser } from './support/users';

describe('verified domains: an organization proves by DNS which e-mail domains are its own', () => {
  let dns: DnsStandIn;
  let stack: GitHubPlatform;
  let fixtures: TeamFixtures;
  let rpc: RpcClient;
  /** Org Admin of Acme. */
  let alice: TestUser;
  let acme: string;
  /** Org Admin of Globex. */
  let erin: TestUser;
  let globex: string;

  beforeAll(async () => {
    dns = await DnsStandIn.start();
    stack = await GitHubPlatform.start({ TESSERA_DNS_SERVERS: dns.address });
    fixtures = stack.fixtures;
    rpc = stack.rpc;
    // One at a time: the GitHub stand-in signs in whoever it was last told to.
    alice = await fixtures.user('alice');
    erin = await fixtures.user('erin');
    acme = await createOrganization(alice, 'Acme');
    globex = await createOrganization(erin, 'Globex');
  });

  afterAll(async () => {
    await stack?.stop();
    await dns?.stop();
  });

  const as = (who: TestUser) => fixtures.as(who);

  async function createOrganization(admin: TestUser, name: string): Promise<string> {
    return (await as(admin).post('/v1/orgs').send({ name }).expect(201)).body.id;
  }

  async function claim(admin: TestUser, orgId: string, domain: string): Promise<DomainView> {
    return (await as(admin).post(`/v1/orgs/${orgId}/domains`).send({ domain }).expect(201)).body;
  }

  function verify(admin: TestUser, orgId: string, domainId: string) {
    return as(admin).post(`/v1/orgs/${orgId}/domains/${domainId}/verify`);
  }

  async function organizationFor(email: string): Promise<string | null> {
    return (await rpc.request('tessera.identity.domain.organization-for-email', { email })).organizationId;
  }

  async function lastEvent(change: 'claimed' | 'verified' | 'removed') {
    return (await fixtures.lastEvent<DomainEvent>(`tessera.events.identity.domain.${change}`))?.data;
  }

  /** Waits for the relay to publish the change's event about this domain, made by this person. */
  function expectEvent(change: 'claimed' | 'verified' | 'removed', domain: DomainView, actor: TestUser) {
    return eventually(async () =>
      expect(await lastEvent(change)).toEqual({
        organizationId: domain.organizationId,
        domainId: domain.id,
        domain: domain.domain,
        actorUserId: actor.id,
      }),
    );
  }

  describe('acme.test, from claim to verified', () => {
    let acmeTest: DomainView;

    it('claims a domain and answers the TXT record to publish; claiming it again answers the same claim', async () => {
      acmeTest = await claim(alice, acme, ' Acme.TEST. ');
      expect(acmeTest).toMatchObject({
        organizationId: acme,
        domain: 'acme.test',
        status: 'pending',
        verifiedAt: null,
        txtRecord: {
          name: '_tessera-verification.acme.test',
          type: 'TXT',
          value: expect.stringMatching(/^tessera-verification=[A-Za-z0-9_-]{43}$/),
        },
      });
      await expectEvent('claimed', acmeTest, alice);

      expect(await claim(alice, acme, 'acme.test')).toEqual(acmeTest);
      expect((await as(alice).get(`/v1/orgs/${acme}/domains`).expect(200)).body).toEqual([acmeTest]);
    });

    it('refuses to verify before the record is published, says what to publish, and changes nothing', async () => {
      const refused = await verify(alice, acme, acmeTest.id).expect(409);
      expect(refused.body.error.code).toBe('domain_not_verified');
      expect(refused.body.error.message).toContain(
        'No TXT record was found at _tessera-verification.acme.test',
      );
      expect(refused.body.error.message).toContain(acmeTest.txtRecord.value);

      expect((await as(alice).get(`/v1/orgs/${acme}/domains`).expect(200)).body).toEqual([acmeTest]);
      expect(await lastEvent('verified')).toBeUndefined();
      expect(await organizationFor('someone@acme.test')).toBeNull();
    });

    it('refuses a TXT record with another value', async () => {
      // A value over 255 bytes travels in several strings and still counts as one record.
      const longRecord = `k=rsa; p=${'A'.repeat(400)}`;
      dns.setTxt(acmeTest.txtRecord.name, ['tessera-verification=not-the-token', 'v=spf1 -all', longRecord]);
      const refused = await verify(alice, acme, acmeTest.id).expect(409);
      expect(refused.body.error).toMatchObject({
        code: 'domain_not_verified',
        message: expect.stringContaining('None of the 3 TXT records found has this value'),
      });
    });

    it('verifies once the record is published, and from then on the domain leads its e-mails to the organization', async () => {
      dns.setTxt(acmeTest.txtRecord.name, ['v=spf1 -all', acmeTest.txtRecord.value]);
      const verified = await verify(alice, acme, acmeTest.id).expect(200);
      expect(verified.body).toMatchObject({
        id: acmeTest.id,
        status: 'verified',
        verifiedAt: expect.any(String),
      });
      await expectEvent('verified', acmeTest, alice);

      expect(await organizationFor('someone@acme.test')).toBe(acme);
      expect(await organizationFor('Someone@ACME.test')).toBe(acme);
      // Exactly the verified domain: a subdomain or a look-alike is another domain.
      expect(await organizationFor('someone@eu.acme.test')).toBeNull();
      expect(await organizationFor('someone@notacme.test')).toBeNull();
      expect(await organizationFor('not an address')).toBeNull();

      // Verifying again answers the domain as it is, even after the record is gone.
      dns.setTxt(acmeTest.txtRecord.name, []);
      expect((await verify(alice, acme, acmeTest.id).expect(200)).body).toEqual(verified.body);
    });

    it('keeps a domain verified by one organization from being claimed by another', async () => {
      const refused = await as(erin)
        .post(`/v1/orgs/${globex}/domains`)
        .send({ domain: 'acme.test' })
        .expect(409);
      expect(refused.body.error.code).toBe('domain_taken');
      expect((await as(erin).get(`/v1/orgs/${globex}/domains`).expect(200)).body).toEqual([]);
    });
  });

  it('lets several organizations claim a domain; the first to verify owns it until it removes it', async () => {
    const byAcme = await claim(alice, acme, 'shared.test');
    const byGlobex = await claim(erin, globex, 'shared.test');
    expect(byGlobex.txtRecord.value).not.toBe(byAcme.txtRecord.value);
    dns.setTxt('_tessera-verification.shared.test', [byAcme.txtRecord.value, byGlobex.txtRecord.value]);

    await verify(alice, acme, byAcme.id).expect(200);
    const taken = await verify(erin, globex, byGlobex.id).expect(409);
    expect(taken.body.error.code).toBe('domain_taken');
    expect(await organizationFor('someone@shared.test')).toBe(acme);

    await as(alice).delete(`/v1/orgs/${acme}/domains/${byAcme.id}`).expect(204);
    await expectEvent('removed', byAcme, alice);
    await as(alice).delete(`/v1/orgs/${acme}/domains/${byAcme.id}`).expect(404);
    expect(await organizationFor('someone@shared.test')).toBeNull();

    await verify(erin, globex, byGlobex.id).expect(200);
    expect(await organizationFor('someone@shared.test')).toBe(globex);
  });

  it('settles concurrent requests: one claim per organization, one owner per domain', async () => {
    const claims = await Promise.all([1, 2, 3].map(() => claim(alice, acme, 'race.test')));
    expect(new Set(claims.map((c) => c.id)).size).toBe(1);
    const rival = await claim(erin, globex, 'race.test');
    dns.setTxt('_tessera-verification.race.test', [claims[0].txtRecord.value, rival.txtRecord.value]);

    const outcomes = await Promise.all([
      verify(alice, acme, claims[0].id),
      verify(erin, globex, rival.id),
      verify(alice, acme, claims[0].id),
    ]);
    const owner = await organizationFor('someone@race.test');
    expect([acme, globex]).toContain(owner);
    for (const [index, outcome] of outcomes.entries()) {
      const organization = index === 1 ? globex : acme;
      if (organization === owner) expect(outcome.status).toBe(200);
      else expect(outcome.body.error.code).toBe('domain_taken');
    }
  });

  it('refuses public e-mail providers with public_email_domain', async () => {
    for (const domain of [
      'gmail.com',
      'GoogleMail.com',
      'outlook.com',
      'proton.me',
      'gmx.de',
      'mail.yahoo.com',
    ]) {
      const refused = await as(alice).post(`/v1/orgs/${acme}/domains`).send({ domain }).expect(422);
      expect(refused.body.error.code).toBe('public_email_domain');
    }
  });

  it('refuses what is not a domain name with validation_failed, and writes nothing', async () => {
    const before = (await as(alice).get(`/v1/orgs/${acme}/domains`).expect(200)).body;
    const longDomain = `${'a'.repeat(60)}.`.repeat(5) + 'test';
    for (const domain of ['*.acme.test', '127.0.0.1', '[::1]', 'acme', '-x.test', longDomain, '', 42, null]) {
      const refused = await as(alice).post(`/v1/orgs/${acme}/domains`).send({ domain }).expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
    }
    const noBody = await as(alice).post(`/v1/orgs/${acme}/domains`).expect(400);
    expect(noBody.body.error.code).toBe('validation_failed');
    const wildcard = await as(alice)
      .post(`/v1/orgs/${acme}/domains`)
      .send({ domain: '*.acme.test' })
      .expect(400);
    expect(wildcard.body.error.details).toEqual([
      { path: 'domain', message: 'Wildcards cannot be verified: claim the domain itself, e.g. `acme.com`.' },
    ]);
    // A misspelt field is named, not silently dropped.
    const unknownField = await as(alice)
      .post(`/v1/orgs/${acme}/domains`)
      .send({ domain: 'fresh.test', verify_now: true })
      .expect(400);
    expect(unknownField.body.error.details).toEqual([
      { path: '', message: 'Unrecognized key: "verify_now"' },
    ]);
    expect((await as(alice).get(`/v1/orgs/${acme}/domains`).expect(200)).body).toEqual(before);

    for (const badId of [
      verify(alice, acme, 'not-a-uuid'),
      as(alice).delete(`/v1/orgs/${acme}/domains/42`),
    ]) {
      const refused = (await badId.expect(400)).body.error;
      expect(refused).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'domainId', message: 'Must be a UUID.' }],
      });
    }
    const unknown = await verify(alice, acme, '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90').expect(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('answers a failed DNS lookup with domain_not_verified saying so, never a server error', async () => {
    const lookup = await claim(alice, acme, 'lookup.test');
    dns.setTxt(lookup.txtRecord.name, [lookup.txtRecord.value]);
    const lookupFailed = (reason: string) => ({
      code: 'domain_not_verified',
      message: expect.stringContaining(`DNS lookup of _tessera-verification.lookup.test failed (${reason})`),
    });
    try {
      dns.failWith('servfail');
      expect((await verify(alice, acme, lookup.id).expect(409)).body.error).toMatchObject(
        lookupFailed('ESERVFAIL'),
      );
      // A silent server costs at most half the RPC timeout, so the answer still comes from identity.
      dns.failWith('no-answer');
      expect((await verify(alice, acme, lookup.id).expect(409)).body.error).toMatchObject(
        lookupFailed('ETIMEOUT'),
      );
      dns.failWith(undefined);
      await dns.stop();
      expect((await verify(alice, acme, lookup.id).expect(409)).body.error).toMatchObject(
        lookupFailed('ECONNREFUSED'),
      );
    } finally {
      dns.failWith(undefined);
      await dns.resume();
    }
    expect((await as(alice).get(`/v1/orgs/${acme}/domains`).expect(200)).body).toContainEqual(lookup);
    await verify(alice, acme, lookup.id).expect(200);
  });

  it('re-checks verified domains and lapses one whose record stays gone, so it vouches for nobody', async () => {
    // Other tests' verified domains are re-checked too (`run(0)` takes every one): only recheck.test is watched.
    const job = () => stack.platform.provider('identity', DomainRecheckJob);
    const recheck = await claim(erin, globex, 'recheck.test');
    dns.setTxt(recheck.txtRecord.name, [recheck.txtRecord.value]);
    await verify(erin, globex, recheck.id).expect(200);
    const failedChecks = async () =>
      (
        (await stack.platform.query(`SELECT failed_checks FROM identity.domains WHERE id = $1`, [
          recheck.id,
        ])) as {
          failed_checks: number;
        }[]
      )[0].failed_checks;

    // Not due yet: verified a moment ago, checked once a day.
    dns.setTxt(recheck.txtRecord.name, []);
    expect(await job().run()).not.toContain('recheck.test');
    expect(await failedChecks()).toBe(0);
    // Two failures, then the record is back: the count starts over. A lookup that fails (here, a resolver
    // answering SERVFAIL) is no answer at all and counts for nothing.
    expect(await job().run(0)).not.toContain('recheck.test');
    dns.failWith('servfail');
    for (let i = 0; i < 4; i++) expect(await job().run(0)).not.toContain('recheck.test');
    dns.failWith(undefined);
    expect(await failedChecks()).toBe(1);
    expect(await job().run(0)).not.toContain('recheck.test');
    expect(await failedChecks()).toBe(2);
    dns.setTxt(recheck.txtRecord.name, [recheck.txtRecord.value]);
    expect(await job().run(0)).not.toContain('recheck.test');
    expect(await failedChecks()).toBe(0);

    // Gone for three checks in a row (the default): the domain lapses.
    dns.setTxt(recheck.txtRecord.name, ['tessera-verification=someone-elses']);
    expect(await job().run(0)).not.toContain('recheck.test');
    expect(await job().run(0)).not.toContain('recheck.test');
    expect(await organizationFor('bob@recheck.test')).toBe(globex);
    expect(await job().run(0)).toContain('recheck.test');
    expect(await organizationFor('bob@recheck.test')).toBeNull();
    const listed = (await as(erin).get(`/v1/orgs/${globex}/domains`).expect(200)).body as DomainView[];
    expect(listed.find((domain) => domain.id === recheck.id)).toMatchObject({
      status: 'pending',
      verifiedAt: null,
    });
    await eventually(async () =>
      expect((await fixtures.lastEvent<unknown>('tessera.events.identity.domain.lapsed'))?.data).toEqual({
        organizationId: globex,
        domainId: recheck.id,
        domain: 'recheck.test',
        failedChecks: 3,
        reason: 'record_missing',
      }),
    );
    // Publishing the record again and verifying restores it.
    dns.setTxt(recheck.txtRecord.name, [recheck.txtRecord.value]);
    await verify(erin, globex, recheck.id).expect(200);
    expect(await organizationFor('bob@recheck.test')).toBe(globex);
  });

  it('describes the routes and their error codes in the OpenAPI document', async () => {
    const { paths } = (await request(stack.platform.http).get('/docs-json').expect(200)).body;
    const collection = paths['/v1/orgs/{orgId}/domains'];
    expect(Object.keys(collection.post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '404', '409', '422']),
    );
    expect(Object.keys(collection.get.responses)).toEqual(expect.arrayContaining(['200', '401', '404']));
    expect(Object.keys(paths['/v1/orgs/{orgId}/domains/{domainId}/verify'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404', '409']),
    );
    expect(Object.keys(paths['/v1/orgs/{orgId}/domains/{domainId}'].delete.responses)).toContain('204');
    expect(collection.post.responses['201'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/DomainView',
    });
  });

  it('hides every domain route from whoever is not an Org Admin of the organization', async () => {
    const team = (await as(alice).post(`/v1/orgs/${acme}/teams`).send({ name: 'Research' }).expect(201)).body
      .id;
    const developer = await fixtures.addMember(alice, team, 'developer', 'acme-dev');
    const teamAdmin = await fixtures.addMember(alice, team, 'admin', 'acme-team-admin');
    const hidden = await claim(alice, acme, 'hidden.test');
    const globexDomain = await claim(erin, globex, 'globex.test');

    for (const who of [developer, teamAdmin, erin]) {
      const routes = [
        as(who).get(`/v1/orgs/${acme}/domains`),
        as(who).post(`/v1/orgs/${acme}/domains`).send({ domain: 'intruder.test' }),
        as(who).post(`/v1/orgs/${acme}/domains/${hidden.id}/verify`),
        as(who).delete(`/v1/orgs/${acme}/domains/${hidden.id}`),
      ];
      for (const route of routes) expect((await route.expect(404)).body.error.code).toBe('not_found');
    }
    // An Org Admin of Globex cannot reach Acme's domain through Globex either.
    await verify(erin, globex, hidden.id).expect(404);
    await as(erin).delete(`/v1/orgs/${globex}/domains/${hidden.id}`).expect(404);

    const acmeDomains = (await as(alice).get(`/v1/orgs/${acme}/domains`).expect(200)).body as DomainView[];
    expect(acmeDomains.map((d) => d.domain)).not.toContain('intruder.test');
    expect(acmeDomains.map((d) => d.id)).not.toContain(globexDomain.id);
    expect(acmeDomains).toContainEqual(hidden);
  });
});
