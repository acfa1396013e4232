import { DnsStandIn } from '@tessera/testing';
import { Page } from 'playwright-core';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';
import { SamlIdpSite } from './support/saml-idp-site';

/**
 * An Org Admin sets up SAML single sign-on in the console against a real IdP (the samlify stand-in, served as a
 * site), and a person of the organization then signs in through it and lands in the team their group maps to.
 * The organization, its teams and its domain come from API fixtures; the SSO setup itself is done in the browser.
 */
describe('the web console: Single sign-on', () => {
  // Each step runs axe and takes screenshots of full pages.
  jest.setTimeout(120_000);

  let stack: ConsoleStack;
  let dns: DnsStandIn;
  let site: SamlIdpSite;

  beforeAll(async () => {
    [dns, site] = await Promise.all([DnsStandIn.start(), SamlIdpSite.start()]);
    stack = await ConsoleStack.start({ TESSERA_DNS_SERVERS: dns.address });
  });

  afterAll(async () => {
    await stack?.stop();
    await site?.stop();
    await dns?.stop();
  });

  async function checked(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
  }

  let admin: ConsolePerson;
  let api: ReturnType<ConsoleStack['fixtures']['as']>;
  let orgId: string;
  let research: string;
  let claim: { id: string; txtRecord: { name: string; value: string } };
  let loginUrl: string;

  it('an Org Admin gives the IdP metadata (Okta preset, uploaded file) and gets the values to copy into the IdP', async () => {
    admin = await stack.person('it-admin');
    const { page } = admin;
    api = stack.fixtures.as(await stack.apiUser(admin));
    orgId = (await api.post('/v1/orgs').send({ name: 'Acme' }).expect(201)).body.id;
    const teamOf = async (name: string): Promise<string> =>
      (await api.post(`/v1/orgs/${orgId}/teams`).send({ name }).expect(201)).body.id;
    research = await teamOf('Research');
    await teamOf('Platform');
    // Claimed, not yet proven: the connection can be set up and tested, not enabled.
    claim = (await api.post(`/v1/orgs/${orgId}/domains`).send({ domain: 'acme.test' }).expect(201)).body;

    await page.goto(`/o/${orgId}/sso`);
    await page.getByText('No connection yet').waitFor();
    await page.getByRole('button', { name: 'Set up single sign-on' }).click();

    // 1. The IdP's side: the Okta preset names the attributes Okta sends; the metadata is uploaded as a file.
    await page.getByRole('radio', { name: 'Okta' }).check();
    expect(await page.getByLabel('Groups attribute').inputValue()).toBe('groups');
    expect(await page.getByLabel('E-mail attribute').inputValue()).toBe('email');
    await page.getByText('Applications → Applications → Create App Integration').waitFor();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByLabel('IdP metadata file').click(),
    ]);
    await chooser.setFiles({
      name: 'okta-metadata.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(site.idp.metadata()),
    });
    await page.waitForFunction(() =>
      (document.querySelector('textarea')?.value ?? '').includes('EntityDescriptor'),
    );
    await checked(page, 'sso-1-identity-provider');
    await page.getByRole('button', { name: 'Create connection' }).click();

    // 2. Tessera's values, each to copy into the IdP; the IdP's admin imports Tessera's metadata.
    const metadataUrl = page.getByLabel('Metadata URL', { exact: true });
    await metadataUrl.waitFor();
    const acsUrl = await page.getByLabel('ACS URL', { exact: true }).inputValue();
    expect(acsUrl).toMatch(new RegExp(`^${stack.url}/auth/saml/[0-9a-f-]{36}/acs$`));
    expect(await page.getByLabel('Entity ID / audience', { exact: true }).inputValue()).toBe(
      await metadataUrl.inputValue(),
    );
    await page.getByRole('button', { name: 'Copy ACS URL' }).waitFor();
    await checked(page, 'sso-2-service-provider');
    site.idp.trust(await (await fetch(await metadataUrl.inputValue())).text());
    loginUrl = await page.getByLabel('Login URL', { exact: true }).inputValue();
  });

  it('maps a group to a team, and tests the connection: a test sign-in at the IdP shows what arrived', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Next: teams' }).click();
    // 3. The group ml-engineers joins Research as a Developer.
    await page.getByLabel('Group 1', { exact: true }).fill('ml-engineers');
    await page.getByRole('combobox', { name: 'Team for group 1' }).click();
    await page.getByRole('option', { name: 'Research' }).click();
    await checked(page, 'sso-3-teams');
    await page.getByRole('button', { name: 'Save team mappings' }).click();

    // 4. Test connection: a test sign-in at the IdP in a new tab shows what arrived; nobody is signed in.
    site.user = {
      nameId: 'tester@acme.test',
      email: 'tester@acme.test',
      name: 'Test Person',
      groups: ['ml-engineers'],
    };
    const testButton = page.getByRole('button', { name: 'Test connection', exact: true });
    await testButton.waitFor();
    await page.getByText('Not tested yet.').waitFor();
    const [tab] = await Promise.all([admin.context.waitForEvent('page'), testButton.click()]);
    await tab.getByRole('heading', { name: 'SSO connection works' }).waitFor();
    const shown = await tab.locator('body').textContent();
    expect(shown).toContain('tester@acme.test');
    expect(shown).toContain('ml-engineers');
    expect(shown).toContain(`${research}:developer`);
    await screenshot(tab, 'sso-4-test-result');

    // The console, still open in the first tab, reads the test's result by itself: no reload.
    const sent = page.getByRole('table', { name: 'What the identity provider sent' });
    await sent.waitFor();
    expect(await sent.getByRole('row', { name: /E-mail/ }).textContent()).toContain('tester@acme.test');
    expect(await sent.getByRole('row', { name: /Groups/ }).textContent()).toContain('ml-engineers');
    const teams = page.getByRole('list', { name: 'Teams this person would join' });
    expect(await teams.getByRole('listitem').allTextContents()).toEqual(['Research — Developer']);
    await page.getByRole('table', { name: 'Every attribute received' }).waitFor();
    await tab.close();
    await checked(page, 'sso-4-test');
  });

  it('refuses Enable in place until a domain is verified, then enables; the list shows the connection', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Next: enable' }).click();
    // 5. Enable: refused in place while the domain is not verified, with the way to Verified domains.
    await page.getByRole('button', { name: 'Enable single sign-on' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByRole('link', { name: 'Go to Verified domains' }).waitFor();
    // The browser itself logs the refused request; it is the only error, and the expected one.
    expect(admin.errors.splice(0)).toEqual([expect.stringContaining('409 (Conflict)')]);
    await checked(page, 'sso-5-enable-refused');
    dns.setTxt(claim.txtRecord.name, [claim.txtRecord.value]);
    await api.post(`/v1/orgs/${orgId}/domains/${claim.id}/verify`).expect(200);
    await page.getByRole('button', { name: 'Enable single sign-on' }).click();
    await page.getByRole('button', { name: 'Turn off single sign-on' }).waitFor();
    expect(await refusal.count()).toBe(0);
    await checked(page, 'sso-5-enabled');

    // The list shows the connection, enabled, with Edit and Delete.
    await page.getByRole('button', { name: 'Close' }).click();
    const row = page.getByRole('row', { name: /Okta/ });
    await row.getByText('Enabled').waitFor();
    await row.getByRole('button', { name: 'Delete Okta' }).waitFor();
    await checked(page, 'sso-connections');
    await page.setViewportSize({ width: 360, height: 800 });
    await row.getByRole('button', { name: 'Edit Okta' }).click();
    await page.getByRole('button', { name: 'Save identity provider' }).waitFor();
    await checked(page, 'sso-connection-edit-360');
    // Opened again later, the connection's Test connection step shows its last test.
    await page.getByRole('button', { name: /Test connection/ }).click();
    await page.getByRole('heading', { name: /^Last test: / }).waitFor();
    await page.getByText('Research — Developer').waitFor();
    await checked(page, 'sso-connection-last-test-360');
    expect(admin.errors).toEqual([]);
  });

  it("signs a person of the organization in through the connection's login URL, into the team their group maps to", async () => {
    site.user = {
      nameId: 'lin@acme.test',
      email: 'lin@acme.test',
      name: 'Lin Park',
      groups: ['ml-engineers'],
    };
    // The login URL as the IdP's dashboard or a bookmark opens it (sso-signin.e2e-spec signs in by work e-mail).
    const lin = await stack.visitor(`${loginUrl}?return_to=/`);
    const { page } = lin;
    await page.waitForURL((url) => url.origin === stack.url && url.pathname.startsWith('/a/'));
    await page.getByRole('button', { name: /^Switch account/ }).click();
    await page.getByRole('menuitem', { name: 'Research' }).click();
    await page.getByRole('button', { name: 'Switch account. Current: Research, Team' }).waitFor();
    await screenshot(page, 'sso-person-in-research');
    const members = await api.get(`/v1/teams/${research}/members`).expect(200);
    expect(members.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: 'lin@acme.test', role: 'developer' })]),
    );
    expect(lin.errors).toEqual([]);
  });
});
