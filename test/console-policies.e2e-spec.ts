import { DnsStandIn } from '@tessera/testing';
import { Page } from 'playwright-core';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';
import { TestUser } from './support/users';

// A person signing in, joining and using the console takes several page loads: more than jest's default minute.
jest.setTimeout(150_000);

describe('the web console: Policies and Verified domains in a real browser', () => {
  let dns: DnsStandIn;
  let stack: ConsoleStack;
  /** Org Admin of Acme, in the browser and at the API. */
  let ada: ConsolePerson;
  let adaApi: TestUser;
  let acme: string;
  /** A team of Acme. */
  let research: string;

  beforeAll(async () => {
    dns = await DnsStandIn.start();
    stack = await ConsoleStack.start({ TESSERA_DNS_SERVERS: dns.address });
    ada = await stack.person('ada');
    adaApi = await stack.apiUser(ada);
    acme = (await as(adaApi).post('/v1/orgs').send({ name: 'Acme' }).expect(201)).body.id;
    research = (await as(adaApi).post(`/v1/orgs/${acme}/teams`).send({ name: 'Research' }).expect(201)).body
      .id;
  });

  afterAll(async () => {
    await stack?.stop();
    await dns?.stop();
  });

  const as = (user: TestUser) => stack.fixtures.as(user);

  /** A person signed in to the console who joined Research with `role` by accepting Ada's invitation. */
  async function researchMember(name: string, role: 'admin' | 'developer'): Promise<ConsolePerson> {
    const person = await stack.person(name);
    const user = await stack.apiUser(person);
    const invitation = await as(adaApi)
      .post(`/v1/teams/${research}/invitations`)
      .send({ email: person.email, role })
      .expect(201);
    const token = await stack.fixtures.invitationToken(invitation.body.id);
    await as(user).post('/v1/invitations/accept').send({ token }).expect(200);
    return person;
  }

  /**
   * Chromium logs every 4xx answer to `fetch` as a console error. The refusal a test provokes on purpose, shown in
   * place by the page, is not an error of the page: it is taken out (and must be there); anything else stays.
   */
  function expectRefusalLogged(person: ConsolePerson, status: number, path: RegExp): void {
    const refusal = (error: string) =>
      error.startsWith(`Failed to load resource: the server responded with a status of ${status} `) &&
      path.test(error);
    expect(person.errors.filter(refusal).length).toBeGreaterThan(0);
    person.errors.splice(0, person.errors.length, ...person.errors.filter((error) => !refusal(error)));
  }

  const setting = (page: Page, label: string) => page.getByRole('group', { name: label, exact: true });

  async function atNarrowWidth(page: Page, name: string): Promise<void> {
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it("an Org Admin sets the organization's policy, and its history lists the version", async () => {
    const { page } = ada;
    await page.goto(`/o/${acme}/policies`);
    await page.getByLabel('Maximum API key lifetime (days)').fill('90');
    await page.getByRole('checkbox', { name: /^Google/ }).uncheck();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Saved as version 1.').waitFor();
    const history = page.getByRole('list', { name: 'Policy versions' });
    await history
      .getByText('Maximum API key lifetime: 90 days; Allowed sign-in methods: GitHub, Single sign-on (SAML)')
      .waitFor();
    expect(await history.textContent()).toContain('Version 1');
    // The organization's own settings are on its page only.
    expect(await page.getByLabel('Maximum session length (hours)').count()).toBe(1);
    await screenshot(page, 'org-policies');
    expect(await seriousViolations(page)).toEqual([]);
    await atNarrowWidth(page, 'org-policies-360');

    // An Org Admin sees the team's view with the organization's name on its rules.
    await page.goto(`/a/${research}/policies`);
    await setting(page, 'Maximum API key lifetime').getByText('Set by Acme:').waitFor();
    expect(ada.errors).toEqual([]);
  });

  it("in a team of the organization, its Admin sees the organization's rules locked and may only tighten; a looser value is refused at the field", async () => {
    const bob = await researchMember('bob', 'admin');
    await bob.page.goto(`/a/${research}/policies`);
    const lifetime = setting(bob.page, 'Maximum API key lifetime');
    await lifetime.getByText('Set by your organization:').waitFor();
    expect(await lifetime.textContent()).toContain('90 days. This team may only tighten it.');
    expect(await bob.page.getByLabel('Maximum session length (hours)').count()).toBe(0);
    expect(await bob.page.getByText('Allowed sign-in methods').count()).toBe(0);

    await bob.page.getByLabel('Data retention (days)').fill('30');
    await bob.page.getByRole('button', { name: 'Save policy' }).click();
    await bob.page.getByText('Saved as version 1.').waitFor();

    await bob.page.getByLabel('Maximum API key lifetime (days)').fill('365');
    await bob.page.getByRole('button', { name: 'Save policy' }).click();
    const refusal = lifetime.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(
      "keys.maxLifetimeDays may only be tightened: the organization's policy allows at most 90 days.",
    );
    await screenshot(bob.page, 'team-policies-refused');
    expect(await seriousViolations(bob.page)).toEqual([]);
    await atNarrowWidth(bob.page, 'team-policies-360');

    await bob.page.reload();
    await bob.page.getByLabel('Data retention (days)').waitFor();
    expect(await bob.page.getByLabel('Data retention (days)').inputValue()).toBe('30');
    expect(await bob.page.getByLabel('Maximum API key lifetime (days)').inputValue()).toBe('');
    const stored = await as(adaApi).get(`/v1/teams/${research}/policies`).expect(200);
    expect(stored.body.own).toMatchObject({ version: 1, settings: { 'data.retentionDays': 30 } });
    expect(stored.body.effective).toMatchObject({ 'keys.maxLifetimeDays': 90, 'data.retentionDays': 30 });

    expectRefusalLogged(bob, 422, /\/v1\/teams\/[0-9a-f-]+\/policies$/);
    expect(bob.errors).toEqual([]);
  });

  it('shows a Developer the policy read-only', async () => {
    const carol = await researchMember('carol', 'developer');
    await carol.page.goto(`/a/${research}/policies`);
    await carol.page.getByText('Only its Admins can change them.').waitFor();
    expect(await carol.page.getByLabel('Data retention (days)').isDisabled()).toBe(true);
    expect(await carol.page.getByRole('button', { name: 'Save policy' }).count()).toBe(0);
    expect(carol.errors).toEqual([]);
  });

  it('verified domains: add one, publish its TXT record, Verify; remove another', async () => {
    const { page, context } = ada;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/o/${acme}/domains`);
    await page.getByText('No domains yet').waitFor();

    await page.getByRole('textbox', { name: 'Domain' }).fill('acme.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    const acmeTest = page.getByRole('region', { name: 'acme.test' });
    await acmeTest.getByText('Pending').waitFor();
    const name = await acmeTest.getByRole('textbox', { name: 'Record name' }).inputValue();
    const value = await acmeTest.getByRole('textbox', { name: 'Record value' }).inputValue();
    expect(name).toBe('_tessera-verification.acme.test');
    expect(value).toMatch(/^tessera-verification=/);
    await acmeTest.getByRole('button', { name: 'Copy Record value' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);

    // Before the record is published: the refusal says so in place, and names the record.
    await acmeTest.getByRole('button', { name: 'Verify acme.test' }).click();
    const notYet = acmeTest.getByRole('alert');
    await notYet.getByText('Not verified yet').waitFor();
    await screenshot(page, 'domains-pending');
    expect(await seriousViolations(page)).toEqual([]);

    dns.setTxt(name, [value]);
    await acmeTest.getByRole('button', { name: 'Verify acme.test' }).click();
    await acmeTest
      .getByRole('status')
      .getByText(/^Verified on /)
      .waitFor();
    expect(await acmeTest.getByRole('alert').count()).toBe(0);
    expect(await acmeTest.getByRole('textbox', { name: 'Record value' }).count()).toBe(0);

    await page.getByRole('textbox', { name: 'Domain' }).fill('old.acme.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('region', { name: 'old.acme.test' }).waitFor();
    await page.getByRole('button', { name: 'Remove old.acme.test' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove old.acme.test?' });
    await dialog.getByRole('button', { name: 'Remove domain' }).click();
    await page.getByRole('region', { name: 'old.acme.test' }).waitFor({ state: 'detached' });
    const listed = await as(adaApi).get(`/v1/orgs/${acme}/domains`).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ domain: 'acme.test', status: 'verified' })]);

    await screenshot(page, 'domains');
    await atNarrowWidth(page, 'domains-360');
    expectRefusalLogged(ada, 409, /\/domains\/[0-9a-f-]+\/verify$/);
    expect(ada.errors).toEqual([]);
  });
});
