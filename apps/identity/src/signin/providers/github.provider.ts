import { IdentityErrors } from '../../identity.errors';
import { AuthorizationRequest, ProviderProfile, SignInProviderClient } from './sign-in-provider';

export interface GitHubSettings {
  webUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

const TIMEOUT_MS = 10_000;

/**
 * GitHub and GitHub Enterprise Server (OAuth apps): authorization code with PKCE, then the user and their primary
 * e-mail, which must be verified. GitHub's own user id is the subject: logins and e-mails can change.
 */
export class GitHubProvider implements SignInProviderClient {
  constructor(private readonly settings: GitHubSettings) {}

  async authorizationUrl({ state, codeChallenge }: AuthorizationRequest): Promise<string> {
    const url = new URL('/login/oauth/authorize', this.settings.webUrl);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: 'read:user user:email',
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  async profile(params: Record<string, string>, attempt: { codeVerifier: string }): Promise<ProviderProfile> {
    if (!params.code) throw IdentityErrors.signInFailed('github');
    const accessToken = await this.exchange(params.code, attempt.codeVerifier);
    const [user, emails] = await Promise.all([
      this.api<{ id: number; login: string; name: string | null }>('/user', accessToken),
      this.api<GitHubEmail[]>('/user/emails', accessToken),
    ]);
    const primary = emails.find((email) => email.primary);
    if (!primary) throw IdentityErrors.emailNotVerified('github');
    return {
      subject: String(user.id),
      email: primary.email,
      emailVerified: primary.verified,
      name: user.name ?? user.login,
    };
  }

  private async exchange(code: string, codeVerifier: string): Promise<string> {
    const response = await fetch(new URL('/login/oauth/access_token', this.settings.webUrl), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        code,
        redirect_uri: this.settings.redirectUri,
        code_verifier: codeVerifier,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // GitHub reports a bad code, verifier or client with 200 and an `error` field.
    const body = (await response.json().catch(() => ({}))) as { access_token?: string };
    if (!response.ok || !body.access_token) throw IdentityErrors.signInFailed('github');
    return body.access_token;
  }

  private async api<T>(path: string, accessToken: string): Promise<T> {
    const response = await fetch(`${this.settings.apiUrl.replace(/\/$/, '')}${path}`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${accessToken}`,
        'user-agent': 'Tessera',
      },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw IdentityErrors.signInFailed('github');
    return (await response.json()) as T;
  }
}
