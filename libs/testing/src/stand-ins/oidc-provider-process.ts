import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../free-port';

/** Client metadata as oidc-provider takes it (RFC 7591 names). Without a secret, say `none` as auth method. */
export interface OidcStandInClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  /** oidc-provider's default is `client_secret_basic`, as is openid-client's. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** An end-user of the provider; these are the claims its ID tokens and userinfo carry. */
export interface OidcStandInAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

/**
 * How the provider forges the ID tokens its token endpoint returns from now on (`{}` goes back to honest tokens).
 * `unknownKey` signs with a key the provider never published, under the published key's `kid`.
 */
export interface IdTokenTamper {
  iss?: string;
  aud?: string | string[];
  nonce?: string;
  alg?: 'none';
  unknownKey?: true;
}

const SCRIPT = join(__dirname, 'oidc-provider.mjs');
const START_TIMEOUT_MS = 15_000;
const MAX_SIGN_IN_STEPS = 20;

/**
 * A real OpenID provider (the certified `oidc-provider` package) in a child process on a free loopback port, standing
 * in for Google in sign-in tests: discovery, JWKS, PKCE-only authorization code flow, ID tokens with email claims.
 * It runs as a child because oidc-provider is ESM-only and jest runs the tests as CommonJS.
 */
export class OidcProviderProcess {
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGKILL');
  };

  private constructor(
    readonly issuer: string,
    private readonly accounts: readonly OidcStandInAccount[],
    private child: ChildProcess | undefined,
  ) {
    // A test run that crashes or forgets stop() must not leave a provider behind (the child also exits when its
    // stdin, which we hold, closes).
    process.once('exit', this.killOnExit);
  }

  static async start(options: {
    clients: OidcStandInClient[];
    accounts: OidcStandInAccount[];
  }): Promise<OidcProviderProcess> {
    const port = await freePort();
    const settings = JSON.stringify({ port, clients: options.clients, accounts: options.accounts });
    const child = spawn(process.execPath, [SCRIPT, settings], { stdio: ['pipe', 'pipe', 'pipe'] });
    const issuer = await waitForReady(child);
    return new OidcProviderProcess(issuer, options.accounts, child);
  }

  /** Makes the token endpoint forge ID tokens (see IdTokenTamper); `tamper({})` stops it. */
  async tamper(overrides: IdTokenTamper): Promise<void> {
    const response = await fetch(`${this.issuer}/__stand-in/tamper`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(overrides),
    });
    if (response.status !== 204)
      throw new Error(`tamper refused: ${response.status} ${await response.text()}`);
  }

  /**
   * Plays the browser from the relying party's authorization URL until the provider redirects back to the relying
   * party: logs in as `accountSub` and consents through oidc-provider's built-in forms. Returns the callback URL
   * (`code`, `state`, `iss`, or `error`) without requesting it, so the test decides what the relying party gets.
   * Every call is a fresh browser (no session cookies carry over), so the login form always shows.
   */
  async signIn(authorizationUrl: string, accountSub: string): Promise<URL> {
    if (!this.accounts.some((account) => account.sub === accountSub)) {
      throw new Error(`no account "${accountSub}" on this provider`);
    }
    const origin = new URL(this.issuer).origin;
    const jar = new CookieJar();
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let step = 0; step < MAX_SIGN_IN_STEPS; step++) {
      if (url.origin !== origin) return url;
      const response = await fetch(url, {
        method: body ? 'POST' : 'GET',
        headers: {
          cookie: jar.header(url),
          ...(body && { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        body,
        redirect: 'manual',
      });
      jar.store(url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        body = undefined;
        continue;
      }
      const html = await response.text();
      const form = response.status === 200 ? parseForm(html) : undefined;
      if (!form)
        throw new Error(`provider answered ${response.status} at ${url.pathname}: ${html.slice(0, 500)}`);
      const action = new URL(form.action, url);
      if (action.origin !== origin) {
        throw new Error(
          `the provider posts the response to ${action.href} (response_mode=form_post?): not supported`,
        );
      }
      if (form.fields.get('prompt') === 'login') {
        form.fields.set('login', accountSub);
        form.fields.set('password', 'any'); // devInteractions accept any password
      }
      url = action;
      body = form.fields;
    }
    throw new Error(`no redirect to the relying party after ${MAX_SIGN_IN_STEPS} steps (last: ${url.href})`);
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL'); // nothing to flush: all provider state is in memory and thrown away
    await exited;
  }
}

/** Resolves with the issuer once the child prints `ready <issuer>`; rejects with its stderr if it dies first. */
function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout! });
    const settle = (): void => {
      clearTimeout(timer);
      child.off('error', onError).off('exit', onExit);
    };
    const fail = (reason: string): void => {
      settle();
      child.kill('SIGKILL');
      reject(new Error(`the OpenID provider stand-in ${reason}\n${stderr}`));
    };
    const onError = (error: Error): void => fail(`could not be spawned: ${error.message}`);
    const onExit = (code: number | null, signal: string | null): void =>
      fail(`exited (${signal ?? code}) before it was ready`);
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.on('error', onError).on('exit', onExit);
    // Keep reading stdout after ready too (oidc-provider logs notices there): a full pipe would block the child.
    lines.on('line', (line) => {
      if (!line.startsWith('ready ')) return;
      settle();
      resolve(line.slice('ready '.length).trim());
    });
  });
}

/** The first form of a page, with its hidden inputs: all that oidc-provider's devInteractions pages contain. */
function parseForm(html: string): { action: string; fields: URLSearchParams } | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const action = /\baction="([^"]*)"/i.exec(form[1])?.[1];
  if (action === undefined) return undefined;
  const fields = new URLSearchParams();
  for (const [input] of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(input)?.[1];
    if (name && /\btype="hidden"/i.test(input)) {
      fields.set(decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/i.exec(input)?.[1] ?? ''));
    }
  }
  return { action: decodeEntities(action), fields };
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, entity: string) => named[entity]);
}

/**
 * Just enough of a browser's cookie store for one origin: oidc-provider scopes its interaction cookies by path and
 * clears them with past expiry dates, so both are honoured.
 */
class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(url: URL, setCookies: string[]): void {
    for (const setCookie of setCookies) {
      const [pair, ...attributes] = setCookie.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      if (separator < 1) continue;
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.split('=');
        const attributeValue = rest.join('=');
        switch (key.toLowerCase()) {
          case 'path':
            path = attributeValue || '/';
            break;
          case 'expires':
            expired ||= Date.parse(attributeValue) <= Date.now();
            break;
          case 'max-age':
            expired ||= Number(attributeValue) <= 0;
            break;
        }
      }
      const key = `${path}\n${name}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter(({ path }) => pathMatches(url.pathname, path))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
