import { useAccount } from '../../hooks/accounts';
import { useTeamPermissions } from '../../hooks/permissions';

/**
 * What the signed-in person may do with an account's keys. A personal account's owner manages their own keys;
 * in a team the API's role table decides (Admin manages, Billing reads, Developers only use them).
 */
export function useKeyAccess(accountId: string | undefined) {
  const account = useAccount(accountId);
  const isTeam = account?.kind === 'team';
  const permissions = useTeamPermissions(isTeam ? accountId : undefined);
  if (!account) return { account, isPending: true, error: undefined, manage: false, read: false };
  if (!isTeam) return { account, isPending: false, error: undefined, manage: true, read: true };
  return {
    account,
    isPending: permissions.isPending,
    error: permissions.error,
    manage: permissions.can('keys.manage'),
    read: permissions.can('keys.read'),
  };
}
