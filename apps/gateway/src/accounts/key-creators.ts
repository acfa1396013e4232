import { KeyListing, KeyView, RpcClient } from '@tessera/contracts';
import { peopleNamed } from './people';

/** Keys as listings show them: each with its creator's name and e-mail (see `peopleNamed`). */
export async function withCreators<K extends KeyView>(
  rpc: RpcClient,
  keys: K[],
): Promise<(K & Pick<KeyListing, 'createdBy'>)[]> {
  const person = await peopleNamed(
    rpc,
    keys.map((key) => key.createdByUserId),
  );
  return keys.map((key) => ({ ...key, createdBy: person(key.createdByUserId) }));
}
