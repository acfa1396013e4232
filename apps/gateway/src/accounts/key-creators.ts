import { KeyListing, KeyView, RpcClient } from '@tessera/contracts';

/**
 * Keys as listings show them: each with its creator's name and e-mail, so a dashboard says who made a key
 * rather than a user id. One lookup for the whole list; a creator who is gone keeps their id, named `null`.
 */
export async function withCreators<K extends KeyView>(
  rpc: RpcClient,
  keys: K[],
): Promise<(K & Pick<KeyListing, 'createdBy'>)[]> {
  const userIds = [...new Set(keys.map((key) => key.createdByUserId))];
  const users = userIds.length ? await rpc.request('tessera.identity.user.get-many', { userIds }) : [];
  const people = new Map(users.map((user) => [user.id, user]));
  return keys.map((key) => {
    const user = people.get(key.createdByUserId);
    return {
      ...key,
      createdBy: { userId: key.createdByUserId, name: user?.name ?? null, email: user?.email ?? null },
    };
  });
}
