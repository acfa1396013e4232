import { html } from '@tessera/runtime';
import { page } from './html';

/**
 * Asked before a SAML sign-in's session is taken when the person may not have started it: it would replace the
 * browser's session with another user's (`current`), or it is IdP-initiated (`via`, the connection's name) and the
 * browser is signed in as nobody. Either may be a response posted into this browser by another site (login CSRF).
 * Nothing changes until the person chooses; both buttons post to our own origin.
 */
export function ssoSwitchPage(next: string, { current, via }: { current?: string; via?: string }): string {
  const by = via
    ? html`Single sign-on through <strong>${via}</strong>`
    : html`Your organization's single sign-on`;
  if (current === undefined)
    return page(
      via ? `Continue as ${next} (via ${via})?` : `Continue as ${next}?`,
      html`<p>${by} has just signed in <strong>${next}</strong>.</p>
        <p>If you did not just sign in from your organization's identity provider, cancel.</p>
        <form method="post" action="/auth/saml/finish">
          <button class="primary" type="submit" name="choice" value="switch">Continue as ${next}</button>
          <button type="submit" name="choice" value="cancel">Cancel</button>
        </form>`,
    );
  return page(
    'Switch account?',
    html`<p>You are signed in to Tessera as <strong>${current}</strong>.</p>
      <p>${by} has just signed in <strong>${next}</strong>.</p>
      <p>If you did not just sign in with single sign-on, stay signed in as ${current}.</p>
      <form method="post" action="/auth/saml/finish">
        <button class="primary" type="submit" name="choice" value="stay">Stay signed in as ${current}</button>
        <button type="submit" name="choice" value="switch">Continue as ${next}</button>
      </form>`,
  );
}
