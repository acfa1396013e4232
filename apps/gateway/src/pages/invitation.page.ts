import { html } from '@tessera/runtime';
import { page } from './html';

/** The page the invitation e-mail links to: one button, posting the token back with the browser's session. */
export function acceptInvitationPage(token: string, error?: string): string {
  return page(
    'Join a team on Tessera',
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/invite/accept">
        <input type="hidden" name="token" value="${token}" />
        <button class="primary" type="submit">Accept the invitation</button>
      </form>`,
  );
}

export function invitationAcceptedPage(teamName: string): string {
  return page('Welcome', html`<p>You joined <strong>${teamName}</strong>. You can now switch to it.</p>`);
}
