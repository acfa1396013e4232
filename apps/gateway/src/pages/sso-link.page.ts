import { html } from '@tessera/runtime';
import { page } from './html';
import { providerLabel } from './sign-in.page';

/**
 * Asked before an organization's single sign-on is linked to an existing account with the same e-mail (one made
 * with GitHub or Google): linking is what lets the organization's IdP sign in as that account from then on.
 */
export function ssoLinkPage(email: string, providers: string[]): string {
  const methods = providers.map(providerLabel).join(' or ');
  return page(
    'Link your account?',
    html`<p>An account for <strong>${email}</strong> already exists: it signs in with ${methods}.</p>
      <p>
        Link your organization's single sign-on to it? From then on your organization's identity provider also
        signs you in to this account, and your organization manages its team memberships.
      </p>
      <form method="post" action="/auth/saml/finish">
        <button class="primary" type="submit" name="choice" value="link">Link and continue</button>
        <button type="submit" name="choice" value="cancel">Cancel</button>
      </form>`,
  );
}
