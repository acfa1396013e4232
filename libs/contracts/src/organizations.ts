import { z } from 'zod';
import { UsageIntervalSchema } from './keys';
import { PolicySettingsSchema } from './policies';
import { IsoDateTime, OrganizationIdRequest, rpc, TeamIdRequest, Uuid } from './schema';
import { InvitationViewSchema, MemberViewSchema, TeamEventBaseSchema, TeamNameSchema } from './teams';

/** Payloads of the teams service's organization subjects. */

const ORGANIZATION_NAME_LENGTH = 'An organization name has 1 to 64 characters.';
export const OrganizationNameSchema = z
  .string()
  .trim()
  .min(1, ORGANIZATION_NAME_LENGTH)
  .max(64, ORGANIZATION_NAME_LENGTH)
  .meta({ example: 'Acme Corp' });

export const OrganizationViewSchema = z
  .object({ id: Uuid, name: z.string(), createdAt: IsoDateTime })
  .meta({ id: 'OrganizationView' });
export type OrganizationView = z.infer<typeof OrganizationViewSchema>;

/** A child team as its Org Admins see it. */
export const OrgTeamViewSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    createdAt: IsoDateTime,
    members: z.number().int(),
    pendingInvitations: z.number().int(),
  })
  .meta({ id: 'OrgTeamView' });
export type OrgTeamView = z.infer<typeof OrgTeamViewSchema>;

/** Which team of the organization a member or an invitation is in. */
const InTeam = { teamId: Uuid, teamName: z.string() };

export const OrgMemberViewSchema = MemberViewSchema.extend(InTeam).meta({ id: 'OrgMemberView' });
export type OrgMemberView = z.infer<typeof OrgMemberViewSchema>;
export const OrgInvitationViewSchema = InvitationViewSchema.extend(InTeam).meta({ id: 'OrgInvitationView' });
export type OrgInvitationView = z.infer<typeof OrgInvitationViewSchema>;

/** Which side asked to move a team into an organization; the other side approves. */
export const TransferSideSchema = z.enum(['team', 'organization']);
export type TransferSide = z.infer<typeof TransferSideSchema>;
export const TransferStatusSchema = z.enum(['pending', 'completed', 'declined']);
export type TransferStatus = z.infer<typeof TransferStatusSchema>;
/**
 * An approval a pending move still needs: an Admin of the team, a second Admin of the team (a team with two or
 * more Admins moves only with two), an Org Admin.
 */
export const TransferApprovalSchema = z.enum(['team', 'another_team_admin', 'organization']);
export type TransferApproval = z.infer<typeof TransferApprovalSchema>;

export const TransferViewSchema = z
  .object({
    id: Uuid,
    teamId: Uuid,
    /**
     * `null` to the organization's side until the team's side has consented (asked, or approved): an Org Admin
     * who offers to take a team in by its id learns nothing about it before its Admins agree.
     */
    teamName: z.string().nullable(),
    organizationId: Uuid,
    organizationName: z.string(),
    requestedBy: TransferSideSchema,
    requestedByUserId: Uuid,
    status: TransferStatusSchema,
    /** What the move still waits for; empty once it is no longer pending. */
    waitingFor: z.array(TransferApprovalSchema),
    createdAt: IsoDateTime,
    decidedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'TransferView' });
export type TransferView = z.infer<typeof TransferViewSchema>;

/** Who acts, in which organization. */
export const OrgCommandSchema = z.strictObject({ organizationId: Uuid, actorUserId: Uuid });
export type OrgCommand = z.infer<typeof OrgCommandSchema>;

export const CreateOrganizationRequestSchema = z.strictObject({ userId: Uuid, name: OrganizationNameSchema });
export const CreateOrgTeamRequestSchema = OrgCommandSchema.extend({ name: TeamNameSchema });
export const OrgAdminCommandSchema = OrgCommandSchema.extend({ userId: Uuid });
export type OrgAdminCommand = z.infer<typeof OrgAdminCommandSchema>;
export const RequestTransferSchema = OrgCommandSchema.extend({ teamId: Uuid });
export type RequestTransfer = z.infer<typeof RequestTransferSchema>;
export const DecideTransferSchema = OrgCommandSchema.extend({ transferId: Uuid, approve: z.boolean() });
export type DecideTransfer = z.infer<typeof DecideTransferSchema>;
/** The transfers one side sees: an organization's, or a team's. */
export const TransferListRequestSchema = z.union([OrganizationIdRequest, TeamIdRequest]);
export type TransferListRequest = z.infer<typeof TransferListRequestSchema>;

/** The organization subjects: request and reply schemas. */
export const ORGANIZATIONS_RPC = {
  'tessera.teams.org.create': rpc(CreateOrganizationRequestSchema, OrganizationViewSchema),
  'tessera.teams.org.get': rpc(OrganizationIdRequest, OrganizationViewSchema),
  'tessera.teams.org.teams': rpc(OrganizationIdRequest, z.array(OrgTeamViewSchema)),
  'tessera.teams.org.create-team': rpc(CreateOrgTeamRequestSchema, OrgTeamViewSchema),
  'tessera.teams.org.members': rpc(OrganizationIdRequest, z.array(OrgMemberViewSchema)),
  'tessera.teams.org.admins': rpc(OrganizationIdRequest, z.array(MemberViewSchema)),
  /** Makes an Org Member (a member of one of its teams) an Org Admin. */
  'tessera.teams.org.add-admin': rpc(OrgAdminCommandSchema, MemberViewSchema),
  /** Never the last Org Admin (`last_admin`); an Org Admin may step down. */
  'tessera.teams.org.remove-admin': rpc(OrgAdminCommandSchema, z.object({ removed: z.literal(true) })),
  'tessera.teams.org.invitations': rpc(OrganizationIdRequest, z.array(OrgInvitationViewSchema)),
  /** The actor must be an Admin of the team, an Org Admin, or both (then the move happens at once). */
  'tessera.teams.transfer.request': rpc(RequestTransferSchema, TransferViewSchema),
  /**
   * The side that did not ask approves (and a second Admin of a team with two or more); either side may
   * decline. Every wrong id (unknown, archived, not a team, not this organization's, not the actor's) is the
   * same `not_found`.
   */
  'tessera.teams.transfer.decide': rpc(DecideTransferSchema, TransferViewSchema),
  'tessera.teams.transfer.list': rpc(TransferListRequestSchema, z.array(TransferViewSchema)),
};

/** A transfer is always asked for and decided by a person. */
const TransferEventSchema = TeamEventBaseSchema.extend({
  actorUserId: Uuid,
  transferId: Uuid,
  teamId: Uuid,
  organizationId: Uuid,
  requestedBy: TransferSideSchema,
});

/** The organization events: payload schemas. */
export const ORGANIZATIONS_EVENTS = {
  'tessera.events.teams.organization.created': TeamEventBaseSchema.extend({ name: z.string() }),
  'tessera.events.teams.transfer.requested': TransferEventSchema,
  'tessera.events.teams.transfer.declined': TransferEventSchema,
  /**
   * `accountId` is the team, now a child of `organizationId`; `effective` is its effective policy from now on,
   * which keys applies to the team's keys exactly as a `policy.changed` (absent on moves recorded before it was
   * carried). Sign-in and session rules need no event: identity reads them per user when a session is used.
   */
  'tessera.events.teams.team.moved': TransferEventSchema.extend({
    effective: PolicySettingsSchema.optional(),
  }),
};

/** Requests of every team of an organization in a range, by team and action. */
export const OrgUsageReportSchema = z
  .object({
    organizationId: Uuid,
    from: IsoDateTime,
    to: IsoDateTime,
    teams: z.array(
      z.object({
        teamId: Uuid,
        teamName: z.string(),
        requests: z.number().int(),
        byAction: z.array(z.object({ action: z.string(), requests: z.number().int() })),
        byPeriod: z
          .array(z.object({ period: IsoDateTime, requests: z.number().int() }))
          .optional()
          .meta({
            description: 'With `interval`: the start of each UTC hour or day with requests, in order.',
          }),
      }),
    ),
    interval: UsageIntervalSchema.nullable().meta({
      description: '`null`: totals over the whole range; else each team also has `byPeriod`.',
    }),
  })
  .meta({ id: 'OrgUsageReport' });
export type OrgUsageReport = z.infer<typeof OrgUsageReportSchema>;
