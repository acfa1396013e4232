import { KeyScope } from './keys';
import { TeamEventBase } from './teams';

/** Payloads of the teams service's policy subjects. */

export type SignInMethod = 'github' | 'google' | 'saml';

/**
 * The settings an organization (or a team) may set. Every one is optional; absent means "no rule". A team
 * inherits its organization's and may only tighten them. Sign-in and session rules (`sso.enforced`,
 * `signin.allowedMethods`, `sessions.maxAgeHours`) are the organization's alone: a team cannot set them.
 */
export interface PolicySettings {
  /** Members whose e-mail is in a verified domain must sign in through the organization's SSO. */
  'sso.enforced'?: boolean;
  'signin.allowedMethods'?: SignInMethod[];
  /** Invitations to other e-mail domains are refused. */
  'invitations.allowedDomains'?: string[];
  'keys.allowedScopes'?: KeyScope[];
  /** Keys must expire within this many days of their creation. */
  'keys.maxLifetimeDays'?: number;
  /** Sessions end this many hours after sign-in. */
  'sessions.maxAgeHours'?: number;
  /** The default expiry of generated media, for the serving services (returned by the decision point). */
  'data.retentionDays'?: number;
}

/** One version of an account's own settings. Version 0: nothing was ever set. */
export interface PolicyView {
  accountId: string;
  version: number;
  settings: PolicySettings;
  updatedByUserId: string | null;
  updatedAt: string | null;
}

/** What applies to an account: its own settings tightened by its organization's. */
export interface EffectivePolicyView {
  accountId: string;
  own: PolicyView;
  organization: PolicyView | null;
  effective: PolicySettings;
}

/** An organization's own settings, as they bear on one of its members. */
export interface OrganizationPolicy {
  organizationId: string;
  settings: PolicySettings;
}

export interface PolicyCommand {
  accountId: string;
  actorUserId: string;
  settings: unknown;
  /** The version the client read; the write is refused (`version_conflict`) if another came in between. */
  expectedVersion?: number;
}

export interface PoliciesEvents {
  /** `affected`: every account whose effective policy this change may alter, with its new effective policy. */
  'tessera.events.teams.policy.changed': TeamEventBase & {
    version: number;
    settings: PolicySettings;
    affected: { accountId: string; effective: PolicySettings }[];
  };
}

export interface PoliciesRpc {
  'tessera.teams.policy.get': [{ accountId: string }, EffectivePolicyView];
  'tessera.teams.policy.set': [PolicyCommand, EffectivePolicyView];
  'tessera.teams.policy.versions': [{ accountId: string }, PolicyView[]];
  /** The tightest settings over every organization the user belongs to (as Org Admin or through its teams). */
  'tessera.teams.policy.for-user': [{ userId: string }, PolicySettings];
  /** The same organizations one by one: sign-in rules name the organization (and its SSO) that refuses. */
  'tessera.teams.policy.organizations-for-user': [{ userId: string }, OrganizationPolicy[]];
}

/** Subjects described by schemas (request and reply); the interface above lists those still to move here. */
export const POLICIES_RPC = {};
