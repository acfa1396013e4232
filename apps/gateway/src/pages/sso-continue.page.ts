import { html } from '@tessera/runtime';
import { page } from './html';

/**
 * Shown instead of starting a SAML sign-in that another site navigated the browser to: anyone can run an IdP for
 * their own organization and answer at once for their own user, so a sign-in started by a link would sign this
 * browser in as them (login CSRF). The button is a link: a same-origin navigation to the same login URL, which then
 * starts the sign-in. Not a form: the login URL redirects to the IdP, and a browser checks every redirect of a form
 * submission against the page's CSP `form-action 'self'` (decision 024). Helmet's `X-Frame-Options` and
 * `frame-ancestors` keep the page out of other sites' frames.
 */
export function ssoContinuePage(connectionId: string, returnTo: string): string {
  const query = new URLSearchParams({ return_to: returnTo }).toString();
  return page(
    'Sign in with single sign-on?',
    html`<p>Another site or app sent you here to sign in to Tessera with an organization's single sign-on.</p>
      <p>Continue only if you started this sign-in yourself.</p>
      <a class="button primary" href="/auth/saml/${connectionId}/login?${query}"
        >Continue with single sign-on</a
      >
      <a class="button" href="/signin">Cancel</a>`,
  );
}
