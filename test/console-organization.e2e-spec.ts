import { Page } from 'playwright-core';
import { TestUser } from './support/users';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';

/**
 * The organization's pages in a real browser: an Org Admin creates the organization from the account switcher,
 * a team in it, takes teams in (their Admins approve), sees members, invitations and keys across the teams, and
 * manages the Org Admins; an outsider sees nothing of it.
 */
// Each step drives several pages, with an axe run and screenshots for each.
jest.setTimeout(120_000);

describe('the web console: organizations', () => {
  let stack: ConsoleStack;
  let ada: ConsolePerson;
  let adaUser: TestUser;
  let orgId: string;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    stack = await ConsoleStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The signed-in person's own credential, for API-level setup: the console's session answers it. */
  async function apiUserOf(page: Page): Promise<TestUser> {
    const token = await page.evaluate(async () => {
      const response = await fetch('/auth/token', {
        method: 'POST',
        headers: { accept: 'application/json' },
      });
      return ((await response.json()) as { access_token: string }).access_token;
    });
    const me = await stack.fixtures
      .as({ token } as TestUser)
      .get('/v1/me')
      .expect(200);
    return { id: me.body.id, email: me.body.email, token, personalAccountId: '' };
  }

  /** Each page of the organization is clean for axe; its screenshots are taken wide and at 360 px. */
  async function checkPage(page: Page, name: string): Promise<void> {
    await page.mouse.move(0, 0); // not hovering the link just clicked
    await screenshot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, `${name}-360`);
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  async function askToMove(page: Page, team: string): Promise<void> {
    await page.getByRole('button', { name: 'Move a team in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move a team in' });
    await dialog.getByRole('combobox', { name: 'Team' }).fill(team);
    await page.getByRole('option', { name: team }).click();
    await dialog.getByRole('button', { name: 'Ask to move it' }).click();
  }

  /** Cancel, and wait for the dialog to be gone: axe and screenshots must not see its fading overlay. */
  async function closeDialog(page: Page): Promise<void> {
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }

  /**
   * Chromium logs every refused request ("Failed to load resource: … 409 (Conflict) <url>"): the refusals a step
   * provokes on purpose are taken out, each exactly once; anything else is an error.
   */
  function unexpected(errors: string[], refusals: [status: string, path: string][]): string[] {
    const left = [...errors];
    for (const [status, path] of refusals) {
      const at = left.findIndex((error) => error.endsWith(`status of ${status} ${stack.url}${path}`));
      if (at >= 0) left.splice(at, 1);
      else left.push(`expected a refusal ${status} of ${path}`);
    }
    return left;
  }

  const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

  it('creates an organization from the account switcher and a team in it from the Teams page', async () => {
    ada = await stack.person('ada');
    const { page } = ada;
    await page.getByRole('button', { name: /^Switch account/ }).click();
    await page.getByRole('menuitem', { name: 'Create organization' }).click();
    await page.getByRole('textbox', { name: 'Organization name' }).fill('Acme');
    await page.getByRole('dialog').getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}\/teams$/);
    orgId = new URL(page.url()).pathname.split('/')[2];
    await page.getByRole('button', { name: 'Switch account. Current: Acme, Organization' }).waitFor();
    await page.getByText('No team yet: create one, or move a team in.').waitFor();

    await page.getByRole('main').getByRole('button', { name: 'Create Team' }).click();
    await page.getByRole('textbox', { name: 'Team name' }).fill('Research');
    await page.getByRole('dialog').getByRole('button', { name: 'Create Team' }).click();
    await page.getByRole('link', { name: 'Research' }).waitFor();
    expect(await row(page, 'Research').getByRole('cell').nth(1).textContent()).toBe('1');
    expect(ada.errors).toEqual([]);
  });

  it('moves teams in: one its Admin asked for, one the Org Admin asked for once its second Admin approves', async () => {
    const { page } = ada;
    adaUser = await apiUserOf(page);
    const platform = await stack.fixtures.createTeam(adaUser, 'Platform');
    // Bob, the team's second Admin, approves from his own browser: signed in first, then made an Admin.
    const bobPerson = await stack.person('bob');
    await bobPerson.page.waitForURL(/\/a\/[0-9a-f-]{36}\/keys$/);
    bob = await apiUserOf(bobPerson.page);
    const invitation = await stack.fixtures
      .as(adaUser)
      .post(`/v1/teams/${platform}/invitations`)
      .send({ email: bob.email, role: 'admin' })
      .expect(201);
    const token = await stack.fixtures.invitationToken(invitation.body.id);
    await stack.fixtures.as(bob).post('/v1/invitations/accept').send({ token }).expect(200);
    carol = await stack.fixtures.user('carol');
    const design = await stack.fixtures.createTeam(carol, 'Design');
    const asked = await stack.fixtures
      .as(carol)
      .post(`/v1/orgs/${orgId}/transfers`)
      .send({ teamId: design })
      .expect(201);
    expect(asked.body.waitingFor).toEqual(['organization']);

    await page.reload();
    const designRow = row(page, 'Design');
    await designRow.getByText('an Org Admin').waitFor();
    await designRow.getByRole('button', { name: 'Approve moving Design into Acme' }).click();
    await page.getByRole('link', { name: 'Design' }).waitFor();
    await designRow.getByText('Moved').waitFor();

    await askToMove(page, 'Platform');
    const platformRow = row(page, 'Platform');
    await platformRow.getByText('a second Admin of the team').waitFor();
    // Ada asked as both sides: only Bob, the team's other Admin, can approve now.
    expect(await platformRow.getByRole('button', { name: /^Approve/ }).count()).toBe(0);

    // Asking again while the move waits is refused, in the dialog.
    await askToMove(page, 'Platform');
    const refusal = page.getByRole('dialog').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('already waiting for approval');
    await closeDialog(page);
    await checkPage(page, 'org-teams-pending');

    // Bob is no Org Admin: he sees the move on his team's Settings page, and approves it there.
    const bobPage = bobPerson.page;
    await bobPage.goto(`/a/${platform}/settings`);
    const bobsRow = row(bobPage, 'Acme');
    await bobsRow.getByText('a second Admin of the team').waitFor();
    await checkPage(bobPage, 'team-settings-move');
    await bobsRow.getByRole('button', { name: /^Approve moving .+ into Acme$/ }).click();
    // Moved: nothing is pending any more, so the section is gone.
    await bobPage.getByRole('heading', { name: 'Moves into an organization' }).waitFor({ state: 'detached' });
    expect(bobPerson.errors).toEqual([]);
    await page.reload();
    await page.getByRole('link', { name: 'Platform' }).waitFor();
    expect(
      await page
        .getByRole('table', { name: /^Teams/ })
        .getByRole('link')
        .allTextContents(),
    ).toEqual(expect.arrayContaining(['Research', 'Platform', 'Design']));
    await checkPage(page, 'org-teams');
    expect(unexpected(ada.errors, [['409 (Conflict)', `/v1/orgs/${orgId}/transfers`]])).toEqual([]);
    ada.errors.length = 0; // checked: the next steps start clean
  });

  it('shows the members, pending invitations and API keys of every team', async () => {
    const { page } = ada;
    const teams = (await stack.fixtures.as(adaUser).get(`/v1/orgs/${orgId}/teams`).expect(200)).body as {
      id: string;
      name: string;
    }[];
    const idOf = (name: string) => teams.find((team) => team.name === name)!.id;
    await stack.fixtures
      .as(adaUser)
      .post(`/v1/teams/${idOf('Research')}/invitations`)
      .send({ email: 'dana@example.com', role: 'developer' })
      .expect(201);
    for (const [who, team, name] of [
      [carol, 'Design', 'figma-sync'],
      [adaUser, 'Platform', 'deploys'],
    ] as const)
      await stack.fixtures
        .as(who)
        .post(`/v1/accounts/${idOf(team)}/keys`)
        .send({ name, scope: 'API' })
        .expect(201);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`**/o/${orgId}/members`);
    const bobRow = row(page, bob.email);
    await bobRow.waitFor();
    expect(await bobRow.textContent()).toContain('Platform: Admin');
    expect(await row(page, ada.email).textContent()).toMatch(/Research: Admin.*Platform: Admin/);
    await row(page, carol.email).getByText('Design: Admin').waitFor();
    await page.getByRole('textbox', { name: 'Search members' }).fill('carol');
    expect(
      await page
        .getByRole('table', { name: /^Members/ })
        .getByRole('row')
        .count(),
    ).toBe(2);
    await row(page, 'dana@example.com').getByText('Research').waitFor();
    await checkPage(page, 'org-members');

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'API Keys' }).click();
    await page.waitForURL(`**/o/${orgId}/keys`);
    await row(page, 'figma-sync').getByText('Design').waitFor();
    await row(page, 'deploys').getByText('Platform').waitFor();
    expect(await row(page, 'deploys').textContent()).toContain('Never');
    await page.getByRole('textbox', { name: 'Search API keys' }).fill('design');
    expect(
      await page
        .getByRole('table', { name: /^API Keys/ })
        .getByRole('row')
        .count(),
    ).toBe(2);
    await checkPage(page, 'org-keys');
    expect(ada.errors).toEqual([]);
  });

  it('adds an Org Admin from the members, removes them, and refuses to remove the last one in place', async () => {
    const { page } = ada;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Org Admins' }).click();
    await page.waitForURL(`**/o/${orgId}/admins`);
    await row(page, ada.email).waitFor();

    await page.getByRole('button', { name: 'Add Org Admin' }).click();
    await page.getByRole('combobox', { name: 'Person' }).fill('bob');
    await page.getByRole('option', { name: new RegExp(bob.email.replace(/\./g, '\\.')) }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Add Org Admin' }).click();
    const bobRow = row(page, bob.email);
    await bobRow.waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await checkPage(page, 'org-admins');
    await stack.fixtures.as(bob).get(`/v1/orgs/${orgId}/teams`).expect(200);

    await bobRow.getByRole('button', { name: /^Remove .* as Org Admin$/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await bobRow.waitFor({ state: 'detached' });
    await stack.fixtures.as(bob).get(`/v1/orgs/${orgId}/teams`).expect(404);

    await page.getByRole('button', { name: 'Step down as Org Admin' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Step down' }).click();
    const refusal = page.getByRole('dialog').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('at least one Org Admin');
    await closeDialog(page);
    await row(page, ada.email).waitFor();
    expect(unexpected(ada.errors, [['409 (Conflict)', `/v1/orgs/${orgId}/admins/${adaUser.id}`]])).toEqual(
      [],
    );
  });

  it('shows an outsider only the refusal on every page of the organization', async () => {
    const eve = await stack.person('eve');
    const { page } = eve;
    // The console's first token exchange must finish before leaving the page, or its rotated cookie is lost.
    await page.waitForURL(/\/a\/[0-9a-f-]{36}\/keys$/);
    const paths = ['teams', 'members', 'keys', 'admins', 'policies', 'domains', 'sso'];
    for (const path of paths) {
      await page.goto(`/o/${orgId}/${path}`);
      const refusal = page.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('Organization not found, or you have no access to it');
      const shown = (await page.getByRole('main').textContent()) ?? '';
      for (const secret of ['Acme', 'Research', 'Platform', 'Design', ada.email, bob.email])
        expect(shown).not.toContain(secret);
      expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
      expect(await page.getByRole('table').count()).toBe(0);
      if (path === 'teams') await checkPage(page, 'org-outsider');
    }
    // The refusal of the caller's permissions in the organization, once a page, is exactly what the outsider is
    // meant to get: the organization itself is not even asked for.
    const refusal: [string, string] = ['404 (Not Found)', `/v1/orgs/${orgId}/permissions`];
    expect(
      unexpected(
        eve.errors,
        paths.map(() => refusal),
      ),
    ).toEqual([]);
  });
});
