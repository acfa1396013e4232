import { html } from '@tessera/runtime';
import { RenderedMail, page, textBody } from './html';

export interface InvitationAcceptedMailInput {
  acceptedEmail: string;
  teamName: string;
}

export function invitationAcceptedSubject(input: InvitationAcceptedMailInput): string {
  return `${input.acceptedEmail} joined ${input.teamName}`;
}

/** To whoever sent the invitation (`invitation.accepted`). */
export function invitationAcceptedMail(input: InvitationAcceptedMailInput): RenderedMail {
  const subject = invitationAcceptedSubject(input);
  const body = `${input.acceptedEmail} accepted your invitation and is now a member of ${input.teamName}.`;
  const next = "You can change their role or remove them from the team's members page.";
  return {
    subject,
    text: textBody(body, next),
    html: page(
      subject,
      html`<p>${body}</p>
        <p>${next}</p>`,
    ),
  };
}
