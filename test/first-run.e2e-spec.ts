import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment, eventually, freePort } from '@tessera/testing';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, seriousViolations } from './support/console-stack';
import { NodeProcess } from './support/run-node';

const READY_WITHIN_MS = 90_000;

/** Every variable that would configure sign-in or mail: a first run has none of them (empty counts as unset). */
const UNSET = [
  'TESSERA_GITHUB_CLIENT_ID',
  'TESSERA_GITHUB_CLIENT_SECRET',
  'TESSERA_GOOGLE_CLIENT_ID',
  'TESSERA_GOOGLE_CLIENT_SECRET',
  'TESSERA_SMTP_URL',
  'TESSERA_DEVELOPMENT_SIGN_IN',
  'TESSERA_DEVELOPMENT_MAIL_DIR',
];

/** A fresh machine: a new database, `npm start` with no sign-in provider and no SMTP server, a real Chromium. */
describe('first run with no setup', () => {
  let environment: TestEnvironment;
  const browsers: { context: BrowserContext; profile: string }[] = [];

  beforeAll(async () => {
    environment = await TestEnvironment.start();
  });

  afterEach(async () => {
    for (const { context, profile } of browsers.splice(0)) {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  afterAll(async () => {
    await environment?.stop();
  });

  async function startTessera(overrides: Record<string, string> = {}) {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const unset = Object.fromEntries(UNSET.map((name) => [name, '']));
    const env = environment.env({
      ...unset,
      TESSERA_HTTP_PORT: String(port),
      TESSERA_PUBLIC_URL: publicUrl,
      ...overrides,
    });
    const tessera = NodeProcess.start('tools/start.js', env);
    await tessera.waitForOutput('Tessera is ready', READY_WITHIN_MS);
    return { tessera, publicUrl };
  }

  async function stopTessera(tessera: NodeProcess): Promise<void> {
    tessera.child.kill('SIGTERM');
    expect(await tessera.exited).toBe(0);
  }

  /** A browser profile of its own: another person on the same machine. */
  async function browser(): Promise<Page> {
    const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    context.setDefaultTimeout(20_000);
    browsers.push({ context, profile });
    return context.pages()[0] ?? (await context.newPage());
  }

  /** No serious or critical accessibility violation on the page as it is now (decision 022). */
  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
  }

  /** The development provider's form, reached from Tessera's sign-in page. */
  async function signInAsDeveloper(page: Page, name: string, email: string): Promise<void> {
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Continue with a development account' }).click();
    await page.getByRole('heading', { name: 'Development account' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs in with a development account, invites, shows the e-mail at /dev/mail, and the invitee accepts', async () => {
    const { tessera, publicUrl } = await startTessera();
    try {
      expect(tessera.stdout).toMatch(
        /Development sign-in: on \(embedded OpenID provider at http:\/\/127\.0\.0\.1:\d+/,
      );
      expect(tessera.stdout).toContain(`Mail: caught, read it at ${publicUrl}/dev/mail`);

      // The admin signs in through the same OpenID code path as Google, with any name and e-mail.
      const admin = await browser();
      await admin.goto(`${publicUrl}/signin`);
      expect(await admin.getByText('For development only').isVisible()).toBe(true);
      await signInAsDeveloper(admin, 'Ada Admin', 'ada@example.com');
      await admin.waitForURL((url) => url.origin === publicUrl);

      // In the console: Create Team from the account switcher, then Invite on its Members page.
      await admin.getByRole('button', { name: /^Switch account/ }).click();
      await admin.getByRole('menuitem', { name: 'Create Team' }).click();
      await admin.getByRole('textbox', { name: 'Team name' }).fill('Research');
      await admin.getByRole('dialog').getByRole('button', { name: 'Create Team' }).click();
      await admin.waitForURL(/\/a\/[0-9a-f-]{36}\/members$/);
      await admin.getByRole('button', { name: 'Invite' }).click();
      const invite = admin.getByRole('dialog', { name: 'Invite' });
      await invite.getByRole('textbox', { name: 'E-mail' }).fill('bo@example.com');
      await invite.getByRole('combobox', { name: 'Role' }).selectOption('developer');
      await invite.getByRole('button', { name: 'Send invitation' }).click();
      await admin.getByRole('row', { name: /bo@example\.com/ }).waitFor();

      // The e-mail went to the catcher; /dev/mail shows it with its link clickable.
      const link = await eventually(
        async () => {
          await admin.goto(`${publicUrl}/dev/mail`);
          const message = admin.locator('article', { hasText: 'invited you to join Research' });
          expect(await message.getByText('bo@example.com').count()).toBeGreaterThan(0);
          const href = await message
            .getByRole('link', { name: /\/invite\/accept\?token=/ })
            .getAttribute('href');
          expect(href).toBeTruthy();
          return href!;
        },
        30_000,
        250,
      );
      expect(link.startsWith(`${publicUrl}/invite/accept?token=`)).toBe(true);
      await expectAccessible(admin);

      // The invitee, in another browser profile, follows the link, signs in and accepts.
      const invitee = await browser();
      await invitee.goto(link);
      await signInAsDeveloper(invitee, 'Bo Invitee', 'bo@example.com');
      await invitee.waitForURL((url) => url.href.startsWith(`${publicUrl}/invite/accept?token=`));
      await expectAccessible(invitee);
      await invitee.getByRole('button', { name: 'Accept the invitation' }).click();
      await invitee.getByRole('heading', { name: 'Welcome' }).waitFor();
      await expectAccessible(invitee);
      expect(await invitee.getByText('You joined').textContent()).toContain('Research');
      // …and lands in the team's Members page in the console.
      await invitee.getByRole('link', { name: 'Open Research' }).click();
      await invitee.getByRole('button', { name: 'Switch account. Current: Research, Team' }).waitFor();
      await invitee.getByRole('row', { name: /ada@example\.com/ }).waitFor();
    } finally {
      await stopTessera(tessera);
    }
  }, 180_000);

  it('has neither the development provider nor /dev/mail when NODE_ENV is production', async () => {
    const { tessera, publicUrl } = await startTessera({ NODE_ENV: 'production' });
    try {
      expect(tessera.stdout).toContain(
        'Development sign-in: off (no sign-in provider is configured, but NODE_ENV is production)',
      );
      expect(tessera.stdout).not.toContain('embedded OpenID provider');
      expect(tessera.stdout).not.toContain('/dev/mail');

      expect((await fetch(`${publicUrl}/dev/mail`)).status).toBe(404);
      const signIn = await (await fetch(`${publicUrl}/signin`)).text();
      expect(signIn).not.toContain('development account');
      expect(signIn).toContain('No sign-in method is configured');
      const google = await fetch(`${publicUrl}/auth/google`, { redirect: 'manual' });
      expect(google.status).toBe(404);
      expect(((await google.json()) as { error: { code: string } }).error.code).toBe(
        'provider_not_configured',
      );
    } finally {
      await stopTessera(tessera);
    }
  }, 120_000);

  it('refuses to start a gateway told to turn the development shortcuts on in production', async () => {
    const gateway = NodeProcess.start(
      'apps/gateway/src/main.js',
      environment.env({
        NODE_ENV: 'production',
        TESSERA_LOG_LEVEL: 'fatal',
        TESSERA_HTTP_PORT: String(await freePort()),
        TESSERA_DEVELOPMENT_SIGN_IN: 'on',
      }),
    );
    expect(await gateway.exited).toBe(1);
    expect(gateway.stdout).toContain('are for development only, and NODE_ENV is production');
  });
});
