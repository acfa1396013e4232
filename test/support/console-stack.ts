import { Role } from '@tessera/contracts';
import { GitHubStandInUser, SmtpSink, freePort } from '@tessera/testing';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { GitHubPlatform } from './github-platform';
import { TestUser } from './users';

/** Debian's Chromium: the tests never download a browser. */
export const CHROMIUM = process.env.TESSERA_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Where the specs leave a screenshot of each page they visit (the README's come from here). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'dist', 'screenshots');

let githubIds = 70_000;

/** A person in their own browser profile, signed in to the console. */
export interface ConsolePerson {
  email: string;
  context: BrowserContext;
  page: Page;
  /** Errors the page logged or threw; a spec ends by expecting none. */
  errors: string[];
}

/**
 * The web console end to end: the whole platform on a loopback port that is also its public URL (so cookies,
 * redirects and same-origin checks are the real ones), GitHub sign-in through the stand-in, e-mail to a real SMTP
 * sink, and Debian's Chromium driven by playwright-core.
 */
export class ConsoleStack {
  private constructor(
    readonly url: string,
    readonly stack: GitHubPlatform,
    readonly mail: SmtpSink,
    readonly browser: Browser,
  ) {}

  static async start(overrides: Record<string, string> = {}): Promise<ConsoleStack> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const mail = await SmtpSink.start();
    const stack = await GitHubPlatform.start({
      TESSERA_PUBLIC_URL: url,
      TESSERA_SMTP_URL: mail.url,
      ...overrides,
    });
    await stack.platform.listen(port);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    return new ConsoleStack(url, stack, mail, browser);
  }

  get fixtures() {
    return this.stack.fixtures;
  }

  uniqueEmail(name: string): string {
    return this.fixtures.uniqueEmail(name);
  }

  /** A fresh browser profile on `path` (the console's home by default), not signed in. */
  async visitor(path = '/'): Promise<ConsolePerson & { email: '' }> {
    const context = await this.browser.newContext({ baseURL: this.url });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(path);
    return { email: '', context, page, errors };
  }

  /**
   * Signs a person in with GitHub from a fresh browser profile, starting at `path`: the console sends them to the
   * sign-in page and back. Sign-ins are one at a time (the stand-in signs in whoever was set last).
   */
  async signIn(email: string, path = '/', name?: string): Promise<ConsolePerson> {
    const person = await this.visitor(path);
    await this.signInAs(person.page, email, name);
    return { ...person, email };
  }

  async person(name: string, path = '/'): Promise<ConsolePerson> {
    return this.signIn(this.uniqueEmail(name), path, name);
  }

  /** On the sign-in page: "Continue with GitHub" as this person. */
  async signInAs(page: Page, email: string, name?: string): Promise<void> {
    githubIds += 1;
    const user: GitHubStandInUser = {
      id: githubIds,
      login: `u${githubIds}`,
      name: name ?? email.split('@')[0],
      emails: [{ email, primary: true, verified: true }],
    };
    this.stack.github.setUser(user);
    await page.waitForURL(/\/signin\?/);
    await page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin') && url.origin === this.url);
    await page.getByRole('button', { name: /^Switch account/ }).waitFor();
  }

  /**
   * A person signed in to the console and made a member of `teamId` with `role`: `admin` invites them, and they
   * accept with their own session.
   */
  async member(admin: TestUser, teamId: string, name: string, role: Role): Promise<ConsolePerson> {
    const person = await this.person(name);
    const user = await this.apiUser(person);
    const invitation = await this.fixtures
      .as(admin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email: person.email, role })
      .expect(201);
    const token = await this.fixtures.invitationToken(invitation.body.id);
    await this.fixtures.as(user).post('/v1/invitations/accept').send({ token }).expect(200);
    return person;
  }

  /**
   * The person in the browser as the API fixtures know people: an access token from their own browser session,
   * taken the way the console takes one — under its Web Lock, since the refresh cookie rotates and presenting it
   * twice would end the session.
   */
  async apiUser(person: ConsolePerson): Promise<TestUser> {
    const token = await person.page.evaluate(() =>
      navigator.locks.request('tessera-session', async () => {
        const response = await fetch('/auth/token', {
          method: 'POST',
          headers: { accept: 'application/json' },
        });
        return ((await response.json()) as { access_token: string }).access_token;
      }),
    );
    const as = this.fixtures.as({ token } as TestUser);
    const me = await as.get('/v1/me').expect(200);
    const accounts = await as.get('/v1/me/accounts').expect(200);
    return { id: me.body.id, email: person.email, token, personalAccountId: accounts.body[0].id };
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.stack?.stop();
    await this.mail?.stop();
  }
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`.trim());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** A full-page screenshot under dist/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The accessibility violations axe-core finds that are serious or critical, on the page (or within `include`, a
 * selector) once its animations have ended: a dialog still fading in, or a button just pressed, has colours on
 * their way to the final ones, and axe would measure those.
 */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  await page.evaluate(async () => {
    // Two frames first: a transition that was just asked for starts on the next one.
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
  });
  const axe = new AxeBuilder({ page });
  const { violations } = await (include ? axe.include(include) : axe).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target).join(', ')})`,
    );
}
