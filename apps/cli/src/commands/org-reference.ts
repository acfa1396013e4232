import { isUuid } from '@tessera/contracts';
import { CliContext } from '../context';
import { pick } from '../lookup';

/** How every `orgs` command names its organization in `--help`. */
export const ORG_ARGUMENT = 'organization id or name';

/**
 * The id of an organization named by id or by name. A name is looked up among the organizations you are an Org
 * Admin of (exit 2 if none matches); an id goes to the API as it is, which answers `not_found` for one that does not
 * exist or is not yours, alike.
 */
export async function organizationId(context: CliContext, reference: string): Promise<string> {
  if (isUuid(reference)) return reference;
  const accounts = await (await context.client()).accounts();
  return pick(
    accounts.filter((account) => account.kind === 'organization'),
    reference,
    { id: (organization) => organization.id, label: (organization) => organization.name },
    'organization',
    'tessera orgs list',
  ).id;
}
