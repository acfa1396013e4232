import { html } from '@tessera/runtime';
import { page } from './html';

/**
 * The answer to the sign-in page's "Continue with SSO" form: a page that moves on to the organization's login URL
 * by `Refresh` (sent by the caller) rather than a redirect. The login URL redirects to the IdP on another origin,
 * and a browser checks every redirect of a form submission against the submitting page's CSP `form-action 'self'`;
 * a refresh is a navigation of its own, not a form submission (decision 024). The link is for a browser that does
 * not follow `Refresh`.
 */
export function ssoOnwardPage(loginPath: string): string {
  return page(
    'Continuing to single sign-on',
    html`<p>Taking you to your organization's sign-in page.</p>
      <a class="button primary" href="${loginPath}">Continue to single sign-on</a>`,
  );
}
