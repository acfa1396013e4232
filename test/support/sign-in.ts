import { GitHubStandIn, OidcProviderProcess } from '@tessera/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';

export type Browser = TestAgent;

let addresses = 0;

/**
 * A browser: keeps cookies, and comes from its own client address (the gateway trusts `X-Forwarded-For` from
 * loopback), so rate limits count per test browser as they would per person.
 */
export function browser(http: Parameters<typeof request.agent>[0]): Browser {
  addresses += 1;
  return request.agent(http).set('x-forwarded-for', `198.51.100.${addresses % 250}`);
}

function pathOf(url: string | URL): string {
  const parsed = new URL(url, 'http://unused.invalid');
  return `${parsed.pathname}${parsed.search}`;
}

/** The first half of a sign-in: Tessera's redirect to the provider; returns the provider's URL. */
export async function startSignIn(agent: Browser, path: string): Promise<string> {
  const response = await agent.get(path).expect(302);
  return response.headers.location;
}

/** The provider's redirect back, delivered to Tessera; returns Tessera's redirect (return_to or /signin?error=…). */
export async function deliverCallback(
  agent: Browser,
  callback: URL | string,
  path?: string,
): Promise<string> {
  const response = await agent.get(path ?? pathOf(callback)).expect(302);
  return response.headers.location;
}

export async function signInWithGitHub(
  agent: Browser,
  github: GitHubStandIn,
  returnTo = '/',
): Promise<string> {
  const authorize = await startSignIn(agent, `/auth/github?return_to=${encodeURIComponent(returnTo)}`);
  return deliverCallback(agent, await github.signIn(authorize));
}

export async function signInWithGoogle(
  agent: Browser,
  oidc: OidcProviderProcess,
  sub: string,
  start = '/auth/google',
) {
  const authorize = await startSignIn(agent, start);
  return deliverCallback(agent, await oidc.signIn(authorize, sub));
}

/** Exchanges the browser's session cookie for an access token. */
export async function accessToken(agent: Browser): Promise<string> {
  const response = await agent.post('/auth/token').expect(200);
  return response.body.access_token as string;
}
