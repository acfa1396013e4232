import { TesseraError } from '@tessera/contracts';

const TRANSFER_APPROVALS: Record<string, string> = {
  team: 'an Admin of the team',
  another_team_admin: 'another Admin of the team',
  organization: 'an Org Admin',
};

export const TeamsErrors = {
  notFound: (what: string) => new TesseraError('not_found', `${what} was not found.`),
  alreadyInOrganization: () =>
    new TesseraError('already_in_organization', 'The team already belongs to an organization.'),
  transferPending: () =>
    new TesseraError(
      'transfer_pending',
      'A request to move this team is already waiting for approval: approve or decline it first.',
    ),
  domainNotAllowed: (email: string) =>
    new TesseraError(
      'policy_violation',
      `invitations.allowedDomains: the policy does not allow inviting ${email.slice(email.lastIndexOf('@') + 1)} addresses.`,
    ),
  transferNeedsOtherApproval: (waitingFor: string[]) =>
    new TesseraError(
      'forbidden',
      `You have already approved this move; it waits for: ${waitingFor
        .map((approval) => TRANSFER_APPROVALS[approval] ?? approval)
        .join(', ')}.`,
    ),
  lastAdmin: () =>
    new TesseraError('last_admin', 'A team always keeps at least one Admin: make someone else Admin first.'),
  notATeam: () => new TesseraError('validation_failed', 'Only team accounts have members and invitations.'),
  alreadyMember: () => new TesseraError('already_member', 'This person is already a member of the team.'),
  invalidInvitation: () => new TesseraError('invalid_invitation', 'This invitation link is not valid.'),
  invitationExpired: () =>
    new TesseraError('invitation_expired', 'This invitation has expired. Ask for a new one.'),
  invitationRevoked: () =>
    new TesseraError('invitation_revoked', 'This invitation was cancelled or replaced.'),
  invitationUsed: () => new TesseraError('invitation_used', 'This invitation was already accepted.'),
  invitationEmailMismatch: () =>
    new TesseraError(
      'invitation_email_mismatch',
      'This invitation was sent to another e-mail address. Sign in with that address to accept it.',
    ),
  batchTooLarge: (rows: number) =>
    new TesseraError(
      'batch_too_large',
      `A batch has at most 50 invitations; this file has ${rows}. Nothing was sent.`,
    ),
  invalidCsv: (reason: string) =>
    new TesseraError('validation_failed', `The CSV file is not valid: ${reason}`),
};
