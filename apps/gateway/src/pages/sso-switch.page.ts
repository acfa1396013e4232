import { html, page } from './html';

/**
 * Asked when a SAML sign-in would replace the browser's session with another user's: a response posted into this
 * browser by someone else (login CSRF), or an IdP signed in as another account. Nothing changes until the person
 * chooses; both buttons post to our own origin.
 */
export function ssoSwitchPage(current: string, next: string): string {
  return page(
    'Switch account?',
    html`<p>You are signed in to Tessera as <strong>${current}</strong>.</p>
      <p>Your organization's single sign-on has just signed in <strong>${next}</strong>.</p>
      <p>If you did not just sign in with single sign-on, stay signed in as ${current}.</p>
      <form method="post" action="/auth/saml/finish">
        <button class="primary" type="submit" name="choice" value="stay">Stay signed in as ${current}</button>
        <button type="submit" name="choice" value="switch">Continue as ${next}</button>
      </form>`,
  );
}
