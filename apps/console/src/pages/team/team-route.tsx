import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { type Account, useAccounts } from '../../hooks/accounts';
import { NotFound } from '../home';

/**
 * A team's page renders only for a team the person is in now, judged from their accounts list: someone removed or
 * gone gets "Not found" at once, without the page sending team requests the API would refuse.
 */
export function TeamRoute(props: { children: (team: Account) => ReactNode }) {
  const { accountId } = useParams();
  const accounts = useAccounts();
  if (accounts.error) return <ErrorAlert error={accounts.error} />;
  if (accounts.isPending)
    return (
      <Center py="xl">
        <Loader aria-label="Loading the team" role="status" />
      </Center>
    );
  const team = accounts.data.find((account) => account.id === accountId && account.kind === 'team');
  if (!team) return <NotFound />;
  return <>{props.children(team)}</>;
}
