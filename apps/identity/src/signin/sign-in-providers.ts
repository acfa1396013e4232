import { ServiceConfig } from '@tessera/config';
import { SignInProvider } from '@tessera/contracts';
import { GitHubProvider } from './providers/github.provider';
import { OidcProvider } from './providers/oidc.provider';
import { SignInProviderClient } from './providers/sign-in-provider';

export const SIGN_IN_PROVIDERS = Symbol('SIGN_IN_PROVIDERS');
export type SignInProviders = Partial<Record<SignInProvider, SignInProviderClient>>;

export function callbackUrl(config: ServiceConfig, provider: SignInProvider): string {
  return new URL(`/auth/${provider}/callback`, config.publicUrl).toString();
}

/** One entry per configured provider; a provider without its client id and secret is simply absent (off). */
export function signInProviders(config: ServiceConfig): SignInProviders {
  const providers: SignInProviders = {};
  if (config.githubClientId && config.githubClientSecret) {
    providers.github = new GitHubProvider({
      webUrl: config.githubUrl,
      apiUrl: config.githubApiUrl,
      clientId: config.githubClientId,
      clientSecret: config.githubClientSecret,
      redirectUri: callbackUrl(config, 'github'),
    });
  }
  if (config.googleClientId && config.googleClientSecret) {
    providers.google = new OidcProvider({
      provider: 'google',
      issuer: config.googleIssuer,
      clientId: config.googleClientId,
      clientSecret: config.googleClientSecret,
      redirectUri: callbackUrl(config, 'google'),
    });
  }
  return providers;
}
