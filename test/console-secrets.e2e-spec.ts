import { SecretsResolveReply } from '@tessera/contracts';
import { randomUUID } from 'node:crypto';
import { JSONCodec } from 'nats';
import { Page } from 'playwright-core';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';
import { TestUser } from './support/users';

/**
 * Secrets in a real browser: an Admin adds one, replaces its value and deletes it, and a deployed app (a team
 * ADMIN key on NATS) reads each value; no value ever comes back to the page. A bad name and a refusal are shown in
 * place; a Developer gets an explanation instead of the management page, and the API refuses them anyway.
 */
// Two people sign in through the real sign-in page and axe checks every view: give each step time on a busy machine.
jest.setTimeout(180_000);

const codec = JSONCodec();

describe('the web console: Secrets', () => {
  let stack: ConsoleStack;
  let ada: ConsolePerson;
  let adaApi: TestUser;
  let teamId: string;
  let adminKey: string;
  /** Every answer to a GET of the API that ada's page received, as text. */
  const answers: Promise<{ url: string; body: string }>[] = [];
  /** The address of every request ada's page made. */
  const requested: string[] = [];

  const first = `postgres://app:${randomUUID()}@db.internal/prod`;
  // Line breaks survive the masked field: a certificate or a key file is a common value.
  const second = `-----BEGIN PRIVATE KEY-----\n${randomUUID()}\n-----END PRIVATE KEY-----`;

  beforeAll(async () => {
    stack = await ConsoleStack.start();
    ada = await stack.person('ada');
    adaApi = await stack.apiUser(ada);
    teamId = await stack.fixtures.createTeam(adaApi, 'Research');
    adminKey = (
      await stack.fixtures
        .as(adaApi)
        .post(`/v1/accounts/${teamId}/keys`)
        .send({ name: 'deploy', scope: 'ADMIN' })
        .expect(201)
    ).body.secret;
    ada.page.on('request', (sent) => requested.push(sent.url()));
    ada.page.on('response', (response) => {
      if (response.request().method() === 'GET' && new URL(response.url()).pathname.startsWith('/v1/'))
        answers.push(
          response.text().then(
            (body) => ({ url: response.url(), body }),
            () => ({ url: '', body: '' }),
          ),
        );
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** What a deployed app holding the team's ADMIN key reads on NATS. */
  async function resolve(names: string[]): Promise<SecretsResolveReply> {
    const body = { authorization: `Key ${adminKey}`, names };
    const reply = await stack.stack.nc.request('tessera.secrets.resolve', codec.encode(body), {
      timeout: 5000,
    });
    return codec.decode(reply.data) as SecretsResolveReply;
  }

  /** Screenshots and axe at full width and at 360 px (the table scrolls when narrow). */
  async function checkLayout(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    // Axe first: it waits for the navigation to finish sliding away, which the screenshot should not catch.
    const narrow = await seriousViolations(page);
    await screenshot(page, `${name}-360`);
    expect(narrow).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  /** Chromium logs each refused request; a step that provokes one expects exactly those lines, and nothing else. */
  function expectOnlyRefusals(person: ConsolePerson, statuses: number[]): void {
    for (const status of statuses) {
      const index = person.errors.findIndex((error) =>
        error.startsWith(`Failed to load resource: the server responded with a status of ${status}`),
      );
      expect(index).toBeGreaterThanOrEqual(0);
      person.errors.splice(index, 1);
    }
    expect(person.errors).toEqual([]);
  }

  it('adds a secret, after showing what is wrong with a bad name, and never shows its value again', async () => {
    const { page } = ada;
    await page.goto(`/a/${teamId}/members`);
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page.waitForURL(`**/a/${teamId}/secrets`);
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    await page.getByText('No secrets yet.').waitFor();
    await page.mouse.move(5, 700);
    await checkLayout(page, 'secrets-empty');

    await page.getByRole('button', { name: 'Add secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add secret' });
    const name = dialog.getByRole('textbox', { name: 'Name' });
    const value = dialog.getByRole('textbox', { name: 'Value' });
    await name.fill('database-url');
    await value.fill(first);
    await dialog.getByRole('button', { name: 'Add secret' }).click();
    await dialog.getByText('Use capital letters A–Z, digits and _ only').waitFor();
    expect(await dialog.textContent()).toContain('For example DATABASE_URL.');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(requested.filter((url) => url.includes('/secrets/'))).toEqual([]);
    // The value is masked as it is typed.
    expect(
      await value.evaluate((field) => getComputedStyle(field).getPropertyValue('-webkit-text-security')),
    ).toBe('disc');
    await screenshot(page, 'secrets-bad-name');
    expect(await seriousViolations(page)).toEqual([]);

    await name.fill('DATABASE_URL');
    await dialog.getByRole('button', { name: 'Add secret' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /DATABASE_URL/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('ada');
    expect(await page.content()).not.toContain(first);
    expect(page.url()).not.toContain(encodeURIComponent(first));

    // Opening the form again starts empty: the value was not kept.
    await page.getByRole('button', { name: 'Add secret' }).click();
    expect(await value.inputValue()).toBe('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.mouse.move(5, 700);
    await checkLayout(page, 'secrets');

    expect(await resolve(['DATABASE_URL'])).toEqual({
      accountId: teamId,
      secrets: { DATABASE_URL: first },
      missing: [],
    });
    expect(ada.errors).toEqual([]);
  });

  it('refuses to add a name that exists, and replaces its value instead', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Add secret' }).click();
    const adding = page.getByRole('dialog', { name: 'Add secret' });
    await adding.getByRole('textbox', { name: 'Name' }).fill('DATABASE_URL');
    await adding.getByRole('textbox', { name: 'Value' }).fill(second);
    await adding.getByRole('button', { name: 'Add secret' }).click();
    await adding
      .getByText('DATABASE_URL exists already: use Replace value in its row to change it.')
      .waitFor();
    await adding.getByRole('button', { name: 'Cancel' }).click();
    await adding.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Replace value of DATABASE_URL' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replace the value of DATABASE_URL' });
    const value = dialog.getByRole('textbox', { name: 'Value' });
    expect(await value.inputValue()).toBe('');
    await value.fill(second);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Replace value' }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(await resolve(['DATABASE_URL'])).toMatchObject({ secrets: { DATABASE_URL: second } });
    await page.getByRole('button', { name: 'Replace value of DATABASE_URL' }).click();
    expect(await value.inputValue()).toBe('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(second);
    expect(ada.errors).toEqual([]);
  });

  it('deletes with confirmation, and shows a refusal in the dialog in plain words', async () => {
    const { page } = ada;
    // Deleted elsewhere (another tab, the CLI) after the page listed it: the API answers not_found.
    await stack.fixtures
      .as(adaApi)
      .put(`/v1/accounts/${teamId}/secrets/OLD_TOKEN`)
      .send({ value: 'old' })
      .expect(200);
    await page.reload();
    await page.getByRole('row', { name: /OLD_TOKEN/ }).waitFor();
    await stack.fixtures.as(adaApi).delete(`/v1/accounts/${teamId}/secrets/OLD_TOKEN`).expect(204);
    await page.getByRole('button', { name: 'Delete OLD_TOKEN' }).click();
    const stale = page.getByRole('dialog', { name: 'Delete secret OLD_TOKEN?' });
    await stale.getByRole('button', { name: 'Delete' }).click();
    await stale
      .getByRole('alert')
      .getByText('This no longer exists, or you are not a member of it.')
      .waitFor();
    await stale.getByRole('button', { name: 'Cancel' }).click();
    await stale.waitFor({ state: 'detached' });
    // The refusal also read the list again: the row of the secret that is gone went with it.
    await page.getByRole('row', { name: /OLD_TOKEN/ }).waitFor({ state: 'detached' });
    expectOnlyRefusals(ada, [404]);

    await page.getByRole('button', { name: 'Delete DATABASE_URL' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete secret DATABASE_URL?' });
    await dialog.getByText('Its value can’t be recovered.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('No secrets yet.').waitFor();
    expect(await resolve(['DATABASE_URL'])).toEqual({
      accountId: teamId,
      secrets: {},
      missing: ['DATABASE_URL'],
    });

    // No answer the page received carried a value, though it listed the secrets several times.
    const received = await Promise.all(answers);
    expect(
      received.filter(({ url }) => url.includes(`/v1/accounts/${teamId}/secrets`)).length,
    ).toBeGreaterThan(2);
    for (const { body } of received) {
      expect(body).not.toContain(first);
      expect(body).not.toContain(JSON.stringify(second).slice(1, -1));
    }
    for (const url of requested) expect(url).not.toMatch(/postgres|PRIVATE/);
    expect(ada.errors).toEqual([]);
  });

  it('offers a personal account its own secrets', async () => {
    const { page } = ada;
    await page.goto(`/a/${adaApi.personalAccountId}/secrets`);
    await page.getByText('No secrets yet.').waitFor();
    await page.getByRole('button', { name: 'Add secret' }).waitFor();
    expect(ada.errors).toEqual([]);
  });

  it('explains to a Developer who manages secrets, without the management page; the API refuses them too', async () => {
    const developer = await stack.member(adaApi, teamId, 'dev', 'developer');
    const { page } = developer;
    await page.goto(`/a/${teamId}/members`);
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page
      .getByText('Only an Admin of this team sees, adds, replaces and deletes its secrets.')
      .waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add secret' }).count()).toBe(0);
    await page.mouse.move(5, 700);
    await checkLayout(page, 'secrets-developer');
    // The page did not ask for the list it may not read: no refusal was logged.
    expect(developer.errors).toEqual([]);

    const forced = stack.fixtures.as(await stack.apiUser(developer));
    const refused = await forced.get(`/v1/accounts/${teamId}/secrets`).expect(403);
    expect(refused.body.error.code).toBe('forbidden');
    await forced.put(`/v1/accounts/${teamId}/secrets/FORCED`).send({ value: 'x' }).expect(403);
    await forced.delete(`/v1/accounts/${teamId}/secrets/FORCED`).expect(403);
    expect(await resolve(['FORCED'])).toMatchObject({ missing: ['FORCED'] });
  });
});
