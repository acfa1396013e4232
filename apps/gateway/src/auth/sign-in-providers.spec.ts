import { GatewayConfig } from '@tessera/config';
import { signInMethods } from './sign-in-providers';

const config = (values: Partial<GatewayConfig>) => ({ developmentSignIn: 'off', ...values }) as GatewayConfig;

describe('signInMethods: what GET /auth/providers and the sign-in page offer', () => {
  it('offers a provider only when both its client id and secret are configured', () => {
    expect(signInMethods(config({}))).toEqual([]);
    expect(signInMethods(config({ githubClientId: 'id' }))).toEqual([]);
    expect(
      signInMethods(config({ githubClientId: 'id', githubClientSecret: 's', googleClientId: 'g' })),
    ).toEqual([{ provider: 'github', label: 'GitHub', development: false }]);
  });

  it('names the embedded provider of a first run a development account', () => {
    expect(
      signInMethods(config({ googleClientId: 'dev', googleClientSecret: 'dev', developmentSignIn: 'on' })),
    ).toEqual([{ provider: 'google', label: 'a development account', development: true }]);
  });
});
