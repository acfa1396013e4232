import type { Role } from '@tessera/contracts';
import type { ReceivedMail } from '@tessera/testing';
import type { Page } from 'playwright-core';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';
import type { TestUser } from './support/users';

/** The team's Members and Settings pages, walked through as Admins, Developers and invitees do. */
describe('the web console: a team’s Members and Settings', () => {
  let stack: ConsoleStack;
  /** GitHub accounts of people who sign in on a page the harness does not wait on (the invitation page). */
  let githubIds = 95_000;
  /** Signing in takes seconds: the same two people walk through every test, each time in a new team. */
  let ada: ConsolePerson;
  let adaApi: TestUser;
  let bob: ConsolePerson;

  // Each walkthrough is a few people's minutes in a real browser, axe included.
  jest.setTimeout(120_000);

  beforeAll(async () => {
    // One Admin sends 1 + 48 invitations here: well under the defaults, raised so the spec never depends on them.
    stack = await ConsoleStack.start({
      TESSERA_INVITATIONS_PER_USER_HOUR: '1000',
      TESSERA_INVITATIONS_PER_TEAM_HOUR: '1000',
      // A 48-row Bulk is one call to the teams service; on a busy test machine it can outlast the 5 s default.
      TESSERA_RPC_TIMEOUT_MS: '30000',
    });
    ada = await stack.person('ada');
    adaApi = await stack.apiUser(ada);
    bob = await stack.person('bob');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A new team with Ada as its Admin (made through the API: the pages are what is tested). */
  async function adaWithTeam(teamName: string) {
    const teamId = await stack.fixtures.createTeam(adaApi, teamName);
    return { admin: ada, api: adaApi, teamId };
  }

  /** `person` joins the team with `role`, accepting through the API the invitation `admin` sent. */
  async function join(admin: TestUser, teamId: string, person: ConsolePerson, role: Role): Promise<TestUser> {
    const member = await stack.apiUser(person);
    const invitation = await stack.fixtures
      .as(admin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email: person.email, role })
      .expect(201);
    const token = await stack.fixtures.invitationToken(invitation.body.id);
    await stack.fixtures.as(member).post('/v1/invitations/accept').send({ token }).expect(200);
    return member;
  }

  /** E-mails received so far to addresses that match. */
  const mailTo = (pattern: RegExp): ReceivedMail[] =>
    stack.mail.messages.filter((mail) => mail.to.some((to) => pattern.test(to)));

  /** Waits for the sink to hold `count` e-mails to matching addresses (other mail may arrive meanwhile). */
  async function waitForMail(pattern: RegExp, count: number): Promise<ReceivedMail[]> {
    while (mailTo(pattern).length < count) await stack.mail.waitFor(stack.mail.messages.length + 1);
    return mailTo(pattern);
  }

  async function openMembers(page: Page, teamId: string): Promise<void> {
    await page.goto(`/a/${teamId}/members`);
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await page.getByRole('table', { name: /^Members/ }).waitFor();
  }

  /**
   * Screenshots at full width and at 360 px, axe at full width, and at 360 px too for the pages whose narrow layout
   * differs (a table that scrolls). Axe takes seconds a run, so it runs where it can find something new.
   */
  async function checkLayout(page: Page, name: string, narrowAxe = false): Promise<void> {
    await screenshot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, `${name}-360`);
    if (narrowAxe) expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  /**
   * Chromium logs every refused request ("Failed to load resource: … 409"). A walkthrough that provokes a
   * refusal on purpose expects exactly those lines, and nothing else.
   */
  function expectOnlyRefusals(person: ConsolePerson, statuses: number[]): void {
    const refused = (status: number) => (error: string) =>
      error.startsWith(`Failed to load resource: the server responded with a status of ${status}`);
    for (const status of statuses) {
      const index = person.errors.findIndex(refused(status));
      expect(index).toBeGreaterThanOrEqual(0);
      person.errors.splice(index, 1);
    }
    expect(person.errors).toEqual([]);
  }

  it('invites by e-mail: the e-mail arrives, the invitee signs in from its link, accepts, and is a member', async () => {
    const { admin, teamId } = await adaWithTeam('Research');
    const { page } = admin;
    await openMembers(page, teamId);

    const inviteeEmail = stack.uniqueEmail('lin');
    await page.getByRole('button', { name: 'Invite' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite' });
    await dialog.getByLabel('E-mail').fill(inviteeEmail);
    await dialog.getByLabel('Role').selectOption('developer');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('table', { name: /^Pending invitations/ })
      .getByRole('cell', { name: inviteeEmail, exact: true })
      .waitFor();

    const [mail] = await waitForMail(new RegExp(`^${inviteeEmail}$`), 1);
    const link = /(\/invite\/accept\?token=[A-Za-z0-9_%-]+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();

    // The invitee, in their own browser: the link asks them to sign in first, then brings them back.
    const invitee = await stack.visitor(link!);
    await invitee.page.waitForURL(/\/signin\?/);
    stack.stack.github.setUser({
      id: (githubIds += 1),
      login: `lin${githubIds}`,
      name: 'Lin',
      emails: [{ email: inviteeEmail, primary: true, verified: true }],
    });
    await invitee.page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await invitee.page.waitForURL(/\/invite\/accept\?/);
    await invitee.page.getByRole('button', { name: /accept/i }).click();
    await invitee.page.getByText(/joined/i).waitFor();

    await page.reload();
    const members = page.getByRole('table', { name: /^Members/ });
    await members.getByRole('cell', { name: 'Lin', exact: true }).waitFor();
    expect(await members.getByRole('row', { name: /Lin/ }).textContent()).toContain('Developer');
    await page.getByText('No invitation is waiting.').waitFor();
    await checkLayout(page, 'team-members', true);
    expect(admin.errors).toEqual([]);
    expect(invitee.errors).toEqual([]);
  });

  it('Bulk: the preview marks the 2 bad rows of 50 and sends nothing; then sends the other 48', async () => {
    const { admin, api, teamId } = await adaWithTeam('Sales');
    const { page } = admin;
    await openMembers(page, teamId);
    const rows = Array.from(
      { length: 48 },
      (_, i) => `person${i}@bulk.test,${i % 2 ? 'developer' : 'billing'}`,
    );
    rows.splice(10, 0, 'not-an-e-mail,developer');
    rows.splice(30, 0, 'owner@bulk.test,owner');
    const csv = ['email,role', ...rows].join('\n');

    await page.getByRole('button', { name: 'Bulk' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bulk' });
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: /CSV file/ }).click();
    await (await chooser).setFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    await dialog.getByText('Preview: nothing is sent yet').waitFor();
    const checked = dialog.getByRole('table', { name: /^Rows checked/ });
    expect(await checked.getByRole('row').count()).toBe(51);
    expect(await checked.getByText(/^Refused:/).count()).toBe(2);
    expect(await checked.getByRole('row', { name: /not-an-e-mail/ }).textContent()).toContain(
      'Not an e-mail address',
    );
    expect(await checked.getByRole('row', { name: /owner@bulk\.test/ }).textContent()).toContain(
      'Not a role',
    );
    expect(await checked.getByText('Will be invited').count()).toBe(48);
    await checkLayout(page, 'team-bulk-preview');
    // A preview invites nobody and e-mails nobody.
    expect(mailTo(/@bulk\.test$/)).toEqual([]);
    const pending = await stack.fixtures.as(api).get(`/v1/teams/${teamId}/invitations`).expect(200);
    expect(pending.body).toEqual([]);

    await dialog.getByRole('button', { name: 'Send 48 invitations' }).click();
    await dialog.getByText('48 invitations sent').waitFor();
    const sent = dialog.getByRole('table', { name: /^Rows sent/ });
    expect(await sent.getByText(/^✓ Invited$/).count()).toBe(48);
    expect(await sent.getByText(/^Refused:/).count()).toBe(2);
    expect(await waitForMail(/@bulk\.test$/, 48)).toHaveLength(48);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'Pending invitations: 48' }).waitFor();
    expect(admin.errors).toEqual([]);
  });

  it('re-inviting with another role: Bulk sends it as role_updated, Invite says so; the same role is already_invited', async () => {
    const { admin, api, teamId } = await adaWithTeam('Support');
    for (const email of ['keep@role.test', 'change@role.test'])
      await stack.fixtures
        .as(api)
        .post(`/v1/teams/${teamId}/invitations`)
        .send({ email, role: 'developer' })
        .expect(201);
    await waitForMail(/@role\.test$/, 2);
    const { page } = admin;
    await openMembers(page, teamId);

    await page.getByRole('button', { name: 'Bulk' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bulk' });
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: /CSV file/ }).click();
    const csv = 'email,role\nkeep@role.test,developer\nchange@role.test,admin\nfresh@role.test,billing\n';
    await (await chooser).setFiles({ name: 'roles.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const checked = dialog.getByRole('table', { name: /^Rows checked/ });
    await checked.waitFor();
    expect(await checked.getByRole('row', { name: /change@role\.test/ }).textContent()).toContain(
      '✓ Will get the new role and a fresh link',
    );
    expect(await checked.getByRole('row', { name: /keep@role\.test/ }).textContent()).toContain(
      'Refused: Already invited',
    );
    await dialog.getByRole('button', { name: 'Send 2 invitations' }).click();
    await dialog.getByText('2 invitations sent').waitFor();
    const sent = dialog.getByRole('table', { name: /^Rows sent/ });
    expect(await sent.getByText(/^✓ Role updated, fresh link sent$/).count()).toBe(1);
    expect(await sent.getByText(/^✓ Invited$/).count()).toBe(1);
    expect((await waitForMail(/^change@role\.test$/, 2)).map((mail) => mail.subject)).toEqual([
      expect.stringContaining('as Developer'),
      expect.stringContaining('as Admin'),
    ]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'Pending invitations: 3' }).waitFor();

    await page.getByRole('button', { name: 'Invite' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite' });
    await invite.getByLabel('E-mail').fill('change@role.test');
    await invite.getByLabel('Role').selectOption('billing');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.getByText('The pending invitation of change@role.test is now for Billing.').waitFor();
    // Sent again as it stands (still Billing): the invitation already has that role.
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite
      .getByText('change@role.test already has a pending invitation as Billing; nothing was sent.')
      .waitFor();
    expect(await waitForMail(/^change@role\.test$/, 3)).toHaveLength(3);
    expect(admin.errors).toEqual([]);
  });

  it('changes a role from the dropdown, and shows the last_admin refusal next to the last Admin', async () => {
    const { admin, api, teamId } = await adaWithTeam('Platform');
    const member = await stack.fixtures.addMember(api, teamId, 'developer', 'dev');
    const listed = await stack.fixtures.as(api).get(`/v1/teams/${teamId}/members`).expect(200);
    const devName = listed.body.find((row: { email: string }) => row.email === member.email).name;
    const { page } = admin;
    await openMembers(page, teamId);

    const devRole = page.getByRole('combobox', { name: `Role of ${devName}` });
    expect(await devRole.inputValue()).toBe('developer');
    const patched = page.waitForResponse((response) => response.request().method() === 'PATCH');
    await devRole.selectOption('billing');
    expect((await patched).status()).toBe(200);
    await page.reload();
    expect(await page.getByRole('combobox', { name: `Role of ${devName}` }).inputValue()).toBe('billing');

    const myRole = page.getByRole('combobox', { name: 'Role of ada' });
    await myRole.selectOption('developer');
    const myRow = page.getByRole('row', { name: /ada/ });
    const refusal = myRow.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('at least one Admin');
    expect(await myRole.inputValue()).toBe('admin');
    await checkLayout(page, 'team-members-last-admin');
    expectOnlyRefusals(admin, [409]);
  });

  it('removing a member ends their access: their open page shows Not found and the API refuses them', async () => {
    const { admin, api, teamId } = await adaWithTeam('Ops');
    const bobApi = await join(api, teamId, bob, 'developer');
    await openMembers(bob.page, teamId);
    await openMembers(admin.page, teamId);

    await admin.page.getByRole('button', { name: 'Remove bob' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Remove member' });
    await checkLayout(admin.page, 'team-remove-member');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.page.getByRole('table', { name: 'Members: 1' }).waitFor();

    await bob.page.reload();
    await bob.page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await bob.page.getByRole('button', { name: /Current: Ops/ }).count()).toBe(0);
    await stack.fixtures.as(bobApi).get(`/v1/teams/${teamId}/members`).expect(404);
    expect(admin.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it('Settings: renames, archives only once the name is typed exactly, and leaves (not as the last Admin)', async () => {
    const { admin, api, teamId } = await adaWithTeam('Skunkworks');
    const { page } = admin;
    await page.goto(`/a/${teamId}/settings`);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByLabel('Team name').fill('Skunkworks Labs');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('button', { name: 'Switch account. Current: Skunkworks Labs, Team' }).waitFor();
    await checkLayout(page, 'team-settings');

    // The last Admin may not leave: the refusal stays in the dialog.
    await page.getByRole('button', { name: 'Leave team' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave team' });
    await leave.getByRole('button', { name: 'Leave team' }).click();
    expect(await leave.getByRole('alert').textContent()).toContain('at least one Admin');
    await leave.getByRole('button', { name: 'Cancel' }).click();

    // A Developer leaves; they land on their personal account, which no longer lists the team.
    await join(api, teamId, bob, 'developer');
    await bob.page.goto(`/a/${teamId}/settings`);
    await bob.page.getByText('An Admin of the team renames or archives it.').waitFor();
    expect(await bob.page.getByRole('button', { name: 'Archive team' }).count()).toBe(0);
    await bob.page.getByRole('button', { name: 'Leave team' }).click();
    await bob.page
      .getByRole('dialog', { name: 'Leave team' })
      .getByRole('button', { name: 'Leave team' })
      .click();
    await bob.page.waitForURL(/\/a\/[0-9a-f-]{36}\/keys$/);
    await bob.page.getByRole('button', { name: /^Switch account/ }).click();
    await bob.page.getByRole('menuitem', { name: 'Create Team' }).waitFor();
    expect(await bob.page.getByRole('menuitem', { name: 'Skunkworks Labs' }).count()).toBe(0);

    // Archive: the button waits for the exact name.
    await page.getByRole('button', { name: 'Archive team' }).click();
    const archive = page.getByRole('dialog', { name: 'Archive team' });
    const confirm = archive.getByRole('button', { name: 'Archive team' });
    expect(await confirm.isDisabled()).toBe(true);
    await archive.getByLabel('Team name').fill('Skunkworks');
    expect(await confirm.isDisabled()).toBe(true);
    await archive.getByLabel('Team name').fill('Skunkworks Labs');
    await checkLayout(page, 'team-archive');
    await confirm.click();
    await page.waitForURL(/\/a\/[0-9a-f-]{36}\/keys$/);
    await page.getByRole('button', { name: /^Switch account/ }).click();
    await page.getByRole('menuitem', { name: 'Create Team' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Skunkworks Labs' }).count()).toBe(0);
    expectOnlyRefusals(admin, [409]);
    expect(bob.errors).toEqual([]);
  });

  it('a Developer sees Members read-only: no Invite, no Bulk, no role dropdown', async () => {
    const { api, teamId } = await adaWithTeam('Design');
    await join(api, teamId, bob, 'developer');
    const { page } = bob;
    await openMembers(page, teamId);
    await page.getByText('An Admin of the team invites people, changes roles and removes members.').waitFor();
    expect(await page.getByRole('button', { name: 'Invite' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Bulk' }).count()).toBe(0);
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    const members = page.getByRole('table', { name: 'Members: 2' });
    expect(await members.getByRole('row', { name: /ada/ }).textContent()).toContain('Admin');
    expect(await members.getByRole('row', { name: /bob/ }).textContent()).toContain('Developer');
    await checkLayout(page, 'team-members-read-only');
    expect(bob.errors).toEqual([]);
  });
});
