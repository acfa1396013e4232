import { DnsStandIn } from '@tessera/testing';
import { Page } from 'playwright-core';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';
import { SamlIdpSite } from './support/saml-idp-site';

/**
 * Signing in with an organization's SAML single sign-on from the sign-in page, in Chromium: by work e-mail under
 * "Continue with SSO", and from another site's link through the "Continue with single sign-on" page. Both start
 * with a form or a click on a Tessera page whose CSP keeps `form-action 'self'`, and end at the IdP on another
 * origin (the samlify stand-in, served as a site), which posts the answer back.
 */
describe('SSO sign-in from the sign-in page, in the browser', () => {
  jest.setTimeout(120_000);

  let stack: ConsoleStack;
  let dns: DnsStandIn;
  let site: SamlIdpSite;
  let loginPath: string;

  beforeAll(async () => {
    [dns, site] = await Promise.all([DnsStandIn.start(), SamlIdpSite.start()]);
    stack = await ConsoleStack.start({ TESSERA_DNS_SERVERS: dns.address });

    // Acme verifies acme.test and enables a connection to its IdP that places everyone in Research.
    const api = stack.fixtures.as(await stack.fixtures.user('it-admin'));
    const orgId = (await api.post('/v1/orgs').send({ name: 'Acme' }).expect(201)).body.id;
    const research = (await api.post(`/v1/orgs/${orgId}/teams`).send({ name: 'Research' }).expect(201)).body
      .id;
    const claim = (await api.post(`/v1/orgs/${orgId}/domains`).send({ domain: 'acme.test' }).expect(201))
      .body;
    dns.setTxt(claim.txtRecord.name, [claim.txtRecord.value]);
    await api.post(`/v1/orgs/${orgId}/domains/${claim.id}/verify`).expect(200);
    const connection = (
      await api
        .post(`/v1/orgs/${orgId}/sso/connections`)
        .send({ metadataXml: site.idp.metadata(), defaultTeamId: research, defaultRole: 'developer' })
        .expect(201)
    ).body;
    await api.patch(`/v1/orgs/${orgId}/sso/connections/${connection.id}`).send({ enabled: true }).expect(200);
    site.idp.trust(await (await fetch(connection.serviceProvider.metadataUrl)).text());
    loginPath = new URL(connection.serviceProvider.loginUrl).pathname;
  });

  afterAll(async () => {
    await stack?.stop();
    await site?.stop();
    await dns?.stop();
  });

  /**
   * Does `start` and waits until the person is signed in to the console, or until the page reports a
   * Content-Security-Policy violation (the browser's own words, so a failure says which directive stopped it).
   */
  async function signsIn(person: ConsolePerson, start: () => Promise<void>): Promise<void> {
    const { page } = person;
    const violation = new Promise<string>((resolve) =>
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) resolve(message.text());
      }),
    );
    await start();
    const arrived = page
      .getByRole('button', { name: /^Switch account/ })
      .waitFor()
      .then(() => undefined);
    expect(await Promise.race([arrived, violation])).toBeUndefined();
    expect(new URL(page.url()).origin).toBe(stack.url);
  }

  function signedInAtIdp(email: string, name: string): void {
    site.user = { nameId: email, email, name, groups: [] };
  }

  async function checked(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
  }

  it('signs a person in by their work e-mail: "Continue with SSO" goes to the IdP and back to the console', async () => {
    signedInAtIdp('lin@acme.test', 'Lin Park');
    const lin = await stack.visitor('/');
    const { page } = lin;
    await page.waitForURL(/\/signin\?return_to=%2F$/);
    await page.getByLabel(/^Work e-mail/).fill('lin@acme.test');
    await signsIn(lin, () => page.getByRole('button', { name: 'Continue with SSO' }).click());
    await screenshot(page, 'sso-signin-by-email');
    expect(lin.errors).toEqual([]);
  });

  it('sends a person whose e-mail has no SSO back to the sign-in page, saying so', async () => {
    const visitor = await stack.visitor('/');
    const { page } = visitor;
    await page.waitForURL(/\/signin\?/);
    await page.getByLabel(/^Work e-mail/).fill('someone@elsewhere.test');
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await page
      .getByRole('alert')
      .getByText('That single sign-on is not set up for your e-mail address.')
      .waitFor();
    expect(visitor.errors).toEqual([]);
  });

  it('asks a person sent by another site\'s link, then signs them in on "Continue with single sign-on"', async () => {
    signedInAtIdp('sam@acme.test', 'Sam Ortiz');
    const sam = await stack.visitor('about:blank');
    const { page } = sam;
    // Another site (served by the browser itself) links to the e-mail discovery: it redirects to the login URL,
    // still marked cross-site, so the sign-in is not started but asked for (no refresh makes it same-origin).
    const elsewhere = 'http://elsewhere.test/';
    const discovery = `${stack.url}/auth/sso?${new URLSearchParams({ email: 'sam@acme.test' })}`;
    await sam.context.route(elsewhere, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Elsewhere</title><a href="${discovery}">Tessera</a>`,
      }),
    );
    await page.goto(elsewhere);
    await page.getByRole('link', { name: 'Tessera' }).click();
    await page.getByRole('heading', { name: 'Sign in with single sign-on?' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(loginPath);
    await checked(page, 'sso-continue');
    await signsIn(sam, () => page.getByRole('link', { name: 'Continue with single sign-on' }).click());
    expect(sam.errors).toEqual([]);
  });
});
