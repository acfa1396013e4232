import { ErrorCode, SignInProvider } from '@tessera/contracts';
import { html } from '@tessera/runtime';
import { PROVIDER_LABELS } from '../auth/sign-in-providers';
import { page } from './html';

/** A sign-in method as people know it: GitHub, Google, or an organization's single sign-on (`saml:<id>`). */
export function providerLabel(provider: string): string {
  return PROVIDER_LABELS[provider as SignInProvider] ?? 'single sign-on';
}

/** What the sign-in page says after a failed attempt; only known codes are shown, never text from the URL. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  invalid_state: 'That sign-in link expired or was already used. Please sign in again.',
  signin_failed: 'The sign-in was not completed. Please try again.',
  email_not_verified:
    'Your e-mail address with that provider is not verified. Verify it there, then sign in again.',
  account_exists_with_different_provider:
    'An account with your e-mail already exists with another sign-in method. Sign in with it, then link this one.',
  identity_already_linked: 'That account is already linked to another Tessera user.',
  provider_not_configured: 'That sign-in method is not available here.',
  rate_limited: 'Too many attempts. Please wait a minute and try again.',
  sso_required: 'Your organization requires its single sign-on for your e-mail address.',
  signin_method_not_allowed: 'Your organization does not allow that sign-in method. Please use another one.',
  forbidden: 'Your organization admitted you to none of its teams. Ask your IT admin to map your groups.',
  not_found: 'That single sign-on is not set up for your e-mail address.',
};

export function signInPage(options: {
  providers: SignInProvider[];
  returnTo: string;
  error?: string;
  /** The SSO connection an `sso_required` refusal points to. */
  ssoConnectionId?: string;
  /** The Google provider is the embedded development one of a first run (see `TESSERA_DEVELOPMENT_SIGN_IN`). */
  developmentSignIn?: boolean;
}): string {
  const message = options.error
    ? (MESSAGES[options.error as ErrorCode] ?? MESSAGES.signin_failed)
    : undefined;
  const query = new URLSearchParams({ return_to: options.returnTo }).toString();
  return page(
    'Sign in to Tessera',
    html`${message ? html`<p class="error" role="alert">${message}</p>` : ''}
      ${
        options.ssoConnectionId
          ? html`<a class="button primary" href="/auth/saml/${options.ssoConnectionId}/login?${query}"
              >Continue with single sign-on</a
            >`
          : ''
      }
      <form method="get" action="/auth/sso">
        <input type="hidden" name="return_to" value="${options.returnTo}" />
        <label for="email">Work e-mail, to sign in with your company's single sign-on</label>
        <input id="email" name="email" type="email" autocomplete="email" />
        <button type="submit">Continue with SSO</button>
      </form>
      ${
        options.providers.length === 0
          ? html`<p>No sign-in method is configured on this installation.</p>`
          : options.providers.map((provider) =>
              options.developmentSignIn && provider === 'google'
                ? html`<a class="button primary" href="/auth/google?${query}"
                      >Continue with a development account</a
                    >
                    <p class="notice">
                      For development only: no sign-in provider is configured, so any name and e-mail you type
                      sign you in. Configure GitHub or Google before anyone else uses this installation.
                    </p>`
                : html`<a class="button" href="/auth/${provider}?${query}"
                    >Continue with ${PROVIDER_LABELS[provider]}</a
                  >`,
            )
      }`,
  );
}
