import { Role } from '@tessera/contracts';

/** What an Org Admin may do in the organization account itself (as Admin they also run every child team). */
export type OrgAction = 'org.read' | 'org.manage';

export const ORG_ACTIONS: readonly { action: OrgAction; label: string; roles: readonly Role[] }[] = [
  {
    action: 'org.read',
    label: "see every child team with its members, pending invitations, keys' metadata and usage",
    roles: ['admin'],
  },
  { action: 'org.manage', label: 'create teams in the organization, move teams in', roles: ['admin'] },
];
