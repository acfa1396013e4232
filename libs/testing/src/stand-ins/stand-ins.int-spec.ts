import { createHash, randomBytes } from 'node:crypto';
import { BaseClient, Issuer, generators } from 'openid-client';
import { GitHubStandIn } from './github-stand-in';
import { OidcProviderProcess } from './oidc-provider-process';

describe('OidcProviderProcess', () => {
  const redirectUri = 'http://127.0.0.1:1/auth/google/callback'; // never requested: signIn stops before it
  const alice = { sub: 'google-alice', email: 'alice@example.com', email_verified: true, name: 'Alice' };
  let provider: OidcProviderProcess;
  let client: BaseClient;

  beforeAll(async () => {
    provider = await OidcProviderProcess.start({
      clients: [{ client_id: 'tessera', client_secret: 'tessera-secret', redirect_uris: [redirectUri] }],
      accounts: [alice],
    });
    const issuer = await Issuer.discover(provider.issuer);
    client = new issuer.Client({
      client_id: 'tessera',
      client_secret: 'tessera-secret',
      redirect_uris: [redirectUri],
      response_types: ['code'],
    });
  });

  afterAll(() => provider?.stop());
  afterEach(() => provider.tamper({}));

  /** One relying-party round trip, as the gateway will do it: PKCE, nonce and state, then the code exchange. */
  async function signInAs(sub: string) {
    const codeVerifier = generators.codeVerifier();
    const checks = { code_verifier: codeVerifier, nonce: generators.nonce(), state: generators.state() };
    const authorizationUrl = client.authorizationUrl({
      scope: 'openid email profile',
      code_challenge: generators.codeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      nonce: checks.nonce,
      state: checks.state,
    });
    const callback = await provider.signIn(authorizationUrl, sub);
    return {
      callback,
      exchange: () => client.callback(redirectUri, client.callbackParams(callback.href), checks),
    };
  }

  it('signs an account in through discovery, PKCE and the code exchange', async () => {
    const { callback, exchange } = await signInAs(alice.sub);

    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('iss')).toBe(provider.issuer);
    const tokens = await exchange();
    expect(tokens.claims()).toMatchObject({ ...alice, iss: provider.issuer, aud: 'tessera' });
  });

  it('refuses an authorization request without PKCE', async () => {
    const callback = await provider.signIn(
      client.authorizationUrl({ scope: 'openid email', state: 'x', nonce: 'y' }),
      alice.sub,
    );
    expect(callback.searchParams.get('error')).toBe('invalid_request');
  });

  it.each([
    ['an audience of someone else', { aud: 'someone-else' }, /aud mismatch/],
    ['another issuer', { iss: 'https://accounts.google.com' }, /unexpected iss value/],
    ['a replayed nonce', { nonce: 'replayed' }, /nonce mismatch/],
    ['a signature by an unknown key', { unknownKey: true as const }, /failed to validate JWT signature/],
    ['no signature at all', { alg: 'none' as const }, /unexpected JWT alg received/],
  ])('lets the relying party refuse an ID token with %s', async (_, tamper, error) => {
    const { exchange } = await signInAs(alice.sub);
    await provider.tamper(tamper);

    await expect(exchange()).rejects.toThrow(error);
  });

  it('goes back to honest ID tokens after tamper({})', async () => {
    await provider.tamper({ aud: 'someone-else' });
    await provider.tamper({});
    const { exchange } = await signInAs(alice.sub);

    await expect(exchange()).resolves.toBeDefined();
  });
});

describe('GitHubStandIn', () => {
  const redirectUri = 'http://127.0.0.1:1/auth/github/callback';
  let github: GitHubStandIn;

  beforeAll(async () => {
    github = await GitHubStandIn.start({
      clientId: 'gh-client',
      clientSecret: 'gh-secret',
      apiPrefix: '/api/v3',
    });
    github.setUser({
      id: 4242,
      login: 'octo-alice',
      name: 'Alice',
      emails: [
        { email: 'alice@example.com', primary: true, verified: true },
        { email: 'alice@old.example', primary: false, verified: false },
      ],
    });
  });

  afterAll(() => github?.stop());

  async function authorize() {
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL('/login/oauth/authorize', github.url);
    url.search = new URLSearchParams({
      client_id: 'gh-client',
      redirect_uri: redirectUri,
      state: 'state-1',
      scope: 'read:user user:email',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { verifier, callback: await github.signIn(url.href) };
  }

  function exchange(params: Record<string, string>) {
    return fetch(`${github.url}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'gh-client',
        client_secret: 'gh-secret',
        redirect_uri: redirectUri,
        ...params,
      }),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, string>,
    }));
  }

  it('signs the user in: authorize, token exchange with PKCE, then /user and /user/emails', async () => {
    const { verifier, callback } = await authorize();
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-1');

    const { body } = await exchange({ code: callback.searchParams.get('code')!, code_verifier: verifier });
    expect(body).toMatchObject({ token_type: 'bearer', scope: 'read:user,user:email' });

    const headers = { authorization: `Bearer ${body.access_token}`, accept: 'application/vnd.github+json' };
    const user = await fetch(`${github.apiUrl}/user`, { headers }).then((response) => response.json());
    expect(user).toMatchObject({ id: 4242, login: 'octo-alice', name: 'Alice', email: 'alice@example.com' });
    const emails = await fetch(`${github.apiUrl}/user/emails`, { headers }).then((response) =>
      response.json(),
    );
    expect(emails).toEqual([
      expect.objectContaining({ email: 'alice@example.com', primary: true, verified: true }),
      expect.objectContaining({ email: 'alice@old.example', primary: false, verified: false }),
    ]);
  });

  it('answers a wrong code_verifier with bad_verification_code (200, like GitHub) and spends the code', async () => {
    const { verifier, callback } = await authorize();
    const code = callback.searchParams.get('code')!;

    const wrong = await exchange({ code, code_verifier: randomBytes(32).toString('base64url') });
    expect(wrong).toEqual({ status: 200, body: expect.objectContaining({ error: 'bad_verification_code' }) });
    const retry = await exchange({ code, code_verifier: verifier });
    expect(retry.body.error).toBe('bad_verification_code');
  });

  it('refuses wrong client credentials and another redirect_uri', async () => {
    const first = await authorize();
    const badSecret = await exchange({
      code: first.callback.searchParams.get('code')!,
      code_verifier: first.verifier,
      client_secret: 'nope',
    });
    expect(badSecret.body.error).toBe('incorrect_client_credentials');

    const second = await authorize();
    const otherRedirect = await exchange({
      code: second.callback.searchParams.get('code')!,
      code_verifier: second.verifier,
      redirect_uri: 'http://127.0.0.1:1/elsewhere',
    });
    expect(otherRedirect.body.error).toBe('redirect_uri_mismatch');
  });

  it('refuses authorization requests without S256 PKCE or from an unknown client', async () => {
    const url = new URL('/login/oauth/authorize', github.url);
    url.search = new URLSearchParams({ client_id: 'gh-client', redirect_uri: redirectUri }).toString();
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
    url.searchParams.set('client_id', 'stranger');
    url.searchParams.set('code_challenge', 'x'.repeat(43));
    url.searchParams.set('code_challenge_method', 'S256');
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
  });

  it('answers 401 Bad credentials to unknown tokens and counts requests per path', async () => {
    const before = github.requests('/api/v3/user');
    const response = await fetch(`${github.apiUrl}/user`, {
      headers: { authorization: 'token gho_unknown' },
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Bad credentials' });
    expect(github.requests('/api/v3/user')).toBe(before + 1);
  });
});
