import { Role } from '@tessera/contracts';
import { SafeHtml, html } from '@tessera/runtime';

/** An e-mail as it is sent: a subject, a plain-text body and the same in HTML. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', developer: 'Developer', billing: 'Billing' };

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role] ?? role;
}

/** Only what works today: billing itself (invoices, payment methods) is not part of Tessera yet. */
const ROLE_ABILITIES: Record<Role, string> = {
  admin: "manage the team's members, roles and API keys, and see its usage",
  developer: "use the team's API keys and secrets",
  billing: "see the team's usage and its API keys",
};

/** What a role lets a member do, in a phrase that follows "you can". */
export function roleAbilities(role: Role): string {
  return ROLE_ABILITIES[role] ?? 'work in the team';
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** "12 June 2026 at 14:00 UTC": unambiguous wherever the reader lives. */
export function formatDate(date: Date): string {
  return `${DATE_FORMAT.format(date)} UTC`;
}

/** A link styled as a button, with the address written out beneath for clients that hide buttons. */
export function button(href: string, label: string): SafeHtml {
  return html`<p style="margin:24px 0">
      <a
        href="${href}"
        style="background:#1f2937;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block"
        >${label}</a
      >
    </p>
    <p style="font-size:13px;color:#4b5563">
      Or open this address: <a href="${href}" style="color:#1f2937;word-break:break-all">${href}</a>
    </p>`;
}

/** The frame every Tessera e-mail shares. */
export function page(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <title>${title}</title>
      </head>
      <body
        style="margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#111827;line-height:1.5"
      >
        <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
          <h1 style="font-size:20px;margin:0 0 16px">${title}</h1>
          ${body}
          <p style="font-size:12px;color:#6b7280;margin-top:32px">Sent by Tessera.</p>
        </div>
      </body>
    </html> `.value;
}

/** Plain-text paragraphs, separated by blank lines, with the footer the HTML has. */
export function textBody(...paragraphs: string[]): string {
  return `${[...paragraphs, '-- \nSent by Tessera.'].join('\n\n')}\n`;
}
