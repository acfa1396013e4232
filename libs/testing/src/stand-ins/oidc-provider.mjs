// An OpenID provider for integration tests: the real `oidc-provider` (a certified implementation), on loopback
// with throw-away keys and a fixed account list. It runs as a child process because oidc-provider is ESM-only and
// the tests are CommonJS under jest. OidcProviderProcess (oidc-provider-process.ts) starts and drives it.
//
//   node oidc-provider.mjs '{"port":4000,"clients":[...],"accounts":[...]}'
//   (or the same JSON in TESSERA_OIDC_STAND_IN_SETTINGS)
//
// Prints `ready <issuer>` on stdout once it accepts connections.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const TOKEN_PATH = '/token';
const TAMPER_PATH = '/__stand-in/tamper';
const SIGNING_ALG = 'RS256'; // what relying parties (and openid-client) expect when a client registers no alg
const TAMPER_KEYS = new Set(['iss', 'aud', 'nonce', 'alg', 'unknownKey']);

const settings = JSON.parse(process.argv[2] ?? process.env.TESSERA_OIDC_STAND_IN_SETTINGS ?? 'null');
if (!settings || !Number.isInteger(settings.port) || !Array.isArray(settings.clients)) {
  process.stderr.write('usage: node oidc-provider.mjs \'{"port":N,"clients":[...],"accounts":[...]}\'\n');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${settings.port}`;
const accounts = new Map((settings.accounts ?? []).map((account) => [account.sub, account]));

// Fresh keys on every start: nothing a test sees can be replayed against another run. The private JWK stays in
// memory because the tamper hook re-signs ID tokens with it.
const { privateKey } = await jose.generateKeyPair(SIGNING_ALG, { extractable: true });
const signingJwk = await jose.exportJWK(privateKey);
signingJwk.kid = await jose.calculateJwkThumbprint(signingJwk);
signingJwk.alg = SIGNING_ALG;
signingJwk.use = 'sig';

/** Overrides for the ID tokens the token endpoint returns; undefined while nobody tampers. */
let tamper;

const provider = new Provider(issuer, {
  clients: settings.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // `web` clients may register http redirect URIs as long as they do not use the implicit flow (oidc-provider
    // only forbids http/localhost for implicit web clients), so loopback RPs need no special treatment.
    application_type: 'web',
    ...client,
  })),
  jwks: { keys: [signingJwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  routes: { token: TOKEN_PATH },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Like Google, put the profile claims in the ID token even for response_type=code (oidc-provider's default
  // keeps them for the userinfo endpoint only).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  findAccount: (_ctx, sub) => {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: () => ({ ...account, sub }) };
  },
});

provider.use(async (ctx, next) => {
  if (ctx.path === TAMPER_PATH) {
    if (ctx.method !== 'POST') ctx.throw(405);
    let overrides;
    try {
      overrides = JSON.parse((await readBody(ctx.req)) || '{}');
    } catch {
      ctx.throw(400, 'the body must be JSON');
    }
    const unknown = Object.keys(overrides).filter((key) => !TAMPER_KEYS.has(key));
    if (unknown.length) ctx.throw(400, `unknown tamper keys: ${unknown.join(', ')}`);
    if (overrides.alg !== undefined && overrides.alg !== 'none') ctx.throw(400, 'alg can only be "none"');
    tamper = Object.keys(overrides).length ? overrides : undefined;
    ctx.status = 204;
    return;
  }
  await next();
  if (tamper && ctx.path === TOKEN_PATH && ctx.status === 200 && typeof ctx.body?.id_token === 'string') {
    ctx.body = { ...ctx.body, id_token: await reissue(ctx.body.id_token, tamper) };
  }
});

async function reissue(idToken, overrides) {
  const payload = jose.decodeJwt(idToken);
  for (const claim of ['iss', 'aud', 'nonce']) {
    if (overrides[claim] !== undefined) payload[claim] = overrides[claim];
  }
  if (overrides.alg === 'none') return new jose.UnsecuredJWT(payload).encode();
  // An unknown key still claims the provider's kid: the relying party finds "its" key and must notice that the
  // signature does not verify, rather than merely failing a key lookup.
  const key = overrides.unknownKey ? (await jose.generateKeyPair(SIGNING_ALG)).privateKey : privateKey;
  return new jose.SignJWT(payload).setProtectedHeader({ alg: SIGNING_ALG, kid: signingJwk.kid }).sign(key);
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// The parent holds our stdin open: when it goes away (even killed without running its exit hooks) the pipe
// closes and so do we, instead of lingering on the port.
process.stdin.on('end', () => process.exit(0)).on('close', () => process.exit(0));
process.stdin.resume();

const server = createServer(provider.callback());
server.listen(settings.port, '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
