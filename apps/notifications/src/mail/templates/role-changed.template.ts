import { Role } from '@tessera/contracts';
import { html } from '@tessera/runtime';
import { RenderedMail, page, roleAbilities, roleLabel, textBody } from './html';

export interface RoleChangedMailInput {
  teamName: string;
  from: Role;
  role: Role;
}

export function roleChangedSubject(input: RoleChangedMailInput): string {
  return `Your role in ${input.teamName} is now ${roleLabel(input.role)}`;
}

/** To the member whose role changed (`member.role_changed`). */
export function roleChangedMail(input: RoleChangedMailInput): RenderedMail {
  const subject = roleChangedSubject(input);
  const changed = `Your role in ${input.teamName} changed from ${roleLabel(input.from)} to ${roleLabel(input.role)}.`;
  const now = `As ${roleLabel(input.role)} you can ${roleAbilities(input.role)}.`;
  const ask = "If you did not expect this, ask one of the team's admins.";
  return {
    subject,
    text: textBody(changed, now, ask),
    html: page(
      subject,
      html`<p>${changed}</p>
        <p>${now}</p>
        <p style="color:#4b5563">${ask}</p>`,
    ),
  };
}
