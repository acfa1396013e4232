import { KeyScope } from '@tessera/contracts';
import { markdownTable } from './markdown-table';
import { ROLE_NAMES, rolesFor } from './role-matrix';

/**
 * What a credential may *use* in an account: the actions other services ask the decision point about (Tessera
 * itself serves no model and deploys no app; it answers whether the credential may). Unlike the role matrix
 * (person actions: managing keys and members, viewing usage), these are granted to keys by scope, and to every
 * member acting with a Bearer token whatever their role, unless the role matrix names the action (`secrets.read`):
 * then by role.
 */
export type ResourceAction =
  | 'models.call'
  | 'endpoints.call'
  | 'apps.deploy'
  | 'apps.run'
  | 'apps.manage'
  | 'secrets.read'
  | 'platform.admin';

interface ResourceRow {
  action: ResourceAction;
  label: string;
  scopes: readonly KeyScope[];
}

export const RESOURCE_ACTIONS: readonly ResourceRow[] = [
  { action: 'models.call', label: 'call models', scopes: ['API', 'ADMIN'] },
  { action: 'endpoints.call', label: 'call deployed endpoints', scopes: ['API', 'ADMIN'] },
  { action: 'apps.deploy', label: 'deploy apps', scopes: ['ADMIN'] },
  { action: 'apps.run', label: 'run apps and workloads', scopes: ['ADMIN'] },
  { action: 'apps.manage', label: 'manage apps', scopes: ['ADMIN'] },
  // API keys too, unless the policy `secrets.adminKeysOnly` says otherwise: an app that only calls models may
  // still need a token for a third party.
  {
    action: 'secrets.read',
    label: "read the team's secrets (`tessera.secrets.resolve`)",
    scopes: ['API', 'ADMIN'],
  },
  {
    action: 'platform.admin',
    label: "platform admin APIs, including the account's usage",
    scopes: ['ADMIN'],
  },
];

const ACTIONS = new Set<string>(RESOURCE_ACTIONS.map((row) => row.action));

export function isResourceAction(action: string): action is ResourceAction {
  return ACTIONS.has(action);
}

/** The README's table of actions by key scope and for members; padded as Prettier pads Markdown tables. */
export function scopeTable(): string {
  const rows = [
    ['action', 'what it allows', 'API key', 'ADMIN key', 'member (Bearer)'],
    ...RESOURCE_ACTIONS.map((row) => [
      `\`${row.action}\``,
      row.label,
      row.scopes.includes('API') ? '✓' : '–',
      row.scopes.includes('ADMIN') ? '✓' : '–',
      rolesFor(row.action)
        ?.map((role) => ROLE_NAMES[role])
        .join(', ') ?? '✓',
    ]),
  ];
  return markdownTable(rows);
}
