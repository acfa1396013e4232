/** Payloads of the teams service's subjects. */
import { z } from 'zod';
import type { AccountInfo } from './authz';

export type AccountKind = 'personal' | 'team' | 'organization';
export const RoleSchema = z.enum(['admin', 'developer', 'billing'], {
  error: 'The role must be admin, developer or billing.',
});
export type Role = z.infer<typeof RoleSchema>;

export interface AccountView {
  id: string;
  kind: AccountKind;
  name: string;
  /** The caller's role in it (an Org Admin is Admin of every team of the organization). */
  role: Role;
  /** For a team inside an organization: the organization. */
  organizationId?: string;
}

export interface EnsurePersonalAccountRequest {
  userId: string;
  name: string;
}

export interface MembershipRequest {
  userId: string;
  accountId: string;
}

export const ROLES: readonly Role[] = RoleSchema.options;

/** What every teams event carries besides its own fields: which account, and who did it (null: the system). */
export interface TeamEventBase {
  accountId: string;
  actorUserId: string | null;
}

/**
 * An invitation as the e-mail needs it. The single-use token is sealed (AES-256-GCM under a key derived from
 * `TESSERA_SECRET_KEY` for `INVITATION_TOKEN_PURPOSE`): events are kept in JetStream, and secrets are never
 * stored in the clear. Only notifications opens it, to put the link in the e-mail.
 */
export interface InvitationMail {
  invitationId: string;
  email: string;
  role: Role;
  teamName: string;
  invitedByName: string | null;
  sealedToken: string;
  expiresAt: string;
}
export const INVITATION_TOKEN_PURPOSE = 'teams/invitation-token';

export interface TeamsEvents {
  'tessera.events.teams.team.created': TeamEventBase & { name: string };
  'tessera.events.teams.team.archived': TeamEventBase & { name: string };
  'tessera.events.teams.member.added': TeamEventBase & { userId: string; role: Role };
  'tessera.events.teams.member.removed': TeamEventBase & { userId: string; teamName: string };
  'tessera.events.teams.member.role_changed': TeamEventBase & {
    userId: string;
    from: Role;
    to: Role;
    teamName: string;
  };
  'tessera.events.teams.invitation.created': TeamEventBase & InvitationMail;
  'tessera.events.teams.invitation.resent': TeamEventBase & InvitationMail;
  'tessera.events.teams.invitation.accepted': TeamEventBase & {
    invitationId: string;
    email: string;
    userId: string;
    invitedByUserId: string;
    teamName: string;
  };
  'tessera.events.teams.invitation.cancelled': TeamEventBase & { invitationId: string; email: string };
}

export interface TeamView {
  id: string;
  kind: AccountKind;
  name: string;
  createdAt: string;
  organizationId: string | null;
}

export interface MemberView {
  userId: string;
  email: string | null;
  name: string | null;
  role: Role;
  joinedAt: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'cancelled';

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedByUserId: string;
  createdAt: string;
  expiresAt: string;
}

/** Who acts, in which team: every change carries it, for the authorization already done and for the audit. */
export interface TeamCommand {
  accountId: string;
  actorUserId: string;
}

export type BulkRowResult =
  | 'invited'
  | 'already_member'
  | 'already_invited'
  | 'invalid_email'
  | 'invalid_role'
  | 'duplicate_in_batch'
  | 'domain_not_allowed';

export interface BulkInviteReply {
  dryRun: boolean;
  results: { line: number; email: string; role: string; result: BulkRowResult; invitationId?: string }[];
  summary: Record<BulkRowResult, number>;
}

export interface TeamsRpc {
  'tessera.teams.account.ensure-personal': [EnsurePersonalAccountRequest, AccountView];
  'tessera.teams.account.list-for-user': [{ userId: string }, AccountView[]];
  'tessera.teams.membership.get': [MembershipRequest, AccountView];
  'tessera.teams.account.get': [{ accountId: string }, AccountInfo];
  'tessera.teams.team.create': [{ userId: string; name: string }, AccountView];
  'tessera.teams.team.get': [{ accountId: string }, TeamView];
  'tessera.teams.team.rename': [TeamCommand & { name: string }, TeamView];
  'tessera.teams.team.archive': [TeamCommand, TeamView];
  'tessera.teams.member.list': [{ accountId: string }, MemberView[]];
  /**
   * Just-in-time provisioning by an organization's SSO: the user's memberships of the organization's teams made to
   * match `placements`. Memberships SSO made earlier and no longer placed are removed (never the last Admin).
   */
  'tessera.teams.member.provision': [
    { organizationId: string; userId: string; placements: { teamId: string; role: Role }[] },
    { teamIds: string[] },
  ];
  /** Everyone who belongs to any of the accounts (for applying a policy to their sessions). */
  'tessera.teams.member.user-ids': [{ accountIds: string[] }, string[]];
  'tessera.teams.member.set-role': [TeamCommand & { userId: string; role: Role }, MemberView];
  'tessera.teams.member.remove': [TeamCommand & { userId: string }, { removed: true }];
  'tessera.teams.invitation.create': [TeamCommand & { email: string; role: Role }, InvitationView];
  'tessera.teams.invitation.list': [{ accountId: string }, InvitationView[]];
  'tessera.teams.invitation.cancel': [TeamCommand & { invitationId: string }, InvitationView];
  'tessera.teams.invitation.resend': [TeamCommand & { invitationId: string }, InvitationView];
  'tessera.teams.invitation.accept': [{ token: string; userId: string }, AccountView];
  'tessera.teams.invitation.bulk': [TeamCommand & { csv: string; dryRun: boolean }, BulkInviteReply];
}

/** The teams service's subjects: request and reply schemas. */
export const TEAMS_RPC = {};
