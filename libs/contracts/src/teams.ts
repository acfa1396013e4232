/** Payloads of the teams service's subjects. */

export type AccountKind = 'personal' | 'team' | 'organization';
export type Role = 'admin' | 'developer' | 'billing';

export interface AccountView {
  id: string;
  kind: AccountKind;
  name: string;
  /** The caller's role in it. */
  role: Role;
}

export interface EnsurePersonalAccountRequest {
  userId: string;
  name: string;
}

export interface MembershipRequest {
  userId: string;
  accountId: string;
}
