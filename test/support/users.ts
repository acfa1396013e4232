import { GitHubStandIn } from '@tessera/testing';
import request from 'supertest';
import { accessToken, browser, signInWithGitHub } from './sign-in';

let nextId = 50_000;

export interface TestUser {
  id: string;
  email: string;
  token: string;
  personalAccountId: string;
}

/** A person who signed in through GitHub (the stand-in) with this verified e-mail, holding an access token. */
export async function signUp(
  http: Parameters<typeof request>[0],
  github: GitHubStandIn,
  email: string,
): Promise<TestUser> {
  nextId += 1;
  github.setUser({
    id: nextId,
    login: `u${nextId}`,
    name: `User ${nextId}`,
    emails: [{ email, primary: true, verified: true }],
  });
  const agent = browser(http);
  await signInWithGitHub(agent, github);
  const token = await accessToken(agent);
  const me = await request(http).get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
  const accounts = await request(http)
    .get('/v1/me/accounts')
    .set('authorization', `Bearer ${token}`)
    .expect(200);
  return { id: me.body.id, email, token, personalAccountId: accounts.body[0].id };
}
