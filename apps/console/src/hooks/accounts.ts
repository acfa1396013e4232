import { $api, type Schemas } from '../api/client';

export type Account = Schemas['AccountView'];

/** The signed-in person and the accounts they can act as (personal first, then organizations and teams). */
export function useAccounts() {
  return $api.useQuery('get', '/v1/me/accounts');
}

export function useMe() {
  return $api.useQuery('get', '/v1/me');
}

/** The account a page is about, from the accounts list; `undefined` while loading or when it is not one of theirs. */
export function useAccount(accountId: string | undefined): Account | undefined {
  return useAccounts().data?.find((account) => account.id === accountId);
}

export const ROLE_LABELS: Record<Schemas['Role'], string> = {
  admin: 'Admin',
  developer: 'Developer',
  billing: 'Billing',
};
