import { createHash, randomBytes } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import type { OidcContext } from 'oidc-provider';
import * as jose from 'jose';
import { html } from '@tessera/runtime';
import { page } from '../../apps/gateway/src/pages/html';

/** The embedded OpenID provider of a first run, and the client Tessera signs in with (as its Google provider). */
export interface DevelopmentProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

const CLIENT_ID = 'tessera-development';
const SCOPE = 'openid email profile';
const MAX_FORM_BYTES = 4096;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}$/;

interface Person {
  email: string;
  name: string;
}

/**
 * A real OpenID provider (`oidc-provider`, loaded only here) on a free loopback port: discovery, JWKS, the code
 * flow with PKCE, ID tokens with a verified e-mail. Its login form takes any name and e-mail, no password: whoever
 * reaches it is whoever they type, which is why only a loopback, non-production Tessera starts it. The same e-mail
 * is always the same subject, so a person finds their account again after a restart.
 */
export async function startDevelopmentProvider(redirectUri: string): Promise<DevelopmentProvider> {
  const { default: Provider } = await import('oidc-provider');
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const people = new Map<string, Person>();

  // Fresh keys on every start; nothing is kept, the accounts live in Tessera.
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await jose.exportJWK(privateKey)), alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: SCOPE.split(' '),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Like Google: the profile claims are in the ID token of the code flow too.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    // Tessera is this provider's only client: no consent screen, the scopes it asks for are granted.
    loadExistingGrant: async (ctx: OidcContext) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return provider.Grant.find(grantId);
      const grant = new provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const person = people.get(sub);
      return (
        person && {
          accountId: sub,
          claims: () => ({ sub, email: person.email, email_verified: true, name: person.name }),
        }
      );
    },
  });

  const oidc = provider.callback();
  const tesseraOrigin = new URL(redirectUri).origin;
  const reply = (response: ServerResponse, status: number, body: string): void =>
    answer(response, tesseraOrigin, status, body);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const login = /^\/interaction\/[\w-]+$/.exec(new URL(request.url ?? '/', issuer).pathname);
    if (!login) return oidc(request, response);
    void (async () => {
      await provider.interactionDetails(request, response); // no interaction (cookie) → throws
      if (request.method === 'GET') return reply(response, 200, loginPage());
      if (request.method !== 'POST') return reply(response, 405, loginPage());
      const form = new URLSearchParams(await readBody(request));
      const email = (form.get('email') ?? '').trim();
      const name = (form.get('name') ?? '').trim().slice(0, 100) || email.split('@')[0];
      if (!EMAIL.test(email))
        return reply(response, 400, loginPage('Type an e-mail address, like ada@example.com.', form));
      const sub = createHash('sha256').update(email.toLowerCase()).digest('base64url');
      people.set(sub, { email, name });
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId: sub } },
        { mergeWithLastSubmission: false },
      );
    })().catch(() => {
      if (!response.headersSent)
        reply(response, 400, page('Sign-in expired', html`<p>Go back to Tessera and sign in again.</p>`));
    });
  });

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret,
    close: () => closeServer(server),
  };
}

function loginPage(error?: string, form?: URLSearchParams): string {
  return page(
    'Development account',
    html`<p class="notice">For development only: any name and e-mail sign you in, without a password.</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post">
        <label for="name">Name</label>
        <input id="name" name="name" autocomplete="name" value="${form?.get('name') ?? ''}" />
        <label for="email">E-mail</label>
        <input
          id="email"
          name="email"
          type="email"
          required
          autocomplete="email"
          value="${form?.get('email') ?? ''}"
        />
        <button class="primary" type="submit">Sign in</button>
      </form>`,
  );
}

/** No scripts; the form may post here only, and its answer redirects back to Tessera (form-action covers redirects). */
function answer(response: ServerResponse, tesseraOrigin: string, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${tesseraOrigin}`,
    'cache-control': 'no-store',
  });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error('form too large');
  }
  return body;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((closed) => {
    server.close(() => closed());
    server.closeAllConnections();
  });
}
