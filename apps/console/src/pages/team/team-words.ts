import type { Schemas } from '../../api/client';
import { ROLE_LABELS } from '../../hooks/accounts';

/** How a member is named on screen: people who never gave a name are known by their e-mail. */
export function displayName(member: Schemas['MemberView']): string {
  return member.name ?? member.email ?? 'A member without a name';
}

/** The roles as select options, in the order of the role table. */
export const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
