import { BaseClient, Issuer, custom } from 'openid-client';
import { IdentityErrors } from '../../identity.errors';
import { AuthorizationRequest, ProviderProfile, SignInProviderClient } from './sign-in-provider';

export interface OidcSettings {
  provider: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

custom.setHttpOptionsDefaults({ timeout: 10_000 });

/**
 * Any OpenID Connect provider (Google by default) through `openid-client`: discovery, code flow with PKCE, state
 * and nonce; the ID token's signature, `iss`, `aud`, `exp` and `nonce` are checked by the library, and a verified
 * e-mail is required by us.
 */
export class OidcProvider implements SignInProviderClient {
  private client?: Promise<BaseClient>;

  constructor(private readonly settings: OidcSettings) {}

  async authorizationUrl({ state, codeChallenge, nonce }: AuthorizationRequest): Promise<string> {
    return (await this.discovered()).authorizationUrl({
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  async profile(
    params: Record<string, string>,
    attempt: { codeVerifier: string; nonce: string | null; state: string },
  ): Promise<ProviderProfile> {
    const client = await this.discovered();
    let claims;
    try {
      const tokens = await client.callback(this.settings.redirectUri, params, {
        state: attempt.state,
        nonce: attempt.nonce ?? undefined,
        code_verifier: attempt.codeVerifier,
        response_type: 'code',
      });
      claims = tokens.claims();
    } catch {
      throw IdentityErrors.signInFailed(this.settings.provider);
    }
    if (typeof claims.email !== 'string' || claims.email_verified !== true) {
      throw IdentityErrors.emailNotVerified(this.settings.provider);
    }
    return {
      subject: claims.sub,
      email: claims.email,
      emailVerified: true,
      name: typeof claims.name === 'string' ? claims.name : null,
    };
  }

  /** Discovery once, retried on the next sign-in if it failed (the provider may have been unreachable). */
  private discovered(): Promise<BaseClient> {
    this.client ??= Issuer.discover(this.settings.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: this.settings.clientId,
          client_secret: this.settings.clientSecret,
          redirect_uris: [this.settings.redirectUri],
          response_types: ['code'],
        }),
    );
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }
}
