import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { type Account, useAccount } from '../../hooks/accounts';
import { NotFound } from '../home';

/**
 * A team's own page (Members, Settings). `AccountGate` has already made sure the account is one of the person's;
 * a personal account has no such page.
 */
export function TeamRoute(props: { children: (team: Account) => ReactNode }) {
  const { accountId } = useParams();
  const team = useAccount(accountId);
  if (team?.kind !== 'team') return <NotFound />;
  return <>{props.children(team)}</>;
}
