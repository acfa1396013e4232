import { CaughtMail, SafeHtml, html } from '@tessera/runtime';
import { page } from '../pages/html';

const LINK = /(https?:\/\/[^\s<>"]+)/;

/** The e-mails a first run caught instead of sending, newest first, each with its text and its links clickable. */
export function devMailPage(messages: CaughtMail[]): string {
  return page(
    'Caught e-mail',
    html`<p class="notice">
        For development only: Tessera sent no e-mail; these are the messages it would have sent.
      </p>
      ${messages.length === 0 ? html`<p>No e-mail yet. Invite someone and reload this page.</p>` : ''}
      ${messages.map(
        (message) =>
          html`<article class="mail">
            <h2>${message.subject}</h2>
            <dl>
              <dt>To</dt>
              <dd>${message.to.join(', ')}</dd>
              <dt>From</dt>
              <dd>${message.from}</dd>
              <dt>Received</dt>
              <dd><time datetime="${message.receivedAt}">${readable(message.receivedAt)}</time></dd>
            </dl>
            <pre>${linked(message.text)}</pre>
          </article>`,
      )}`,
    { wide: true },
  );
}

/** The text, escaped, with every http(s) address a link (the split keeps the addresses at odd positions). */
function linked(text: string): SafeHtml[] {
  return text
    .split(LINK)
    .map((part, index) => (index % 2 === 1 ? html`<a href="${part}">${part}</a>` : html`${part}`));
}

/** `2026-12-07T17:53:53.934Z` → `2026-12-07 17:53:53 UTC` */
function readable(isoTime: string): string {
  return isoTime.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}
