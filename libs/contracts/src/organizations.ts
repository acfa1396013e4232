import { z } from 'zod';
import { PolicySettings } from './policies';
import { Uuid } from './schema';
import { InvitationView, MemberView, TeamEventBase } from './teams';

/** Payloads of the teams service's organization subjects. */

export interface OrganizationView {
  id: string;
  name: string;
  createdAt: string;
}

/** A child team as its Org Admins see it. */
export interface OrgTeamView {
  id: string;
  name: string;
  createdAt: string;
  members: number;
  pendingInvitations: number;
}

export type OrgMemberView = MemberView & { teamId: string; teamName: string };
export type OrgInvitationView = InvitationView & { teamId: string; teamName: string };

/** Which side asked to move a team into an organization; the other side approves. */
export type TransferSide = 'team' | 'organization';
export type TransferStatus = 'pending' | 'completed' | 'declined';
/**
 * An approval a pending move still needs: an Admin of the team, a second Admin of the team (a team with two or
 * more Admins moves only with two), an Org Admin.
 */
export type TransferApproval = 'team' | 'another_team_admin' | 'organization';

export interface TransferView {
  id: string;
  teamId: string;
  /**
   * `null` to the organization's side until the team's side has consented (asked, or approved): an Org Admin who
   * offers to take a team in by its id learns nothing about it before its Admins agree.
   */
  teamName: string | null;
  organizationId: string;
  organizationName: string;
  requestedBy: TransferSide;
  requestedByUserId: string;
  status: TransferStatus;
  /** What the move still waits for; empty once it is no longer pending. */
  waitingFor: TransferApproval[];
  createdAt: string;
  decidedAt: string | null;
}

/** What an Org Admin asks for; the gateway has already checked the role. */
export const OrgCommandSchema = z.strictObject({ organizationId: Uuid, actorUserId: Uuid });
export type OrgCommand = z.infer<typeof OrgCommandSchema>;

export interface OrganizationsEvents {
  'tessera.events.teams.organization.created': TeamEventBase & { name: string };
  'tessera.events.teams.transfer.requested': TeamEventBase & TransferEventFields;
  'tessera.events.teams.transfer.declined': TeamEventBase & TransferEventFields;
  /**
   * `accountId` is the team, now a child of `organizationId`; `effective` is its effective policy from now on, which
   * keys applies to the team's keys exactly as a `policy.changed` (absent on moves recorded before it was carried).
   * Sign-in and session rules need no event: identity reads them per user when a session is used.
   */
  'tessera.events.teams.team.moved': TeamEventBase & TransferEventFields & { effective?: PolicySettings };
}

interface TransferEventFields {
  transferId: string;
  teamId: string;
  organizationId: string;
  requestedBy: TransferSide;
}

export interface OrganizationsRpc {
  'tessera.teams.org.create': [{ userId: string; name: string }, OrganizationView];
  'tessera.teams.org.get': [{ organizationId: string }, OrganizationView];
  'tessera.teams.org.teams': [{ organizationId: string }, OrgTeamView[]];
  'tessera.teams.org.create-team': [OrgCommand & { name: string }, OrgTeamView];
  'tessera.teams.org.members': [{ organizationId: string }, OrgMemberView[]];
  'tessera.teams.org.admins': [{ organizationId: string }, MemberView[]];
  /** Makes an Org Member (a member of one of its teams) an Org Admin. */
  'tessera.teams.org.add-admin': [OrgCommand & { userId: string }, MemberView];
  /** Never the last Org Admin (`last_admin`); an Org Admin may step down. */
  'tessera.teams.org.remove-admin': [OrgCommand & { userId: string }, { removed: true }];
  'tessera.teams.org.invitations': [{ organizationId: string }, OrgInvitationView[]];
  /** The actor must be an Admin of the team, an Org Admin, or both (then the move happens at once). */
  'tessera.teams.transfer.request': [OrgCommand & { teamId: string }, TransferView];
  /**
   * The side that did not ask approves (and a second Admin of a team with two or more); either side may decline.
   * Every wrong id (unknown, archived, not a team, not this organization's, not the actor's) is the same
   * `not_found`.
   */
  'tessera.teams.transfer.decide': [OrgCommand & { transferId: string; approve: boolean }, TransferView];
  'tessera.teams.transfer.list': [{ organizationId: string } | { teamId: string }, TransferView[]];
}

/** Subjects described by schemas (request and reply); the interface above lists those still to move here. */
export const ORGANIZATIONS_RPC = {};
