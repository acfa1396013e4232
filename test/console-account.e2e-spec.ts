import { GitHubStandInUser } from '@tessera/testing';
import { Page } from 'playwright-core';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';

/**
 * A browser's answer to a refusal the test provokes on purpose is logged by Chromium as a console error
 * ("Failed to load resource: … 409"); only those expected ones are left out.
 */
function unexpected(errors: string[], ...statuses: number[]): string[] {
  return errors.filter(
    (error) => !statuses.some((status) => error.includes(`the server responded with a status of ${status}`)),
  );
}

/** axe on the open dialog only: the page behind it is dimmed on purpose, and was checked before it opened. */
describe('the web console: Your account', () => {
  // Three browser profiles and a platform on a shared machine: the default minute is tight.
  jest.setTimeout(120_000);

  let stack: ConsoleStack;

  beforeAll(async () => {
    // Google is configured (never reached: discovery is lazy) so that the page has a method to offer for linking.
    stack = await ConsoleStack.start({
      TESSERA_GOOGLE_CLIENT_ID: 'google-client',
      TESSERA_GOOGLE_CLIENT_SECRET: 'google-secret',
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The same GitHub user signing in from a fresh browser profile: a second device of the same person. */
  async function signInAsGitHubUser(user: GitHubStandInUser, path: string): Promise<ConsolePerson> {
    const visitor = await stack.visitor(path);
    stack.stack.github.setUser(user);
    await visitor.page.waitForURL(/\/signin\?/);
    await visitor.page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await visitor.page.waitForURL((url) => url.pathname === path);
    await visitor.page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    return { ...visitor, email: user.emails[0].email };
  }

  const sessionRows = (page: Page) =>
    page.getByRole('table', { name: /^Active sessions/ }).locator('tbody tr');

  it('shows the profile, the sign-in methods and both devices of a person signed in twice; signing out the other device ends its session', async () => {
    const email = stack.uniqueEmail('ada');
    const ada: GitHubStandInUser = {
      id: 90_001,
      login: 'ada-l',
      name: 'Ada Lovelace',
      emails: [{ email, primary: true, verified: true }],
    };
    const laptop = await signInAsGitHubUser(ada, '/account');
    const phone = await signInAsGitHubUser(ada, '/account');
    const { page } = laptop;

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    const profile = page.getByRole('region', { name: 'Profile' });
    expect(await profile.textContent()).toContain('Ada Lovelace');
    expect(await profile.textContent()).toContain(email);
    const methods = page.getByRole('table', { name: /^Sign-in methods/ });
    await methods.getByRole('cell', { name: 'GitHub', exact: true }).waitFor();
    expect(await methods.textContent()).toContain(email);
    // Linking is a full navigation through the provider, back to this page.
    expect(await page.getByRole('link', { name: 'Link Google' }).getAttribute('href')).toBe(
      '/auth/google?link=1&return_to=%2Faccount',
    );
    expect(await page.getByRole('link', { name: 'Link GitHub' }).count()).toBe(0);

    await sessionRows(page).nth(1).waitFor();
    expect(await sessionRows(page).count()).toBe(2);
    const mine = sessionRows(page).filter({ hasText: /This device/ });
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toContain('Headless Chrome on Linux');
    expect(await mine.textContent()).toContain('127.0.0.1');
    await screenshot(page, 'account');
    expect(await seriousViolations(page)).toEqual([]);

    const other = sessionRows(page).filter({ hasNotText: /This device/ });
    await other.getByRole('button', { name: /^Sign out this device/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out this device?' });
    await dialog.waitFor();
    expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
    await dialog.getByRole('button', { name: 'Sign out' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Active sessions: 1', { exact: true }).waitFor();
    expect(await sessionRows(page).count()).toBe(1);

    // The other device's next navigation finds its session ended and goes to sign-in.
    await phone.page.goto('/account');
    await phone.page.waitForURL(/\/signin\?return_to=%2Faccount$/);
    expect(unexpected(phone.errors, 400, 401)).toEqual([]);
    expect(laptop.errors).toEqual([]);
  });

  it('refuses to unlink the only sign-in method, in the dialog', async () => {
    const grace = await stack.person('grace', '/account');
    const { page } = grace;
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('button', { name: 'Unlink GitHub' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unlink GitHub?' });
    await dialog.getByRole('button', { name: 'Unlink' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('This is your only way to sign in');
    await screenshot(page, 'account-unlink-refused');
    expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('table', { name: /^Sign-in methods/ }).textContent()).toContain('GitHub');
    expect(unexpected(grace.errors, 409)).toEqual([]);
  });

  it('signs this browser out', async () => {
    const linus = await stack.person('linus', '/account');
    const { page } = linus;
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await sessionRows(page).first().waitFor();
    await screenshot(page, 'account-narrow');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/signin$/);
    expect(linus.errors).toEqual([]);
    await page.goto('/account');
    await page.waitForURL(/\/signin\?return_to=%2Faccount$/);
  });
});
