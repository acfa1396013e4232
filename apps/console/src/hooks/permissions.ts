import { $api } from '../api/client';

/**
 * What the caller's role may do in a team, from the API's own role table. The console hides or disables what is
 * not allowed; the API still refuses it, and the refusal is shown.
 */
export function useTeamPermissions(teamId: string | undefined) {
  const query = $api.useQuery(
    'get',
    '/v1/teams/{id}/permissions',
    { params: { path: { id: teamId ?? '' } } },
    { enabled: teamId !== undefined },
  );
  return {
    ...query,
    role: query.data?.role,
    can: (action: string): boolean => query.data?.actions[action] === true,
  };
}
