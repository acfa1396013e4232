import { API_KEY_PEPPER_PURPOSE, Keyring, apiKeyHash, deriveKey, secretKeyId } from '@tessera/runtime';
import { GitHubStandIn, TestEnvironment, eventually, freePort } from '@tessera/testing';
import { RpcClient } from '@tessera/contracts';
import { JSONCodec, connect } from 'nats';
import { Client } from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { checkSecretAgreement } from '../apps/gateway/src/health/secret-agreement';
import { SECRET_DATA_KEY_PURPOSE } from '../apps/keys/src/secrets/secret-cipher';
import { InProcessPlatform } from './support/in-process-platform';
import { NodeProcess } from './support/run-node';

const codec = JSONCodec();
const newSecret = () => randomBytes(32).toString('base64url');
const SCHEMAS = ['identity', 'teams', 'keys', 'notifications'];

/**
 * Rotating `TESSERA_SECRET_KEY` as an operator does it (README, "Rotating TESSERA_SECRET_KEY"): start under A;
 * restart under B with A as previous; restart under B alone. Sessions, access tokens, signed cookies, API keys and
 * the stored signing key keep working throughout, and at the end nothing refers to A. A secret changed without
 * the previous one listed stops every service with one line that says what to do, not a crypto error.
 * Needs `npm run build` (the refusals are checked on the built services, run as processes).
 */
describe('rotating TESSERA_SECRET_KEY', () => {
  let environment: TestEnvironment;
  let github: GitHubStandIn;
  let platform: InProcessPlatform | undefined;
  const A = newSecret();
  const B = newSecret();

  beforeAll(async () => {
    [environment, github] = await Promise.all([
      TestEnvironment.start(),
      GitHubStandIn.start({ clientId: 'gh-client', clientSecret: 'gh-secret' }),
    ]);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([github?.stop(), environment?.stop()]);
  });

  async function startPlatform(secret: string, previous?: string): Promise<InProcessPlatform> {
    await platform?.stop();
    platform = await InProcessPlatform.start(environment, {
      TESSERA_SECRET_KEY: secret,
      ...(previous ? { TESSERA_SECRET_KEY_PREVIOUS: previous } : {}),
      TESSERA_GITHUB_URL: github.url,
      TESSERA_GITHUB_API_URL: github.apiUrl,
      TESSERA_GITHUB_CLIENT_ID: 'gh-client',
      TESSERA_GITHUB_CLIENT_SECRET: 'gh-secret',
      TESSERA_AUTH_RATE_LIMIT: '1000',
    });
    return platform;
  }

  async function stopPlatform(): Promise<void> {
    await platform?.stop();
    platform = undefined;
  }

  /**
   * What a service prints when it refuses to start under this configuration, run as its own process (its built
   * entry point) as an operator runs it. Fails if it starts instead.
   */
  async function refusalOf(name: string, overrides: Record<string, string>): Promise<string> {
    const service = NodeProcess.start(
      `apps/${name}/src/main.js`,
      environment.env({ TESSERA_LOG_LEVEL: 'info', ...overrides }),
    );
    const started = setTimeout(() => service.child.kill('SIGTERM'), 30_000);
    const code = await service.exited;
    clearTimeout(started);
    expect({ name, code }).toEqual({ name, code: 1 });
    return service.stdout + service.stderr;
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** The session (its refresh token rotates on each use) kept the way a browser keeps its cookie. */
  let sessionCookie = '';
  async function refresh(http: InProcessPlatform['http']): Promise<string> {
    const response = await request(http).post('/auth/token').set('cookie', sessionCookie).expect(200);
    sessionCookie = cookieHeader(response.headers['set-cookie']) || sessionCookie;
    return response.body.access_token as string;
  }

  async function keyRow(keyId: string) {
    const [row] = (await platform!.query(
      `SELECT hash, pepper_key_id FROM keys.key_secrets WHERE key_id = $1`,
      [keyId],
    )) as { hash: string; pepper_key_id: string }[];
    return row;
  }

  /** Asks the decision point, as an internal service does, whether the key may call models. */
  async function expectKeyAllowed(secret: string): Promise<void> {
    const nc = await connect({ servers: environment.nats.url });
    try {
      const reply = await nc.request(
        'tessera.authz.check',
        codec.encode({ authorization: `Key ${secret}`, action: 'models.call' }),
        { timeout: 5000 },
      );
      expect(codec.decode(reply.data)).toMatchObject({ allow: true });
    } finally {
      await nc.close();
    }
  }

  const hashUnder = (secret: string, key: string) =>
    apiKeyHash(deriveKey(secret, API_KEY_PEPPER_PURPOSE), key);

  it('keeps sessions, tokens, cookies, API keys and the signing key through A → B+A → B, then forgets A', async () => {
    // Under A: a person with a session, an access token, a half-finished sign-in (signed cookie) and two keys.
    let http = (await startPlatform(A)).http;
    sessionCookie = await signIn(http, github);
    const person = { token: await refresh(http), personalAccountId: '' };
    const accounts = await request(http).get('/v1/me/accounts').set(bearer(person.token)).expect(200);
    person.personalAccountId = accounts.body[0].id;
    const used = await createKey(http, person.token, person.personalAccountId, 'used');
    const dormant = await createKey(http, person.token, person.personalAccountId, 'dormant');
    const pendingSignIn = await request(http).get('/auth/github?return_to=/').expect(302);
    const stateCookie = cookieHeader(pendingSignIn.headers['set-cookie']);
    const [{ kid: signingKid }] = (await platform!.query(`SELECT kid FROM identity.signing_keys`)) as {
      kid: string;
    }[];

    // Under B with A previous: all of it still works, and what is stored moves to B.
    http = (await startPlatform(B, A)).http;
    await request(http).get('/v1/me').set(bearer(person.token)).expect(200);
    const refreshed = await refresh(http);
    await request(http).get('/v1/me').set(bearer(refreshed)).expect(200);
    await expectKeyAllowed(used.secret);
    expect(await keyRow(used.key.id)).toEqual({
      hash: hashUnder(B, used.secret),
      pepper_key_id: secretKeyId(B),
    });
    expect(await keyRow(dormant.key.id)).toEqual({
      hash: hashUnder(A, dormant.secret),
      pepper_key_id: secretKeyId(A),
    });
    const callback = await github.signIn(pendingSignIn.headers.location);
    const finished = await request(http).get(pathOf(callback)).set('cookie', stateCookie).expect(302);
    expect(finished.headers.location).toBe('/');
    const [signingKey] = (await platform!.query(
      `SELECT kid, private_key_encrypted FROM identity.signing_keys`,
    )) as { kid: string; private_key_encrypted: string }[];
    expect(signingKey.kid).toBe(signingKid);
    expect(signingKey.private_key_encrypted.startsWith(`v2.${secretKeyId(B)}.`)).toBe(true);
    await stopPlatform();

    // Dropping A while a key has not been used since the rotation would strand it: the keys service says so.
    const stranded = await refusalOf('keys', { TESSERA_SECRET_KEY: B });
    expect(stranded).toContain('TESSERA_SECRET_KEY_PREVIOUS is missing a secret API keys still need');
    expect(stranded).toContain(`1 key secret(s) hashed under secret ${secretKeyId(A)}`);

    // Once it has been used under B+A, B alone is enough: everything works, and nothing refers to A.
    http = (await startPlatform(B, A)).http;
    await expectKeyAllowed(dormant.secret);
    http = (await startPlatform(B)).http;
    await request(http).get('/v1/me').set(bearer(person.token)).expect(200);
    await request(http)
      .get('/v1/me')
      .set(bearer(await refresh(http)))
      .expect(200);
    for (const key of [used, dormant]) await expectKeyAllowed(key.secret);
    for (const schema of SCHEMAS)
      expect(await platform!.query(`SELECT key_id FROM ${schema}.secret_fingerprint`)).toEqual([
        { key_id: secretKeyId(B) },
      ]);
    expect(await platform!.query(`SELECT DISTINCT pepper_key_id FROM keys.key_secrets`)).toEqual([
      { pepper_key_id: secretKeyId(B) },
    ]);
    const sealed = (await platform!.query(`SELECT private_key_encrypted FROM identity.signing_keys`)) as {
      private_key_encrypted: string;
    }[];
    expect(sealed.every((row) => row.private_key_encrypted.startsWith(`v2.${secretKeyId(B)}.`))).toBe(true);
    await stopPlatform();
  });

  it('refuses to start any service under a secret that is neither current nor listed as previous', async () => {
    const C = newSecret();
    for (const name of SCHEMAS) {
      const refusal = await refusalOf(name, { TESSERA_SECRET_KEY: C });
      expect(refusal).toContain('TESSERA_SECRET_KEY has changed');
      expect(refusal).toContain(`the ${name} data is protected under secret ${secretKeyId(B)}`);
      expect(refusal).toContain('TESSERA_SECRET_KEY_PREVIOUS');
      expect(refusal).toContain('Rotating TESSERA_SECRET_KEY');
      expect(refusal).not.toMatch(/Unsupported state|unable to authenticate/);
    }
    // The refused starts changed nothing: the data is still recorded under B.
    const client = new Client({ connectionString: environment.database.url });
    await client.connect();
    try {
      for (const schema of SCHEMAS) {
        const { rows } = await client.query(`SELECT key_id FROM ${schema}.secret_fingerprint`);
        expect(rows).toEqual([{ key_id: secretKeyId(B) }]);
      }
    } finally {
      await client.end();
    }
  });

  it('stops a gateway whose secret the services do not share, and accepts one that matches', async () => {
    const running = await startPlatform(B);
    const rpc = running.gateway.get(RpcClient);
    const [a, b, c] = [A, B, newSecret()].map(secretKeyId);
    // Every service answers its health once it is through its first start; on a busy machine one may need longer.
    await eventually(
      async () =>
        expect(await checkSecretAgreement(rpc, [b], 2000)).toEqual({ outcome: 'agreed', services: SCHEMAS }),
      20_000,
    );
    // A gateway with a secret the services do not accept, or one that does not know theirs, is refused.
    expect((await checkSecretAgreement(rpc, [c, b], 2000)).outcome).toBe('mismatch');
    expect((await checkSecretAgreement(rpc, [a], 2000)).outcome).toBe('mismatch');

    const refusal = await refusalOf('gateway', {
      TESSERA_SECRET_KEY: newSecret(),
      TESSERA_HTTP_HOST: '127.0.0.1',
      TESSERA_HTTP_PORT: String(await freePort()),
    });
    expect(refusal).toContain('TESSERA_SECRET_KEY of the gateway');
    expect(refusal).toContain('TESSERA_SECRET_KEY_PREVIOUS');
    expect(refusal).toContain('Rotating TESSERA_SECRET_KEY');
    // Health over HTTP shows no secret ids.
    const shown = await request(running.http).get('/health/services/identity').expect(200);
    expect(shown.body.secretKeyIds).toBeUndefined();
    await stopPlatform();
  });

  it('keeps team secrets through B → C+B → C, wrapping their data keys again, and strands none', async () => {
    const C = newSecret();
    const { http } = await startPlatform(B);
    sessionCookie = await signIn(http, github);
    const token = await refresh(http);
    const team = (
      await request(http).post('/v1/teams').set(bearer(token)).send({ name: 'Vault' }).expect(201)
    ).body.id as string;
    await request(http)
      .put(`/v1/accounts/${team}/secrets/SIGNING_SECRET`)
      .set(bearer(token))
      .send({ value: 'kept across rotations' })
      .expect(200);
    const app = await createKey(http, token, team, 'app');
    expect(await dataKeysWrappedUnder()).toEqual([secretKeyId(B)]);
    // The earlier tests' keys are not used again: revoked, so that C alone may start without them.
    await platform!.query(`UPDATE keys.api_keys SET revoked_at = now() WHERE id <> $1`, [app.key.id]);

    await startPlatform(C, B);
    expect(await dataKeysWrappedUnder()).toEqual([secretKeyId(C)]);
    await expectSecretResolved(app.secret);
    await startPlatform(C);
    await expectSecretResolved(app.secret);
    await stopPlatform();

    // A data key wrapped under a secret no longer listed (by a process still running under it) stops keys.
    const gone = newSecret();
    const client = new Client({ connectionString: environment.database.url });
    await client.connect();
    try {
      const wrapped = new Keyring([gone]).seal(
        SECRET_DATA_KEY_PURPOSE,
        randomBytes(32).toString('base64url'),
      );
      await client.query(`INSERT INTO keys.secret_data_keys (account_id, wrapped_key) VALUES ($1, $2)`, [
        randomUUID(),
        wrapped,
      ]);
    } finally {
      await client.end();
    }
    const refusal = await refusalOf('keys', { TESSERA_SECRET_KEY: C });
    expect(refusal).toContain(
      'TESSERA_SECRET_KEY_PREVIOUS is missing a secret that team secrets still need: 1 account',
    );
  });

  async function dataKeysWrappedUnder(): Promise<string[]> {
    const rows = (await platform!.query(
      `SELECT split_part(wrapped_key, '.', 2) AS key_id FROM keys.secret_data_keys`,
    )) as { key_id: string }[];
    return rows.map((row) => row.key_id);
  }

  /** Reads the secret as a deployed app running with the key does. */
  async function expectSecretResolved(key: string): Promise<void> {
    const nc = await connect({ servers: environment.nats.url });
    try {
      const reply = await nc.request(
        'tessera.secrets.resolve',
        codec.encode({ authorization: `Key ${key}`, names: ['SIGNING_SECRET'] }),
        { timeout: 5000 },
      );
      expect(codec.decode(reply.data)).toMatchObject({
        secrets: { SIGNING_SECRET: 'kept across rotations' },
      });
    } finally {
      await nc.close();
    }
  }
});

async function createKey(http: InProcessPlatform['http'], token: string, accountId: string, name: string) {
  const response = await request(http)
    .post(`/v1/accounts/${accountId}/keys`)
    .set('authorization', `Bearer ${token}`)
    .send({ name, scope: 'API' })
    .expect(201);
  return response.body as { key: { id: string }; secret: string };
}

/** Signs a person in through the GitHub stand-in and answers the `Cookie` header that carries their session. */
async function signIn(http: InProcessPlatform['http'], github: GitHubStandIn): Promise<string> {
  github.setUser({
    id: 99_999,
    login: 'rotation',
    name: 'Rotation',
    emails: [{ email: 'rotation@example.com', primary: true, verified: true }],
  });
  const start = await request(http).get('/auth/github?return_to=/').expect(302);
  const callback = await github.signIn(start.headers.location);
  const done = await request(http)
    .get(pathOf(callback))
    .set('cookie', cookieHeader(start.headers['set-cookie']))
    .expect(302);
  return cookieHeader(done.headers['set-cookie']);
}

function cookieHeader(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list
    .map((cookie) => cookie.split(';')[0])
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

function pathOf(url: string | URL): string {
  const parsed = new URL(url, 'http://unused.invalid');
  return `${parsed.pathname}${parsed.search}`;
}
