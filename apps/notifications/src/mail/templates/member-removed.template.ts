import { html } from '@tessera/runtime';
import { RenderedMail, page, textBody } from './html';

export interface MemberRemovedMailInput {
  teamName: string;
}

export function memberRemovedSubject(input: MemberRemovedMailInput): string {
  return `You were removed from ${input.teamName}`;
}

/** To the member who was removed (`member.removed`). */
export function memberRemovedMail(input: MemberRemovedMailInput): RenderedMail {
  const subject = memberRemovedSubject(input);
  const body = `You are no longer a member of ${input.teamName} on Tessera, and can no longer use its API keys, apps or secrets.`;
  const rest =
    "Your personal account and your other teams are not affected. If you think this is a mistake, ask one of the team's admins.";
  return {
    subject,
    text: textBody(body, rest),
    html: page(
      subject,
      html`<p>${body}</p>
        <p style="color:#4b5563">${rest}</p>`,
    ),
  };
}
