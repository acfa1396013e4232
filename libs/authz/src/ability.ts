import { AbilityBuilder, MongoAbility, createMongoAbility } from '@casl/ability';
import { KeyScope, Role } from '@tessera/contracts';
import { RESOURCE_ACTIONS, ResourceAction } from './resource-actions';
import { ORG_ACTIONS, OrgAction } from './org-actions';
import { ROLE_MATRIX, TeamAction, rolesFor } from './role-matrix';

export type Action = TeamAction | ResourceAction | OrgAction;
export type AccountAbility = MongoAbility<[Action, 'Account']>;

/**
 * What a principal holds in the account it acts for: a member has a role, a key has a scope (and no role: keys
 * never do person actions such as managing keys or members).
 */
export interface Grants {
  role?: Role;
  keyScope?: KeyScope;
}

const cache = new Map<string, AccountAbility>();

/**
 * The one authorization decision, used by the gateway's guards and by the decision point. Abilities are built
 * from the role matrix and the scope table and cached per grant set: building one costs microseconds, a check
 * far less.
 */
export function abilityFor(grants: Grants): AccountAbility {
  const key = `${grants.role ?? '-'}/${grants.keyScope ?? '-'}`;
  let ability = cache.get(key);
  if (!ability) {
    const { can, build } = new AbilityBuilder<AccountAbility>(createMongoAbility);
    const { role, keyScope } = grants;
    if (role && !keyScope) {
      for (const row of ROLE_MATRIX) if (row.roles.includes(role)) can(row.action, 'Account');
      // Held in any account, but only organization routes ask for them.
      for (const row of ORG_ACTIONS) if (row.roles.includes(role)) can(row.action, 'Account');
      // Any member may use the account's resources, whatever their role, but those the role matrix names
      // (granted just above, by role).
      for (const row of RESOURCE_ACTIONS) if (!rolesFor(row.action)) can(row.action, 'Account');
    }
    if (keyScope && !role) {
      for (const row of RESOURCE_ACTIONS) if (row.scopes.includes(keyScope)) can(row.action, 'Account');
    }
    ability = build();
    cache.set(key, ability);
  }
  return ability;
}

export function can(grants: Grants, action: Action): boolean {
  return abilityFor(grants).can(action, 'Account');
}
