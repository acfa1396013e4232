import { useAccount } from '../../hooks/accounts';
import { useTeamPermissions } from '../../hooks/permissions';

/**
 * Whether the signed-in person manages an account's secrets. A personal account's owner is its Admin, so they
 * manage their own (the API allows it, and the CLI sets them in whichever account is active); in a team the API's
 * role table decides, and only Admins do (`secrets.manage`).
 */
export function useSecretAccess(accountId: string | undefined) {
  const account = useAccount(accountId);
  const isTeam = account?.kind === 'team';
  const permissions = useTeamPermissions(isTeam ? accountId : undefined);
  if (!account) return { account, isPending: true, error: undefined, manage: false };
  if (!isTeam) return { account, isPending: false, error: undefined, manage: true };
  return {
    account,
    isPending: permissions.isPending,
    error: permissions.error,
    manage: permissions.can('secrets.manage'),
  };
}
