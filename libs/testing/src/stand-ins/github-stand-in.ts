import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface GitHubStandInEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export interface GitHubStandInUser {
  id: number;
  login: string;
  name?: string;
  emails: GitHubStandInEmail[];
}

const CODE_TTL_MS = 10 * 60_000; // GitHub's authorization codes expire after ten minutes

/** GitHub's own wording, so a relying party's error handling is tested against what it will really get. */
const ERRORS = {
  incorrect_client_credentials: 'The client_id and/or client_secret passed are incorrect.',
  redirect_uri_mismatch: 'The redirect_uri MUST match the registered callback URL for this application.',
  bad_verification_code: 'The code passed is incorrect or expired.',
} as const;
type TokenError = keyof typeof ERRORS;

interface IssuedCode {
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  user: GitHubStandInUser;
  expiresAt: number;
}

interface IssuedToken {
  scope: string;
  user: GitHubStandInUser;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A GitHub OAuth app's side of GitHub on loopback: the authorize page (which signs in whichever user setUser chose,
 * without a form), the token exchange with PKCE and the two REST endpoints a sign-in reads. `apiPrefix: '/api/v3'`
 * makes it look like GitHub Enterprise Server, where the API lives under the web origin.
 */
export class GitHubStandIn {
  private user?: GitHubStandInUser;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    private readonly options: { clientId: string; clientSecret: string; apiPrefix: string },
    readonly url: string,
  ) {}

  static async start(options: {
    clientId: string;
    clientSecret: string;
    apiPrefix?: string;
  }): Promise<GitHubStandIn> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const apiPrefix = (options.apiPrefix ?? '').replace(/\/$/, '');
    const standIn = new GitHubStandIn(server, { ...options, apiPrefix }, `http://127.0.0.1:${port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      standIn.handle(request, response).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        if (!(error instanceof HttpError)) process.stderr.write(`GitHubStandIn: ${String(error)}\n`);
        send(response, status, { message: error instanceof Error ? error.message : String(error) });
      });
    });
    return standIn;
  }

  get apiUrl(): string {
    return this.url + this.options.apiPrefix;
  }

  /** The GitHub user the next authorization signs in; codes and tokens already issued keep theirs. */
  setUser(user: GitHubStandInUser): void {
    this.user = structuredClone(user);
  }

  /** How many requests reached a path (no query string), e.g. `requests('/login/oauth/access_token')`. */
  requests(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  /** Requests the authorization URL like a browser of the signed-in user and returns where GitHub sends it. */
  async signIn(authorizationUrl: string): Promise<URL> {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status !== 302 || !location) {
      throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
    }
    await response.body?.cancel();
    return new URL(location, authorizationUrl);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    this.counts.set(url.pathname, this.requests(url.pathname) + 1);
    const route = `${request.method} ${url.pathname}`;
    const api = this.options.apiPrefix;
    switch (route) {
      case 'GET /login/oauth/authorize':
        return this.authorize(url.searchParams, response);
      case 'POST /login/oauth/access_token':
        return this.accessToken(request, url.searchParams, response);
      case `GET ${api}/user`: {
        const { user } = this.authenticate(request);
        const primary = user.emails.find((email) => email.primary);
        return send(response, 200, {
          id: user.id,
          login: user.login,
          name: user.name ?? null,
          email: primary?.email ?? null,
          type: 'User',
        });
      }
      case `GET ${api}/user/emails`: {
        const { user, scope } = this.authenticate(request);
        // GitHub hides the address list from tokens without an email scope (404, not 403).
        const scopes = scope.split(',');
        if (!scopes.includes('user:email') && !scopes.includes('user')) throw new HttpError(404, 'Not Found');
        return send(
          response,
          200,
          user.emails.map((email) => ({ ...email, visibility: email.primary ? 'private' : null })),
        );
      }
      default:
        throw new HttpError(404, 'Not Found');
    }
  }

  private authorize(query: URLSearchParams, response: ServerResponse): void {
    if (query.get('client_id') !== this.options.clientId) throw new HttpError(400, 'unknown client_id');
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri || !URL.canParse(redirectUri)) throw new HttpError(400, 'redirect_uri is required');
    const codeChallenge = query.get('code_challenge');
    if (!codeChallenge || query.get('code_challenge_method') !== 'S256') {
      throw new HttpError(400, 'a code_challenge with code_challenge_method=S256 is required');
    }
    if (!this.user) throw new HttpError(400, 'nobody is signed in: call setUser() first');
    const code = randomBytes(10).toString('hex'); // GitHub's codes are 20 hex characters too
    this.codes.set(code, {
      redirectUri,
      codeChallenge,
      // GitHub takes space- or comma-separated scopes and reports them comma-separated.
      scope: (query.get('scope') ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(','),
      user: structuredClone(this.user),
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const callback = new URL(redirectUri);
    callback.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) callback.searchParams.set('state', state);
    response.writeHead(302, { location: callback.href }).end();
  }

  private async accessToken(
    request: IncomingMessage,
    query: URLSearchParams,
    response: ServerResponse,
  ): Promise<void> {
    const params = await readParams(request, query);
    const json = (request.headers.accept ?? '').includes('application/json');
    // GitHub answers token errors with 200 and an `error` field, in the format the client asked for.
    const answer = (body: Record<string, string>): void => {
      if (json) return send(response, 200, body);
      response
        .writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' })
        .end(new URLSearchParams(body).toString());
    };
    const fail = (error: TokenError): void =>
      answer({
        error,
        error_description: ERRORS[error],
        error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replaceAll('_', '-')}`,
      });

    if (
      params.client_id !== this.options.clientId ||
      !equal(params.client_secret, this.options.clientSecret)
    ) {
      return fail('incorrect_client_credentials');
    }
    const issued = params.code === undefined ? undefined : this.codes.get(params.code);
    // A code is spent by its first presentation, whatever the outcome: a wrong verifier cannot be retried.
    if (params.code !== undefined) this.codes.delete(params.code);
    if (!issued || issued.expiresAt < Date.now()) return fail('bad_verification_code');
    if (params.redirect_uri !== issued.redirectUri) return fail('redirect_uri_mismatch');
    const verifier = params.code_verifier ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !equal(challenge, issued.codeChallenge)) {
      return fail('bad_verification_code');
    }
    const token = `gho_${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, { scope: issued.scope, user: issued.user });
    answer({ access_token: token, token_type: 'bearer', scope: issued.scope });
  }

  private authenticate(request: IncomingMessage): IssuedToken {
    const match = /^(?:bearer|token)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    if (!issued) throw new HttpError(401, 'Bad credentials');
    return issued;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Token request parameters from the query string and a form or JSON body, as GitHub accepts all three. */
async function readParams(request: IncomingMessage, query: URLSearchParams): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const params: Record<string, string> = Object.fromEntries(query);
  if (!text) return params;
  if ((request.headers['content-type'] ?? '').includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'Problems parsing JSON');
    }
    if (typeof body !== 'object' || body === null) throw new HttpError(400, 'Problems parsing JSON');
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') params[key] = value;
    }
    return params;
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(text)) };
}

/** Secrets and challenges are compared in constant time, as a real authorization server must. */
function equal(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
