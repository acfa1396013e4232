import { Role, RoleSchema } from '@tessera/contracts';
import { markdownTable } from './markdown-table';

/** What a person may do in a team, by role. Keys never manage anything: these are person actions. */
export type TeamAction =
  | 'resources.use'
  | 'secrets.read'
  | 'keys.manage'
  | 'keys.read'
  | 'secrets.manage'
  | 'billing.manage'
  | 'invitations.manage'
  | 'members.manage'
  | 'team.manage'
  | 'members.read';

interface MatrixRow {
  action: TeamAction;
  /** How the docs name the action. */
  label: string;
  roles: readonly Role[];
}

/**
 * The role table, as data: the ability builder reads it, a test walks every cell through the HTTP API, and the
 * README's table is rendered from it. Change a cell here and all three follow.
 */
export const ROLE_MATRIX: readonly MatrixRow[] = [
  {
    action: 'resources.use',
    label:
      'use team resources (the actions other services ask the decision point about, with a team key or as a member)',
    roles: ['admin', 'developer', 'billing'],
  },
  // A resource action too (keys by scope): the one a member's role limits, since a Billing member's token must not
  // open the production secrets of the team's apps.
  {
    action: 'secrets.read',
    label: "read the team's secret values in apps, with one's own token (`tessera.secrets.resolve`)",
    roles: ['admin', 'developer'],
  },
  { action: 'keys.manage', label: 'create / delete API keys', roles: ['admin'] },
  { action: 'keys.read', label: 'view API keys (metadata, never secrets)', roles: ['admin', 'billing'] },
  {
    action: 'secrets.manage',
    label: 'set, list and delete team secrets (names and dates; values only reach apps)',
    roles: ['admin'],
  },
  {
    action: 'billing.manage',
    label: "view the team's usage (billing, invoices and payment methods are not available yet)",
    roles: ['admin', 'billing'],
  },
  { action: 'invitations.manage', label: 'invite members, cancel / resend invitations', roles: ['admin'] },
  { action: 'members.manage', label: 'change roles, remove members', roles: ['admin'] },
  { action: 'team.manage', label: 'rename / archive the team', roles: ['admin'] },
  { action: 'members.read', label: 'list members', roles: ['admin', 'developer', 'billing'] },
];

export const ROLE_NAMES: Record<Role, string> = {
  admin: 'Admin',
  developer: 'Developer',
  billing: 'Billing',
};

/** The roles the matrix gives `action` to, or `undefined` when the matrix does not name it (every role may). */
export function rolesFor(action: string): readonly Role[] | undefined {
  return ROLE_MATRIX.find((row) => row.action === action)?.roles;
}

/** The README's role table. */
export function roleTable(): string {
  const roles = RoleSchema.options;
  const rows = [
    ['action', ...roles.map((role) => ROLE_NAMES[role])],
    ...ROLE_MATRIX.map((row) => [row.label, ...roles.map((role) => (row.roles.includes(role) ? '✓' : '–'))]),
  ];
  return markdownTable(rows);
}
