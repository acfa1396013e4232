import type { TokenGrant } from '@tessera/contracts';
import { NotSignedInError, TesseraApiError } from './errors';
import { ClientEnvironment } from './environment';
import { post } from './http';
import { REFRESH_TIMEOUT_MS } from './lock-file';
import { Profile, SavedLogin, TesseraHome } from './store';

/** Refresh a little before expiry, so a token does not expire between the check and the request. */
const EXPIRY_MARGIN_MS = 30_000;

export type CredentialSource = 'TESSERA_KEY' | 'profile' | 'login';

/** What requests are authenticated with, where it came from, and a sentence saying why it was chosen. */
export interface Credential {
  type: 'key' | 'bearer';
  source: CredentialSource;
  why: string;
  /** The `Authorization` header value. */
  authorization(): Promise<string>;
  /** After a 401 `invalid_token`: gets a fresh token if it can; false if retrying would not help. */
  renew(): Promise<boolean>;
}

function keyCredential(key: string, source: CredentialSource, why: string): Credential {
  return { type: 'key', source, why, authorization: async () => `Key ${key}`, renew: async () => false };
}

/**
 * The credential order of the platform's SDKs: `TESSERA_KEY`, then the profile's key, then the login saved by
 * `tessera auth login`. `TESSERA_FORCE_AUTH_BY_USER=1` skips both keys.
 */
export async function chooseCredential(
  env: ClientEnvironment,
  home: TesseraHome,
  profileName: string,
  profile: Profile,
  host: string,
): Promise<Credential> {
  if (!env.forceAuthByUser) {
    if (env.key) return keyCredential(env.key, 'TESSERA_KEY', 'TESSERA_KEY is set in the environment');
    if (profile.key) return keyCredential(profile.key, 'profile', `profile "${profileName}" has an API key`);
  }
  const login = await home.login(profileName);
  if (login && login.host === host) {
    const why = env.forceAuthByUser
      ? 'TESSERA_FORCE_AUTH_BY_USER is set, so the saved login is used'
      : `you logged in with "tessera auth login" (profile "${profileName}")`;
    return new BearerSession(home, profileName, login, why);
  }
  throw new NotSignedInError(
    env.forceAuthByUser
      ? `TESSERA_FORCE_AUTH_BY_USER is set but profile "${profileName}" has no login for ${host}: run "tessera auth login".`
      : `Not logged in to ${host}: run "tessera auth login", or set TESSERA_KEY.`,
  );
}

/** A saved login: access tokens refreshed (and the rotated refresh token saved) when they expire. */
export class BearerSession implements Credential {
  readonly type = 'bearer';
  readonly source = 'login';

  constructor(
    private readonly home: TesseraHome,
    private readonly profileName: string,
    private login: SavedLogin,
    readonly why: string,
  ) {}

  async authorization(): Promise<string> {
    return `Bearer ${(await this.freshLogin()).accessToken}`;
  }

  /** The login with an access token good for at least the margin: refreshed first (under the lock) if not. */
  async freshLogin(): Promise<Readonly<SavedLogin>> {
    if (Date.parse(this.login.expiresAt) - EXPIRY_MARGIN_MS <= Date.now()) await this.refresh();
    return this.login;
  }

  async renew(): Promise<boolean> {
    await this.refresh();
    return true;
  }

  /** The refresh token of this login, to revoke the session at logout. */
  get refreshToken(): string {
    return this.login.refreshToken;
  }

  private async refresh(): Promise<void> {
    const used = this.login.refreshToken;
    this.login = await this.home.withAuthLock(async () => {
      // Another process may have refreshed while this one waited for the lock: use its tokens.
      const saved = await this.home.login(this.profileName);
      if (saved && saved.refreshToken !== used && saved.host === this.login.host) return saved;
      // Bounded well below the lock's stale age, so no other process takes the lock over while this one waits.
      const grant = await post<TokenGrant>(
        this.login.host,
        '/auth/token',
        { grant_type: 'refresh_token', refresh_token: used },
        REFRESH_TIMEOUT_MS,
      ).catch((error) => {
        if (error instanceof TesseraApiError && error.code === 'invalid_grant')
          throw new NotSignedInError(
            `Your login has expired or was signed out: run "tessera auth login" again.`,
          );
        throw error;
      });
      const renewed = loginFrom(this.login.host, grant);
      await this.home.saveLogin(this.profileName, renewed);
      return renewed;
    });
  }
}

export function loginFrom(host: string, grant: TokenGrant): SavedLogin {
  return {
    host,
    accessToken: grant.access_token,
    refreshToken: grant.refresh_token,
    expiresAt: new Date(Date.now() + grant.expires_in * 1000).toISOString(),
  };
}
