import { z } from 'zod';
import { AccountIdRequest, fieldsFor, IsoDateTime, rpc, UserIdRequest, Uuid } from './schema';

/** Payloads of the teams service's subjects and events: accounts, teams, members and invitations. */

export const AccountKindSchema = z.enum(['personal', 'team', 'organization']).meta({ id: 'AccountKind' });
export type AccountKind = z.infer<typeof AccountKindSchema>;

/** The roles of a team, weakest last: the one list every role check, form and document derives from. */
export const RoleSchema = z
  .enum(['admin', 'developer', 'billing'], { error: 'The role must be admin, developer or billing.' })
  .meta({ id: 'Role' });
export type Role = z.infer<typeof RoleSchema>;
export const ROLES = RoleSchema.options;

export const TeamNameSchema = z
  .string()
  .trim()
  .min(1, 'A team name has 1 to 64 characters.')
  .max(64, 'A team name has 1 to 64 characters.')
  .meta({ example: 'Research' });

/**
 * Pragmatic, not RFC 5322: one @, no spaces or separators, a dot in the domain, at most 254 characters. The first
 * character is not one a spreadsheet reads as the start of a formula (`=`, `+`, `-`; `@` cannot come first), so an
 * address Tessera accepts stays plain text in any CSV it is later written to.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*/?^_`{|}~][A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const INVALID_EMAIL = 'That is not a valid e-mail address.';

/** An address that may be invited (a CSV row's address is checked with it too). */
export const InviteeEmailSchema = z
  .string()
  .trim()
  .max(254, INVALID_EMAIL)
  .regex(EMAIL, INVALID_EMAIL)
  .meta({ example: 'alice@company.com' });

/** An account as one member sees it. */
export const AccountViewSchema = z
  .object({
    id: Uuid,
    kind: AccountKindSchema,
    name: z.string(),
    /** The caller's role in it (an Org Admin is Admin of every team of the organization). */
    role: RoleSchema,
    /** For a team inside an organization: the organization. */
    organizationId: Uuid.optional(),
  })
  .meta({ id: 'AccountView' });
export type AccountView = z.infer<typeof AccountViewSchema>;

/** Any account, archived or not, as the decision point needs it to judge a key of that account. */
export const AccountInfoSchema = z.object({
  id: Uuid,
  kind: AccountKindSchema,
  name: z.string(),
  archived: z.boolean(),
  /** For a team inside an organization. */
  organizationId: Uuid.optional(),
});
export type AccountInfo = z.infer<typeof AccountInfoSchema>;

export const EnsurePersonalAccountRequestSchema = z.strictObject({ userId: Uuid, name: z.string() });
export type EnsurePersonalAccountRequest = z.infer<typeof EnsurePersonalAccountRequestSchema>;

export const MembershipRequestSchema = z.strictObject({ userId: Uuid, accountId: Uuid });
export type MembershipRequest = z.infer<typeof MembershipRequestSchema>;

export const TeamViewSchema = z
  .object({
    id: Uuid,
    kind: AccountKindSchema,
    name: z.string(),
    createdAt: IsoDateTime,
    organizationId: Uuid.nullable(),
  })
  .meta({ id: 'TeamView' });
export type TeamView = z.infer<typeof TeamViewSchema>;

export const MemberViewSchema = z
  .object({
    userId: Uuid,
    email: z.string().nullable(),
    name: z.string().nullable(),
    role: RoleSchema,
    joinedAt: IsoDateTime,
  })
  .meta({ id: 'MemberView' });
export type MemberView = z.infer<typeof MemberViewSchema>;

export const InvitationStatusSchema = z.enum(['pending', 'accepted', 'cancelled']);
export type InvitationStatus = z.infer<typeof InvitationStatusSchema>;

export const InvitationViewSchema = z
  .object({
    id: Uuid,
    email: z.string(),
    role: RoleSchema,
    status: InvitationStatusSchema,
    invitedByUserId: Uuid,
    createdAt: IsoDateTime,
    expiresAt: IsoDateTime,
  })
  .meta({ id: 'InvitationView' });
export type InvitationView = z.infer<typeof InvitationViewSchema>;

/** Who acts, in which team: every change carries it, for the authorization already done and for the audit. */
export const TeamCommandSchema = z.strictObject({ accountId: Uuid, actorUserId: Uuid });
export type TeamCommand = z.infer<typeof TeamCommandSchema>;

/** What an Admin chooses when inviting; the rest of the command comes from who asks. */
export const NewInvitationSchema = z.strictObject({ email: InviteeEmailSchema, role: RoleSchema });

/**
 * What inviting an address did (a CSV row's result, or a single invitation's): `invited` sent a first link;
 * `already_invited` found a pending invitation with that role and sent nothing; `role_updated` replaced a pending
 * invitation with another role by one with the new role, and sent a fresh link (the old link is revoked).
 */
export const BulkRowResultSchema = z.enum([
  'invited',
  'already_member',
  'already_invited',
  'role_updated',
  'invalid_email',
  'invalid_role',
  'duplicate_in_batch',
  'domain_not_allowed',
]);
export type BulkRowResult = z.infer<typeof BulkRowResultSchema>;

/** The largest CSV of a bulk invitation. */
export const MAX_CSV_BYTES = 64 * 1024;

export const BulkInviteReplySchema = z
  .object({
    dryRun: z.boolean(),
    results: z.array(
      z.object({
        /** The row's line in the file (1-based, the header is line 1). */
        line: z.number().int(),
        /** As written in the file: a refused row may hold anything. */
        email: z.string(),
        role: z.string(),
        result: BulkRowResultSchema,
        invitationId: Uuid.optional(),
      }),
    ),
    summary: fieldsFor(BulkRowResultSchema.options, z.number().int()),
  })
  .meta({ id: 'BulkInviteReply' });
export type BulkInviteReply = z.infer<typeof BulkInviteReplySchema>;

/** The answer to one invitation: the address's pending invitation, and what inviting did to it. */
export const InviteReplySchema = InvitationViewSchema.extend({
  result: BulkRowResultSchema.extract(['invited', 'already_invited', 'role_updated']),
}).meta({ id: 'InviteReply' });
export type InviteReply = z.infer<typeof InviteReplySchema>;

const InvitationCommand = TeamCommandSchema.extend({ invitationId: Uuid });

/** The teams service's subjects (accounts, teams, members, invitations): request and reply schemas. */
export const TEAMS_RPC = {
  'tessera.teams.account.ensure-personal': rpc(EnsurePersonalAccountRequestSchema, AccountViewSchema),
  'tessera.teams.account.list-for-user': rpc(UserIdRequest, z.array(AccountViewSchema)),
  'tessera.teams.membership.get': rpc(MembershipRequestSchema, AccountViewSchema),
  'tessera.teams.account.get': rpc(AccountIdRequest, AccountInfoSchema),
  'tessera.teams.team.create': rpc(UserIdRequest.extend({ name: TeamNameSchema }), AccountViewSchema),
  'tessera.teams.team.get': rpc(AccountIdRequest, TeamViewSchema),
  'tessera.teams.team.rename': rpc(TeamCommandSchema.extend({ name: TeamNameSchema }), TeamViewSchema),
  'tessera.teams.team.archive': rpc(TeamCommandSchema, TeamViewSchema),
  'tessera.teams.member.list': rpc(AccountIdRequest, z.array(MemberViewSchema)),
  /**
   * Just-in-time provisioning by an organization's SSO: the user's memberships of the organization's teams made to
   * match `placements`. Memberships SSO made earlier and no longer placed are removed (never the last Admin).
   */
  'tessera.teams.member.provision': rpc(
    z.strictObject({
      organizationId: Uuid,
      userId: Uuid,
      placements: z.array(z.strictObject({ teamId: Uuid, role: RoleSchema })),
    }),
    z.object({ teamIds: z.array(Uuid) }),
  ),
  /** Everyone who belongs to any of the accounts (for applying a policy to their sessions). */
  'tessera.teams.member.user-ids': rpc(z.strictObject({ accountIds: z.array(Uuid) }), z.array(Uuid)),
  'tessera.teams.member.set-role': rpc(
    TeamCommandSchema.extend({ userId: Uuid, role: RoleSchema }),
    MemberViewSchema,
  ),
  'tessera.teams.member.remove': rpc(
    TeamCommandSchema.extend({ userId: Uuid }),
    z.object({ removed: z.literal(true) }),
  ),
  'tessera.teams.invitation.create': rpc(
    TeamCommandSchema.extend(NewInvitationSchema.shape),
    InviteReplySchema,
  ),
  'tessera.teams.invitation.list': rpc(AccountIdRequest, z.array(InvitationViewSchema)),
  'tessera.teams.invitation.cancel': rpc(InvitationCommand, InvitationViewSchema),
  'tessera.teams.invitation.resend': rpc(InvitationCommand, InvitationViewSchema),
  /** `token`: as the link carries it; one that is not an invitation's is `invalid_invitation`, not malformed. */
  'tessera.teams.invitation.accept': rpc(
    z.strictObject({ token: z.string().max(512), userId: Uuid }),
    AccountViewSchema,
  ),
  /** The file is read by the teams service, which answers each row; only its size is a payload rule. */
  'tessera.teams.invitation.bulk': rpc(
    TeamCommandSchema.extend({
      csv: z.string().max(MAX_CSV_BYTES, 'A CSV file has at most 64 KiB.'),
      dryRun: z.boolean(),
    }),
    BulkInviteReplySchema,
  ),
};

/** What every teams event carries besides its own fields: which account, and who did it (null: the system). */
export const TeamEventBaseSchema = z.object({ accountId: Uuid, actorUserId: Uuid.nullable() });
export type TeamEventBase = z.infer<typeof TeamEventBaseSchema>;

/**
 * An invitation as the e-mail needs it. The single-use token is sealed (AES-256-GCM under a key derived from
 * `TESSERA_SECRET_KEY` for `INVITATION_TOKEN_PURPOSE`): events are kept in JetStream, and secrets are never
 * stored in the clear. Only notifications opens it, to put the link in the e-mail.
 */
export const InvitationMailSchema = z.object({
  invitationId: Uuid,
  email: z.string().min(1),
  role: RoleSchema,
  teamName: z.string().min(1),
  invitedByName: z.string().nullable(),
  sealedToken: z.string().min(1),
  expiresAt: IsoDateTime,
});
export type InvitationMail = z.infer<typeof InvitationMailSchema>;
export const INVITATION_TOKEN_PURPOSE = 'teams/invitation-token';

const TeamNamed = TeamEventBaseSchema.extend({ name: z.string() });
const InvitationMailEvent = TeamEventBaseSchema.extend(InvitationMailSchema.shape);

/** The teams service's events about teams, members and invitations: payload schemas. */
export const TEAMS_EVENTS = {
  'tessera.events.teams.team.created': TeamNamed,
  'tessera.events.teams.team.archived': TeamNamed,
  'tessera.events.teams.member.added': TeamEventBaseSchema.extend({ userId: Uuid, role: RoleSchema }),
  'tessera.events.teams.member.removed': TeamEventBaseSchema.extend({
    userId: Uuid,
    teamName: z.string().min(1),
  }),
  'tessera.events.teams.member.role_changed': TeamEventBaseSchema.extend({
    userId: Uuid,
    from: RoleSchema,
    to: RoleSchema,
    teamName: z.string().min(1),
  }),
  'tessera.events.teams.invitation.created': InvitationMailEvent,
  'tessera.events.teams.invitation.resent': InvitationMailEvent,
  /** A pending invitation replaced by one with another role (a new id and link; the old link is revoked). */
  'tessera.events.teams.invitation.role_updated': InvitationMailEvent.extend({
    previousRole: RoleSchema,
    replacedInvitationId: Uuid,
  }),
  'tessera.events.teams.invitation.accepted': TeamEventBaseSchema.extend({
    invitationId: Uuid,
    email: z.string().min(1),
    userId: Uuid,
    invitedByUserId: Uuid,
    teamName: z.string().min(1),
  }),
  'tessera.events.teams.invitation.cancelled': TeamEventBaseSchema.extend({
    invitationId: Uuid,
    email: z.string(),
  }),
};
