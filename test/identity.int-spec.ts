import { EVENTS_STREAM, RpcClient, TesseraError } from '@tessera/contracts';
import { CommandTokenSigner, natsCredentials } from '@tessera/runtime';
import { GitHubStandIn, OidcProviderProcess, TestEnvironment, eventually } from '@tessera/testing';
import { connect } from 'nats';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { ExpiredRowsSweepJob } from '../apps/identity/src/housekeeping/expired-rows-sweep.job';
import { InProcessPlatform } from './support/in-process-platform';
import {
  accessToken,
  browser,
  deliverCallback,
  signInWithGitHub,
  signInWithGoogle,
  startSignIn,
} from './support/sign-in';

const PUBLIC_URL = 'http://localhost:3000';
/** The signing key is configured here (TESSERA_JWT_PRIVATE_KEY), so tests can mint tokens an attacker could not. */
const SIGNING_KEY = generateKeyPairSync('ed25519').privateKey;
const GOOGLE_CLIENT = { client_id: 'tessera-test', client_secret: 'google-test-secret' };

let nextGitHubId = 1000;

/** A cookie's raw value from a response's Set-Cookie headers. */
function cookie(response: { headers: Record<string, unknown> }, name: string): string {
  const headers = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  const found = headers.find((header) => header.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(headers)}`);
  return found.slice(name.length + 1).split(';')[0];
}
function gitHubUser(email: string, verified = true) {
  nextGitHubId += 1;
  return {
    id: nextGitHubId,
    login: `user${nextGitHubId}`,
    name: `User ${nextGitHubId}`,
    emails: [{ email, primary: true, verified }],
  };
}

describe('identity: sign-in, sessions, tokens and device login', () => {
  let environment: TestEnvironment;
  let platform: InProcessPlatform;
  let github: GitHubStandIn;
  let oidc: OidcProviderProcess;

  beforeAll(async () => {
    [environment, github, oidc] = await Promise.all([
      TestEnvironment.start(),
      GitHubStandIn.start({ clientId: 'gh-client', clientSecret: 'gh-secret', apiPrefix: '/api/v3' }),
      OidcProviderProcess.start({
        clients: [{ ...GOOGLE_CLIENT, redirect_uris: [`${PUBLIC_URL}/auth/google/callback`] }],
        accounts: [
          { sub: 'g-alice', email: 'alice@example.com', email_verified: true, name: 'Alice' },
          { sub: 'g-unverified', email: 'mallory@example.com', email_verified: false },
          { sub: 'g-carol', email: 'carol@example.com', email_verified: true, name: 'Carol' },
          { sub: 'g-dave', email: 'dave@example.com', email_verified: true, name: 'Dave' },
        ],
      }),
    ]);
    platform = await InProcessPlatform.start(environment, {
      TESSERA_PUBLIC_URL: PUBLIC_URL,
      TESSERA_GITHUB_URL: github.url,
      TESSERA_GITHUB_API_URL: github.apiUrl,
      TESSERA_GITHUB_CLIENT_ID: 'gh-client',
      TESSERA_GITHUB_CLIENT_SECRET: 'gh-secret',
      TESSERA_GOOGLE_ISSUER: oidc.issuer,
      TESSERA_GOOGLE_CLIENT_ID: GOOGLE_CLIENT.client_id,
      TESSERA_GOOGLE_CLIENT_SECRET: GOOGLE_CLIENT.client_secret,
      TESSERA_AUTH_RATE_LIMIT: '40',
      TESSERA_JWT_PRIVATE_KEY: SIGNING_KEY.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
  });

  afterEach(() => oidc.tamper({}));

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([github?.stop(), oidc?.stop(), environment?.stop()]);
  });

  /** The newest event on a subject in the events stream (written through identity's outbox). */
  async function lastEvent(subject: string): Promise<{ type: string; data: Record<string, unknown> }> {
    const nc = await connect({ servers: environment.nats.url });
    try {
      const message = await (
        await nc.jetstreamManager()
      ).streams.getMessage(EVENTS_STREAM, { last_by_subj: subject });
      return message.json();
    } finally {
      await nc.close();
    }
  }

  async function signedIn(email: string) {
    github.setUser(gitHubUser(email));
    const agent = browser(platform.http);
    await signInWithGitHub(agent, github);
    return agent;
  }

  const me = (token: string) => request(platform.http).get('/v1/me').set('authorization', `Bearer ${token}`);

  describe('GitHub', () => {
    it('creates the user and their personal account at first sign-in, and reuses them after', async () => {
      github.setUser(gitHubUser('first@example.com'));
      const agent = browser(platform.http);
      expect(await signInWithGitHub(agent, github, '/dashboard?tab=keys')).toBe('/dashboard?tab=keys');
      const token = await accessToken(agent);
      const first = await me(token).expect(200);
      expect(first.body).toMatchObject({ email: 'first@example.com', identities: [{ provider: 'github' }] });
      const accounts = await request(platform.http)
        .get('/v1/me/accounts')
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect(accounts.body).toEqual([expect.objectContaining({ kind: 'personal', role: 'admin' })]);
      const created = await eventually(() => lastEvent('tessera.events.identity.user.created'));
      expect(created.data).toEqual({ userId: first.body.id, email: 'first@example.com', provider: 'github' });

      const again = browser(platform.http);
      await signInWithGitHub(again, github);
      const second = await me(await accessToken(again)).expect(200);
      expect(second.body.id).toBe(first.body.id);
      const accountsAgain = await request(platform.http)
        .get('/v1/me/accounts')
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect(accountsAgain.body).toEqual(accounts.body);
    });

    it('refuses a primary e-mail that GitHub has not verified', async () => {
      github.setUser(gitHubUser('unverified@example.com', false));
      expect(await signInWithGitHub(browser(platform.http), github)).toBe('/signin?error=email_not_verified');
    });

    it('works against a GitHub Enterprise-style API prefix (the stand-in serves /api/v3)', () => {
      expect(github.apiUrl).toMatch(/\/api\/v3$/);
    });
  });

  describe('Google (OpenID Connect)', () => {
    it('signs in with a verified e-mail and creates the personal account', async () => {
      const agent = browser(platform.http);
      expect(await signInWithGoogle(agent, oidc, 'g-alice')).toBe('/');
      const user = await me(await accessToken(agent)).expect(200);
      expect(user.body).toMatchObject({ email: 'alice@example.com', name: 'Alice' });
    });

    it('refuses an unverified e-mail', async () => {
      expect(await signInWithGoogle(browser(platform.http), oidc, 'g-unverified')).toBe(
        '/signin?error=email_not_verified',
      );
    });

    it.each([
      ['a wrong nonce', { nonce: 'not-the-nonce' }],
      ['a wrong issuer', { iss: 'https://evil.example' }],
      ['a wrong audience', { aud: 'someone-else' }],
      ['an unknown signing key', { unknownKey: true as const }],
      ['no signature (alg none)', { alg: 'none' as const }],
    ])('refuses an ID token with %s', async (_, tamper) => {
      await oidc.tamper(tamper);
      expect(await signInWithGoogle(browser(platform.http), oidc, 'g-carol')).toBe(
        '/signin?error=signin_failed',
      );
    });

    it('does not merge an e-mail that already signs in with GitHub, and lets the owner link it', async () => {
      github.setUser(gitHubUser('dave@example.com'));
      const dave = browser(platform.http);
      await signInWithGitHub(dave, github);

      expect(await signInWithGoogle(browser(platform.http), oidc, 'g-dave')).toBe(
        '/signin?error=account_exists_with_different_provider',
      );

      expect(await signInWithGoogle(dave, oidc, 'g-dave', '/auth/google?link=1&return_to=/settings')).toBe(
        '/settings',
      );
      const token = await accessToken(dave);
      const linked = await me(token).expect(200);
      expect(linked.body.identities.map((i: { provider: string }) => i.provider).sort()).toEqual([
        'github',
        'google',
      ]);

      // Now either method signs in as the same user.
      const viaGoogle = browser(platform.http);
      await signInWithGoogle(viaGoogle, oidc, 'g-dave');
      expect((await me(await accessToken(viaGoogle)).expect(200)).body.id).toBe(linked.body.id);

      const unlink = (provider: string) =>
        request(platform.http)
          .delete(`/v1/me/identities/${provider}`)
          .set('authorization', `Bearer ${token}`);
      expect((await unlink('google').expect(200)).body.identities).toHaveLength(1);
      expect((await unlink('github').expect(409)).body.error.code).toBe('last_identity');
    });
  });

  describe('attacks on the sign-in flow', () => {
    it('refuses a callback without the state cookie (a flow started in another browser)', async () => {
      github.setUser(gitHubUser('victim@example.com'));
      const authorize = await startSignIn(browser(platform.http), '/auth/github');
      const callback = await github.signIn(authorize);
      expect(await deliverCallback(browser(platform.http), callback)).toBe('/signin?error=invalid_state');
    });

    it('refuses a callback whose state does not match the cookie, or has none', async () => {
      github.setUser(gitHubUser('mismatch@example.com'));
      const agent = browser(platform.http);
      const callback = await github.signIn(await startSignIn(agent, '/auth/github'));
      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-state');
      expect(await deliverCallback(agent, forged)).toBe('/signin?error=invalid_state');
      const agent2 = browser(platform.http);
      const withoutState = new URL(await github.signIn(await startSignIn(agent2, '/auth/github')));
      withoutState.searchParams.delete('state');
      expect(await deliverCallback(agent2, withoutState)).toBe('/signin?error=invalid_state');
    });

    it('refuses a replayed callback: a state is single-use', async () => {
      github.setUser(gitHubUser('replay@example.com'));
      const agent = browser(platform.http);
      const started = await agent.get('/auth/github').expect(302);
      const signinCookie = cookie(started, 'tessera_signin');
      const callback = await github.signIn(started.headers.location);
      expect(await deliverCallback(agent, callback)).toBe('/');
      // The attacker replays the same callback with the same (captured) state cookie.
      const replay = request(platform.http)
        .get(`${callback.pathname}${callback.search}`)
        .set('cookie', `tessera_signin=${signinCookie}`);
      expect((await replay.expect(302)).headers.location).toBe('/signin?error=invalid_state');
    });

    it('binds the code to its PKCE verifier: a code injected into another attempt is refused', async () => {
      github.setUser(gitHubUser('pkce@example.com'));
      const attacker = browser(platform.http);
      const victim = browser(platform.http);
      const attackerCallback = await github.signIn(await startSignIn(attacker, '/auth/github'));
      const victimCallback = await github.signIn(await startSignIn(victim, '/auth/github'));
      const injected = new URL(victimCallback);
      injected.searchParams.set('code', attackerCallback.searchParams.get('code')!);
      const tokenRequests = github.requests('/login/oauth/access_token');
      expect(await deliverCallback(victim, injected)).toBe('/signin?error=signin_failed');
      expect(github.requests('/login/oauth/access_token')).toBe(tokenRequests + 1); // refused by GitHub's PKCE check
    });

    it('refuses a GitHub callback delivered to the Google callback (mix-up)', async () => {
      github.setUser(gitHubUser('mixup@example.com'));
      const agent = browser(platform.http);
      const callback = await github.signIn(await startSignIn(agent, '/auth/github'));
      const tokenRequests = github.requests('/login/oauth/access_token');
      expect(await deliverCallback(agent, callback, `/auth/google/callback${callback.search}`)).toBe(
        '/signin?error=invalid_state',
      );
      expect(github.requests('/login/oauth/access_token')).toBe(tokenRequests);
    });

    it.each(['//evil.example', '/\\evil.example', 'https://elsewhere.example', '/a/../..'])(
      'sends the browser to / instead of the open redirect %s',
      async (returnTo) => {
        github.setUser(gitHubUser(`redirect${nextGitHubId}@example.com`));
        expect(await signInWithGitHub(browser(platform.http), github, returnTo)).toBe('/');
      },
    );

    it('rate limits sign-in attempts per client address with 429 and Retry-After', async () => {
      const agent = browser(platform.http);
      const statuses: number[] = [];
      let limited;
      for (let i = 0; i < 45 && !limited; i += 1) {
        const response = await agent.post('/auth/device/code').send({});
        statuses.push(response.status);
        if (response.status === 429) limited = response;
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(40);
      expect(limited!.body.error.code).toBe('rate_limited');
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
      // Another address is not affected.
      await browser(platform.http).post('/auth/device/code').send({}).expect(200);
    });
  });

  describe('sessions and tokens', () => {
    it('issues short-lived EdDSA access tokens verifiable with the published JWKS', async () => {
      const agent = await signedIn('jwt@example.com');
      const response = await agent.post('/auth/token').expect(200);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 600,
      });
      expect(String(response.headers['set-cookie'])).toMatch(/tessera_session=.*HttpOnly.*SameSite=Lax/);
      const claims = decodeJwt(response.body.access_token);
      expect(claims).toMatchObject({
        iss: PUBLIC_URL,
        aud: 'tessera',
        sub: expect.any(String),
        sid: expect.any(String),
      });
      const jwks = await request(platform.http).get('/auth/jwks').expect(200);
      expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      expect(JSON.stringify(jwks.body)).not.toContain('"d"');
    });

    it('rotates the refresh token on every use, and revokes the whole session when an old one is replayed', async () => {
      github.setUser(gitHubUser('rotation@example.com'));
      const agent = browser(platform.http);
      const callback = await github.signIn(await startSignIn(agent, '/auth/github'));
      const signedInResponse = await agent.get(`${callback.pathname}${callback.search}`).expect(302);
      const stolen = decodeURIComponent(cookie(signedInResponse, 'tessera_session'));
      const token = await accessToken(agent); // rotates: `stolen` is now an old token
      await me(token).expect(200);

      const replay = await request(platform.http)
        .post('/auth/token')
        .send({ refresh_token: stolen })
        .expect(400);
      expect(replay.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      // The legitimate browser's newer refresh token dies with the session, and so does its access token.
      await agent.post('/auth/token').expect(400);
      await eventually(() => me(token).expect(401), 1000);
    });

    it('logs out: the session is revoked and its access token stops working within a second', async () => {
      const agent = await signedIn('logout@example.com');
      const token = await accessToken(agent);
      await me(token).expect(200);
      await agent.post('/auth/logout').expect(204);
      const started = Date.now();
      const refused = await eventually(() => me(token).expect(401), 1000);
      expect(refused.body.error.code).toBe('invalid_token');
      expect(Date.now() - started).toBeLessThan(1000);
      await agent.post('/auth/token').expect(400);
      await eventually(async () => {
        const revoked = await lastEvent('tessera.events.identity.session.revoked');
        expect(revoked.data).toMatchObject({ sessionId: decodeJwt(token).sid, reason: 'logout' });
      });
    });

    it('refuses a logout by cookie posted from another site, and the session lives on', async () => {
      const agent = await signedIn('logout-csrf@example.com');
      for (const [header, value] of [
        ['origin', 'https://evil.example'],
        ['sec-fetch-site', 'cross-site'],
      ]) {
        const refused = await agent.post('/auth/logout').set(header, value).expect(403);
        expect(refused.body.error.code).toBe('cross_site_request');
      }
      await agent.post('/auth/token').expect(200);
      await agent.post('/auth/logout').set('sec-fetch-site', 'same-origin').expect(204);
    });

    it('lists sessions and revokes one of them by id', async () => {
      github.setUser(gitHubUser('twodevices@example.com'));
      const laptop = browser(platform.http);
      const phone = browser(platform.http);
      await signInWithGitHub(laptop, github);
      await signInWithGitHub(phone, github);
      const laptopToken = await accessToken(laptop);
      const phoneToken = await accessToken(phone);
      const sessions = await request(platform.http)
        .get('/v1/me/sessions')
        .set('authorization', `Bearer ${laptopToken}`)
        .expect(200);
      expect(sessions.body).toHaveLength(2);
      const phoneSession = sessions.body.find((s: { current: boolean }) => !s.current);
      await request(platform.http)
        .delete(`/v1/me/sessions/${phoneSession.id}`)
        .set('authorization', `Bearer ${laptopToken}`)
        .expect(204);
      await eventually(() => me(phoneToken).expect(401), 1000);
      await me(laptopToken).expect(200);
    });

    it('acts for the personal account unless X-Tessera-Account names another one the user belongs to', async () => {
      const alice = await signedIn('acting-alice@example.com');
      const bob = await signedIn('acting-bob@example.com');
      const aliceToken = await accessToken(alice);
      const bobToken = await accessToken(bob);
      const [bobsPersonal] = (
        await request(platform.http)
          .get('/v1/me/accounts')
          .set('authorization', `Bearer ${bobToken}`)
          .expect(200)
      ).body;
      const refused = await me(aliceToken).set('x-tessera-account', bobsPersonal.id).expect(403);
      expect(refused.body.error.code).toBe('not_a_member');
      await me(aliceToken).set('x-tessera-account', 'not-a-uuid').expect(403);
    });

    it('refuses missing, garbled, expired, unknown-key and unsigned tokens with 401', async () => {
      const missing = await request(platform.http).get('/v1/me').expect(401);
      expect(missing.body.error.code).toBe('unauthenticated');
      expect((await me('garbage').expect(401)).body.error.code).toBe('invalid_token');

      const { privateKey } = generateKeyPairSync('ed25519');
      const claims = { sid: '00000000-0000-7000-8000-000000000000' };
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'attacker-key' })
        .setIssuer(PUBLIC_URL)
        .setAudience('tessera')
        .setSubject('00000000-0000-7000-8000-000000000001')
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await me(forged).expect(401)).body.error.code).toBe('invalid_token');

      // Signed with Tessera's own key, but expired.
      const valid = await accessToken(await signedIn('expired@example.com'));
      const { kid } = decodeProtectedHeader(valid);
      const expired = await new SignJWT({ sid: decodeJwt(valid).sid })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
        .setIssuer(PUBLIC_URL)
        .setAudience('tessera')
        .setSubject(decodeJwt(valid).sub!)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 1200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 600)
        .sign(SIGNING_KEY);
      await me(valid).expect(200);
      expect((await me(expired).expect(401)).body.error.code).toBe('invalid_token');

      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const unsigned = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({
        ...claims,
        iss: PUBLIC_URL,
        aud: 'tessera',
        sub: '00000000-0000-7000-8000-000000000001',
        exp: Math.floor(Date.now() / 1000) + 300,
      })}.`;
      expect((await me(unsigned).expect(401)).body.error.code).toBe('invalid_token');
    });
  });

  describe('payloads checked at both edges', () => {
    it('answers a malformed session id with validation_failed naming the parameter', async () => {
      const token = await accessToken(await signedIn('malformed-id@example.com'));
      const refused = await request(platform.http)
        .delete('/v1/me/sessions/not-a-uuid')
        .set('authorization', `Bearer ${token}`)
        .expect(400);
      expect(refused.body.error).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'id', message: 'Must be a UUID.' }],
      });
    });

    it('refuses an unknown field in a device decision, naming it', async () => {
      const person = await signedIn('unknown-field@example.com');
      const refused = await person
        .post('/auth/device/approve')
        .send({ user_code: 'BCDF-GHJK', acount_id: 'typo' })
        .expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.details[0].message).toMatch(/acount_id/);
    });

    it('answers a token request its schema refuses the OAuth way, as invalid_request', async () => {
      const refused = await request(platform.http)
        .post('/auth/device/token')
        .type('form')
        .send({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code' })
        .expect(400);
      expect(refused.body).toEqual({
        error: 'invalid_request',
        error_description: expect.stringMatching(/device_code/),
      });
      expect(refused.headers['cache-control']).toBe('no-store');
    });

    it('refuses a malformed request on NATS before the handler, with field paths', async () => {
      const nc = await connect({ servers: environment.nats.url, ...natsCredentials(platform.config) });
      try {
        const rpc = new RpcClient(nc, {
          timeoutMs: 5000,
          signer: new CommandTokenSigner([environment.secretKey]),
        });
        const refused = await rpc
          .request('tessera.identity.device.decide', {
            userCode: 'BCDF-GHJK',
            userId: 'nobody',
            sessionId: 'nothing',
            approve: true,
          })
          .catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(TesseraError);
        expect((refused as TesseraError).code).toBe('validation_failed');
        expect((refused as TesseraError).details?.map((detail) => detail.path)).toEqual([
          'userId',
          'sessionId',
        ]);
      } finally {
        await nc.close();
      }
    });
  });

  describe('device login for the CLI (RFC 8628)', () => {
    const poll = (deviceCode: string) =>
      request(platform.http)
        .post('/auth/device/token')
        .type('form')
        .send({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode });

    /** As if the CLI had waited its interval: polls are only answered once per interval. */
    const pollingIntervalPassed = () =>
      platform.query(`UPDATE identity.device_grants SET last_polled_at = now() - interval '1 minute'`);

    async function newDeviceCode() {
      const response = await request(platform.http)
        .post('/auth/device/code')
        .set('x-forwarded-for', '192.0.2.10')
        .send({ client_id: 'tessera-cli' })
        .expect(200);
      return response.body;
    }

    it('goes pending → approved (for the chosen account) → tokens, once', async () => {
      const code = await newDeviceCode();
      expect(code).toMatchObject({
        device_code: expect.any(String),
        user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/),
        verification_uri: `${PUBLIC_URL}/device`,
        verification_uri_complete: `${PUBLIC_URL}/device?user_code=${code.user_code}`,
        expires_in: 600,
        interval: 5,
      });
      expect((await poll(code.device_code).expect(400)).body.error).toBe('authorization_pending');

      github.setUser(gitHubUser('cli@example.com'));
      const person = browser(platform.http);
      const page = await person.get(`/device?user_code=${code.user_code}`).expect(302);
      expect(page.headers.location).toBe(
        `/signin?return_to=${encodeURIComponent(`/device?user_code=${code.user_code}`)}`,
      );
      await signInWithGitHub(person, github, `/device?user_code=${code.user_code}`);
      const approval = await person.get(`/device?user_code=${code.user_code}`).expect(200);
      expect(approval.text).toContain(code.user_code);
      const accountId = /name="account_id">\s*<option value="([^"]+)"/.exec(approval.text)![1];

      await person
        .post('/auth/device/approve')
        .send({ user_code: code.user_code, account_id: accountId })
        .expect(200);
      await pollingIntervalPassed();
      const tokens = (await poll(code.device_code).expect(200)).body;
      expect(tokens).toMatchObject({ token_type: 'Bearer', refresh_token: expect.stringMatching(/^tsr_/) });
      expect(decodeJwt(tokens.access_token).acc).toBe(accountId);
      await me(tokens.access_token).expect(200);
      // The grant gives tokens once.
      await pollingIntervalPassed();
      expect((await poll(code.device_code).expect(400)).body.error).toBe('invalid_grant');
      // The CLI refreshes with the body form and gets a rotated refresh token back.
      const refreshed = await request(platform.http)
        .post('/auth/token')
        .send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
        .expect(200);
      expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
    });

    it('answers slow_down to a client that polls faster than the interval', async () => {
      const code = await newDeviceCode();
      await poll(code.device_code).expect(400);
      expect((await poll(code.device_code).expect(400)).body.error).toBe('slow_down');
    });

    it('answers access_denied after the person denies, and expired_token after expiry', async () => {
      github.setUser(gitHubUser('deny@example.com'));
      const person = browser(platform.http);
      await signInWithGitHub(person, github);
      const denied = await newDeviceCode();
      await person.post('/auth/device/deny').send({ user_code: denied.user_code.toLowerCase() }).expect(200);
      expect((await poll(denied.device_code).expect(400)).body.error).toBe('access_denied');

      const expired = await newDeviceCode();
      await platform.query(`UPDATE identity.device_grants SET expires_at = now() - interval '1 second'`);
      expect((await poll(expired.device_code).expect(400)).body.error).toBe('expired_token');
      const late = await person
        .post('/auth/device/approve')
        .send({ user_code: expired.user_code })
        .expect(404);
      expect(late.body.error.code).toBe('invalid_user_code');
    });

    it('lets a user code come round again once its grant is decided: approval acts on the pending one', async () => {
      github.setUser(gitHubUser('reused-code@example.com'));
      const person = browser(platform.http);
      await signInWithGitHub(person, github);
      const first = await newDeviceCode();
      await person.post('/auth/device/deny').send({ user_code: first.user_code }).expect(200);
      const second = await newDeviceCode();
      // The draw repeats a decided grant's code (1 in 20^8 by chance; forced here).
      await platform.query(
        `UPDATE identity.device_grants SET user_code = $1 WHERE user_code = $2 AND status = 'pending'`,
        [first.user_code.replace('-', ''), second.user_code.replace('-', '')],
      );
      await person.post('/auth/device/approve').send({ user_code: first.user_code }).expect(200);
      expect((await poll(first.device_code).expect(400)).body.error).toBe('access_denied');
      await pollingIntervalPassed();
      expect((await poll(second.device_code).expect(200)).body.token_type).toBe('Bearer');
      // Two pending grants still cannot share one.
      const third = await newDeviceCode();
      const fourth = await newDeviceCode();
      await expect(
        platform.query(`UPDATE identity.device_grants SET user_code = $1 WHERE user_code = $2`, [
          third.user_code.replace('-', ''),
          fourth.user_code.replace('-', ''),
        ]),
      ).rejects.toThrow(/device_grants_pending_user_code/);
    });

    it('sweeps expired sign-in attempts (an invitation link in return_to) and device grants past their grace', async () => {
      const invitationReturn = '/invitations/accept?token=tsi_secret-link';
      const expiredAttempt = browser(platform.http);
      await startSignIn(expiredAttempt, `/auth/github?return_to=${encodeURIComponent(invitationReturn)}`);
      await platform.query(
        `UPDATE identity.signin_attempts SET expires_at = now() - interval '1 second' WHERE return_to = $1`,
        [invitationReturn],
      );
      await startSignIn(browser(platform.http), `/auth/github?return_to=${encodeURIComponent('/live')}`);
      const old = await newDeviceCode();
      const recent = await newDeviceCode();
      const live = await newDeviceCode();
      const setExpiry = (code: string, interval: string) =>
        platform.query(
          `UPDATE identity.device_grants SET expires_at = now() - $1::interval WHERE user_code = $2`,
          [interval, code.replace('-', '')],
        );
      await setExpiry(old.user_code, '2 hours');
      await setExpiry(recent.user_code, '1 minute');

      await platform.provider('identity', ExpiredRowsSweepJob).sweep();

      const attempts = (await platform.query(`SELECT return_to FROM identity.signin_attempts`)) as {
        return_to: string;
      }[];
      expect(attempts.map((row) => row.return_to)).not.toContain(invitationReturn);
      expect(attempts.map((row) => row.return_to)).toContain('/live');
      const codes = (
        (await platform.query(`SELECT user_code FROM identity.device_grants`)) as {
          user_code: string;
        }[]
      ).map((row) => row.user_code);
      expect(codes).not.toContain(old.user_code.replace('-', ''));
      // Within the grace the CLI still hears why its grant ended.
      expect(codes).toEqual(expect.arrayContaining([recent, live].map((c) => c.user_code.replace('-', ''))));
      expect((await poll(recent.device_code).expect(400)).body.error).toBe('expired_token');
    });

    it('refuses approval without a browser session, or posted from another site', async () => {
      const code = await newDeviceCode();
      const anonymous = await request(platform.http)
        .post('/auth/device/approve')
        .send({ user_code: code.user_code });
      expect(anonymous.status).toBe(401);
      github.setUser(gitHubUser('csrf@example.com'));
      const person = browser(platform.http);
      await signInWithGitHub(person, github);
      const crossSite = await person
        .post('/auth/device/approve')
        .set('origin', 'https://evil.example')
        .send({ user_code: code.user_code });
      expect(crossSite.status).toBe(403);
      expect(crossSite.body.error.code).toBe('cross_site_request');
    });
  });
});
