import { useNavigate } from 'react-router';
import { useAccounts } from '../../hooks/accounts';
import { useInvalidate } from '../../hooks/invalidate';
import { homeOf } from '../../layout/account-switcher';

/**
 * After leaving or archiving a team: to the personal account (every person has one), then the accounts list is
 * read again so the switcher no longer offers the team.
 */
export function useGoToPersonalAccount() {
  const accounts = useAccounts();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  return async () => {
    const personal = accounts.data?.find((account) => account.kind === 'personal');
    // Away from the team's pages first, so none of them asks the API about a team that is no longer theirs.
    await navigate(personal ? homeOf(personal) : '/');
    await invalidate('/v1/me/accounts');
  };
}
