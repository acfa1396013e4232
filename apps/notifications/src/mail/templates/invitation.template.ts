import { Role } from '@tessera/contracts';
import { html } from '@tessera/runtime';
import { RenderedMail, button, formatDate, page, roleAbilities, roleLabel, textBody } from './html';

export interface InvitationMailInput {
  email: string;
  teamName: string;
  role: Role;
  /** The role of the invitation this one replaced: its link no longer works. */
  previousRole?: Role;
  invitedByName: string | null;
  /** Holds the single-use token: it appears in the body and nowhere else (never in a log). */
  acceptUrl: string;
  expiresAt: Date;
}

export function invitationSubject(
  input: Pick<InvitationMailInput, 'teamName' | 'role' | 'invitedByName'>,
): string {
  const who = input.invitedByName?.trim();
  return who
    ? `${who} invited you to join ${input.teamName} as ${roleLabel(input.role)}`
    : `You are invited to join ${input.teamName} as ${roleLabel(input.role)}`;
}

/**
 * To the invited address (`invitation.created`, `invitation.resent`, `invitation.role_updated`): the link to accept,
 * and until when; after a role change, that the earlier invitation's link no longer works.
 */
export function invitationMail(input: InvitationMailInput): RenderedMail {
  const subject = invitationSubject(input);
  const role = roleLabel(input.role);
  const expires = formatDate(input.expiresAt);
  const replaces = input.previousRole
    ? ` This replaces your earlier invitation as ${roleLabel(input.previousRole)}: its link no longer works.`
    : '';
  const intro = `${subject} on Tessera. As ${role} you can ${roleAbilities(input.role)}.${replaces}`;
  const terms = `The link works once, until ${expires}. Sign in with ${input.email} to accept: the invitation is for this address only.`;
  const ignore =
    'If you did not expect this invitation, ignore this e-mail; nothing happens unless you accept.';
  return {
    subject,
    text: textBody(intro, `Accept the invitation:\n${input.acceptUrl}`, terms, ignore),
    html: page(
      subject,
      html`<p>${intro}</p>
        ${button(input.acceptUrl, 'Accept the invitation')}
        <p>${terms}</p>
        <p style="color:#4b5563">${ignore}</p>`,
    ),
  };
}
