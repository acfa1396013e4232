import { AccountView, DeviceLookupReply } from '@tessera/contracts';
import { html } from '@tessera/runtime';
import { page } from './html';

/** Shows the code the terminal shows, lets the person pick the account the CLI will act for, approve or deny. */
export function deviceApprovalPage(grant: DeviceLookupReply, accounts: AccountView[]): string {
  return page(
    'Approve the Tessera CLI',
    html`<p>Check that your terminal shows this code:</p>
      <p><code class="user-code">${grant.userCode}</code></p>
      <form method="post" action="/auth/device/approve">
        <input type="hidden" name="user_code" value="${grant.userCode}" />
        <label for="account">Act as</label>
        <select id="account" name="account_id">
          ${accounts.map((a) => html`<option value="${a.id}">${a.name} (${a.kind})</option>`)}
        </select>
        <button class="primary" type="submit">Approve</button>
        <button type="submit" formaction="/auth/device/deny">Deny</button>
      </form>`,
  );
}

export function deviceCodeEntryPage(error?: string): string {
  return page(
    'Connect the Tessera CLI',
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="get" action="/device">
        <label for="user_code">Enter the code shown in your terminal</label>
        <input id="user_code" name="user_code" autocomplete="off" placeholder="BCDF-GHJK" />
        <button class="primary" type="submit">Continue</button>
      </form>`,
  );
}

export function deviceDonePage(approved: boolean): string {
  return page(
    approved ? 'CLI approved' : 'CLI denied',
    html`<p>
      ${approved ? 'You can close this window and return to your terminal.' : 'The CLI was not signed in.'}
    </p>`,
  );
}
