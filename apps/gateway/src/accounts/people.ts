import { RpcClient } from '@tessera/contracts';

/** A person as listings name them: `name` and `email` are `null` once the user is gone. */
export interface NamedPerson {
  userId: string;
  name: string | null;
  email: string | null;
}

/**
 * Names the people a listing refers to, with one lookup for the whole list, so a dashboard shows who did
 * something rather than a user id.
 */
export async function peopleNamed(rpc: RpcClient, ids: string[]): Promise<(userId: string) => NamedPerson> {
  const userIds = [...new Set(ids)];
  const users = userIds.length ? await rpc.request('tessera.identity.user.get-many', { userIds }) : [];
  const people = new Map(users.map((user) => [user.id, user]));
  return (userId) => {
    const user = people.get(userId);
    return { userId, name: user?.name ?? null, email: user?.email ?? null };
  };
}
