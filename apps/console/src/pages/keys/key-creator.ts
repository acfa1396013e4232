import { $api, type Schemas } from '../../api/client';
import { type Account, useMe } from '../../hooks/accounts';

type Key = Schemas['KeyView'];

/**
 * Who created each key, in words. The key list names only the creator's user id, so this matches it against the
 * team's members (everyone in a team may read them) or the signed-in owner of a personal account; a creator who
 * has since left is "a member". When the API names the creator itself, only this function changes.
 */
export function useKeyCreator(account: Account | undefined): (key: Key) => string {
  const me = useMe().data;
  const isTeam = account?.kind === 'team';
  const members = $api.useQuery(
    'get',
    '/v1/teams/{id}/members',
    { params: { path: { id: account?.id ?? '' } } },
    { enabled: isTeam },
  ).data;
  return (key) => {
    if (!isTeam && me?.id === key.createdByUserId) return me.name ?? me.email;
    const member = members?.find((candidate) => candidate.userId === key.createdByUserId);
    return member?.name ?? member?.email ?? 'a member';
  };
}
