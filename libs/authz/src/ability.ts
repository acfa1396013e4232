import { AbilityBuilder, MongoAbility, createMongoAbility } from '@casl/ability';
import { Role } from '@tessera/contracts';
import { ROLE_MATRIX, TeamAction } from './role-matrix';

export type TeamAbility = MongoAbility<[TeamAction, 'Team']>;

export interface Grants {
  /** The member's role in the account acted for. */
  role?: Role;
}

const cache = new Map<string, TeamAbility>();

/**
 * The one authorization decision: what a principal may do in the account it acts for. Abilities are built from
 * the role matrix and cached per grant set (building one costs microseconds; a check costs far less).
 */
export function abilityFor(grants: Grants): TeamAbility {
  const key = grants.role ?? '-';
  let ability = cache.get(key);
  if (!ability) {
    const { can, build } = new AbilityBuilder<TeamAbility>(createMongoAbility);
    for (const row of ROLE_MATRIX)
      if (grants.role && row.roles.includes(grants.role)) can(row.action, 'Team');
    ability = build();
    cache.set(key, ability);
  }
  return ability;
}

export function can(grants: Grants, action: TeamAction): boolean {
  return abilityFor(grants).can(action, 'Team');
}
