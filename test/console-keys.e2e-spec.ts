import { eventually } from '@tessera/testing';
import request from 'supertest';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';
import { TestUser } from './support/users';

/**
 * API Keys and Usage in a real browser: an Admin creates a key in the team chosen in the switcher and sees its
 * secret once, the key works and then stops, the other roles see what the role table lets them see, and requests
 * show up on the Usage page by member, "Team key" and action.
 */
// Three people sign in through the real sign-in page and axe checks every view: give each step time on a busy machine.
jest.setTimeout(180_000);

describe('the web console: API Keys and Usage', () => {
  let stack: ConsoleStack;
  let ada: ConsolePerson;
  let adaApi: TestUser;
  let teamId: string;
  let secret: string;

  beforeAll(async () => {
    // Usage is counted by each gateway and written in batches: a short interval lets the Usage page show it soon.
    stack = await ConsoleStack.start({ TESSERA_USAGE_FLUSH_MS: '100' });
    ada = await stack.person('ada');
    adaApi = await stack.apiUser(ada);
    teamId = await stack.fixtures.createTeam(adaApi, 'Research');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.stack.platform.http;
  const principal = (key: string) => request(http()).get('/v1/principal').set('authorization', `Key ${key}`);
  const check = (authorization: string, action: string, account = teamId) =>
    request(http())
      .post('/v1/authz/check')
      .send({ authorization, action, account, record: true })
      .expect(200);

  it('creates an ADMIN key in the team chosen in the switcher and shows its secret once', async () => {
    const { page } = ada;
    await page.goto('/');
    await page.getByRole('button', { name: /^Switch account/ }).click();
    await page.getByRole('menuitem', { name: 'Research' }).click();
    await page.getByRole('button', { name: 'Switch account. Current: Research, Team' }).waitFor();
    await page.getByRole('link', { name: 'API Keys' }).click();
    await page.waitForURL(`**/a/${teamId}/keys`);
    await page.getByText('No keys yet.').waitFor();

    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('deploy bot');
    await dialog.getByRole('radio', { name: 'ADMIN' }).check();
    expect(await dialog.getByText('also deploy, run and manage apps').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Create key', exact: true }).click();

    const secretField = dialog.getByRole('textbox', { name: 'Secret' });
    await secretField.waitFor();
    secret = await secretField.inputValue();
    expect(secret).toMatch(/^tsk_[0-9A-Za-z]{38}$/);
    await dialog.getByRole('button', { name: 'Copy Secret' }).waitFor();
    await dialog.getByText('won’t be shown again').waitFor();
    await screenshot(page, 'keys-secret-once');
    expect(await seriousViolations(page)).toEqual([]);

    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'deploy bot', exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    const row = page.getByRole('row', { name: /deploy bot/ });
    expect(await row.textContent()).toContain(`${secret.slice(0, 8)}…${secret.slice(-4)}`);
    expect(await row.textContent()).toContain('ADMIN');
    // The API names the creator: the row shows ada's name from the key's `createdBy`.
    const listed = await stack.fixtures.as(adaApi).get(`/v1/accounts/${teamId}/keys`).expect(200);
    expect(listed.body[0].createdBy).toMatchObject({ userId: adaApi.id, name: 'ada' });
    expect(await row.textContent()).toContain('ada');
    await screenshot(page, 'keys');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, 'keys-360');
    await page.setViewportSize({ width: 1280, height: 720 });

    // The key is the team's, works for ADMIN actions, and is not the personal account's.
    const who = await principal(secret).expect(200);
    expect(who.body.account).toMatchObject({ id: teamId, kind: 'team' });
    expect(who.body.actor).toMatchObject({ type: 'key', scope: 'ADMIN' });
    expect((await check(`Key ${secret}`, 'apps.deploy')).body.allow).toBe(true);
    const personal = await stack.fixtures
      .as(adaApi)
      .get(`/v1/accounts/${adaApi.personalAccountId}/keys`)
      .expect(200);
    expect(personal.body).toEqual([]);
    expect(ada.errors).toEqual([]);
  });

  it('shows a Developer that keys exist but not the list, and a Billing member the list read-only', async () => {
    const developer = await stack.member(adaApi, teamId, 'dev', 'developer');
    await developer.page.goto(`/a/${teamId}/keys`);
    // The count route tells a Developer that keys exist, without listing them.
    await developer.page
      .getByText('This team has 1 API key. An Admin of this team creates and manages them.')
      .waitFor();
    expect(await developer.page.getByRole('table').count()).toBe(0);
    expect(await developer.page.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    await developer.page.goto(`/a/${teamId}/usage`);
    await developer.page.getByText('An Admin or a Billing member of this team sees its usage.').waitFor();
    expect(await seriousViolations(developer.page)).toEqual([]);

    const billing = await stack.member(adaApi, teamId, 'bill', 'billing');
    await billing.page.goto(`/a/${teamId}/keys`);
    await billing.page.getByRole('cell', { name: 'deploy bot', exact: true }).waitFor();
    expect(await billing.page.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    expect(await billing.page.getByRole('button', { name: /^(Revoke|Rotate)/ }).count()).toBe(0);
    expect(await seriousViolations(billing.page)).toEqual([]);
    expect(developer.errors).toEqual([]);
    expect(billing.errors).toEqual([]);
  });

  it('shows requests by member, "Team key" and action on the Usage page', async () => {
    for (let i = 0; i < 3; i += 1)
      expect((await check(`Key ${secret}`, 'models.call')).body.allow).toBe(true);
    for (let i = 0; i < 2; i += 1)
      expect((await check(`Bearer ${adaApi.token}`, 'endpoints.call')).body.allow).toBe(true);
    await eventually(async () => {
      const usage = await stack.fixtures.as(adaApi).get(`/v1/accounts/${teamId}/usage`).expect(200);
      const total = usage.body.rows.reduce((sum: number, row: { requests: number }) => sum + row.requests, 0);
      expect(total).toBe(6);
    });

    const { page } = ada;
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.waitForURL(`**/a/${teamId}/usage`);
    // Away from the link just clicked: axe would check its hover colours, which no one reads at rest.
    await page.mouse.move(5, 700);
    const byActor = page.getByRole('table', { name: /By member or key/ });
    const keyRow = byActor.getByRole('row', { name: /Team key/ });
    await keyRow.waitFor();
    expect(await keyRow.textContent()).toContain('deploy bot');
    const requests = (row: ReturnType<typeof page.getByRole>) => row.getByRole('cell').last().textContent();
    expect(await requests(keyRow)).toBe('4');
    expect(await requests(byActor.getByRole('row', { name: /ada/ }))).toBe('2');
    const byAction = page.getByRole('table', { name: /By action/ });
    expect(await requests(byAction.getByRole('row', { name: /models\.call/ }))).toBe('3');
    expect(await requests(byAction.getByRole('row', { name: /apps\.deploy/ }))).toBe('1');
    expect(await requests(byAction.getByRole('row', { name: /endpoints\.call/ }))).toBe('2');
    // Over time: the last 30 days by UTC day, so today's requests are in today's row, under each actor.
    const today = await page.evaluate(() =>
      new Date().toLocaleDateString(undefined, { timeZone: 'UTC', month: 'short', day: 'numeric' }),
    );
    expect(await periodTable(page)).toEqual([
      { Day: today, 'Team key (deploy bot)': '4', ada: '2', Total: '6' },
    ]);
    await screenshot(page, 'usage');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, 'usage-360');
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(ada.errors).toEqual([]);
  });

  it("shows an organization's usage by team and action to its Org Admin", async () => {
    const as = stack.fixtures.as(adaApi);
    const orgId = (await as.post('/v1/orgs').send({ name: 'Acme' }).expect(201)).body.id;
    const labsId = (await as.post(`/v1/orgs/${orgId}/teams`).send({ name: 'Labs' }).expect(201)).body.id;
    expect((await check(`Bearer ${adaApi.token}`, 'apps.run', labsId)).body.allow).toBe(true);
    await eventually(async () => {
      const usage = await as.get(`/v1/orgs/${orgId}/usage`).expect(200);
      expect(usage.body.teams).toEqual([expect.objectContaining({ teamId: labsId, requests: 1 })]);
    });

    const { page } = ada;
    await page.goto(`/o/${orgId}/usage`);
    const byTeam = page.getByRole('table', { name: /By team/ });
    await byTeam.getByRole('row', { name: /Labs/ }).getByRole('cell', { name: '1', exact: true }).waitFor();
    const byAction = page.getByRole('table', { name: /By action/ });
    await byAction
      .getByRole('row', { name: /apps\.run/ })
      .getByRole('cell', { name: '1', exact: true })
      .waitFor();
    const today = await page.evaluate(() =>
      new Date().toLocaleDateString(undefined, { timeZone: 'UTC', month: 'short', day: 'numeric' }),
    );
    expect(await periodTable(page)).toEqual([{ Day: today, Labs: '1', Total: '1' }]);
    await screenshot(page, 'usage-organization');

    // The organization's keys name who created each, as the API reports it.
    await as.post(`/v1/accounts/${labsId}/keys`).send({ name: 'labs ci', scope: 'API' }).expect(201);
    await page.goto(`/o/${orgId}/keys`);
    const keyRow = page.getByRole('row', { name: /labs ci/ });
    await keyRow.waitFor();
    expect(await keyRow.textContent()).toContain('ada');
    expect(await seriousViolations(page)).toEqual([]);
    expect(ada.errors).toEqual([]);
  });

  /** The "Requests over time" table, each row as `{ column header: cell text }`. */
  async function periodTable(page: ConsolePerson['page']): Promise<Record<string, string>[]> {
    const table = page.getByRole('table', { name: /Requests over time/ });
    await table.waitFor();
    const headers = await table.getByRole('columnheader').allTextContents();
    const rows = table.getByRole('row');
    const result: Record<string, string>[] = [];
    for (let index = 1; index < (await rows.count()); index += 1) {
      const cells = await rows.nth(index).getByRole('cell').allTextContents();
      result.push(Object.fromEntries(headers.map((header, column) => [header, cells[column]])));
    }
    return result;
  }

  it('rotates with a grace period, both secrets working meanwhile, and revokes the key for good', async () => {
    const { page } = ada;
    await page.goto(`/a/${teamId}/keys`);
    await page.getByRole('button', { name: 'Rotate deploy bot' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Grace hours' }).fill('2');
    await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
    const secretField = dialog.getByRole('textbox', { name: 'Secret' });
    await secretField.waitFor();
    const rotated = await secretField.inputValue();
    expect(rotated).not.toBe(secret);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(/Previous secret works until/).waitFor();
    expect(await page.content()).not.toContain(rotated);
    await principal(secret).expect(200);
    await principal(rotated).expect(200);

    await page.getByRole('button', { name: 'Revoke deploy bot' }).click();
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('No keys yet.').waitFor();
    await eventually(async () => {
      await principal(rotated).expect(401);
      await principal(secret).expect(401);
    });
    expect(ada.errors).toEqual([]);
  });
});
