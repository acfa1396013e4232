import type { AccountView } from '@tessera/contracts';
import { isUuid } from '@tessera/contracts';
import { TesseraClient } from './client';
import { Credential } from './credentials';
import { UnknownTeamError } from './errors';
import { Profile } from './store';

/**
 * One of the signed-in person's accounts, by id, by name (any case), or `personal`. An API key cannot list
 * accounts, so with a key only an id works.
 */
export async function findAccount(client: TesseraClient, reference: string): Promise<AccountView> {
  if (client.options.credential.type === 'key')
    throw new UnknownTeamError('With an API key, name the team by its id: a key cannot list teams.');
  const accounts = await client.accounts();
  const matches = accounts.filter((account) =>
    reference === 'personal'
      ? account.kind === 'personal'
      : account.id === reference || account.name.toLowerCase() === reference.toLowerCase(),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length === 0)
    throw new UnknownTeamError(`You have no team "${reference}": "tessera teams list" shows yours.`);
  throw new UnknownTeamError(
    `Several teams are named "${reference}": use an id (${matches.map((team) => team.id).join(', ')}).`,
  );
}

/**
 * The account requests act for (sent as `X-Tessera-Account`): the team asked for, with any credential; else, for
 * a saved login, the profile's team (`teams set` and `teams create` store its id); else none, and the API uses the
 * credential's own account (a key's, or the one picked at login). A key ignores the profile's team: a key belongs
 * to one account. An id is used as it is; a name or `personal` costs one lookup.
 */
export async function accountToActFor(
  host: string,
  credential: Credential,
  profile: Profile,
  team?: string,
): Promise<string | undefined> {
  const chosen = team ?? (credential.type === 'bearer' ? profile.team : undefined);
  if (chosen === undefined || isUuid(chosen)) return chosen;
  return (await findAccount(new TesseraClient({ host, credential }), chosen)).id;
}
