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

/** After accepting: the team's Members page in the console is one click away. */
export function invitationAcceptedPage(team: { id: string; name: string }): string {
  return page(
    'Welcome',
    html`<p>You joined <strong>${team.name}</strong>. You can now switch to it.</p>
      <a class="button primary" href="/a/${team.id}/members">Open ${team.name}</a>`,
  );
}
