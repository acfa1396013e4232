import { LRUCache } from 'lru-cache';

/**
 * A bounded cache of what the gateway asks the services for, each entry kept at most `ttlMs` (a `fetchMethod`
 * may shorten that for its entry with `options.ttl`). Concurrent misses of one key make one call; a refusal (the
 * call rejects) is not kept. An entry forgotten or replaced while its call is in flight (an event said it
 * changed) still answers the requests already waiting, but is not kept: the next request asks again.
 */
export function fetchingCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>, C = unknown>(
  max: number,
  ttlMs: number,
  fetchMethod: LRUCache.Fetcher<K, V, C>,
): LRUCache<K, V, C> {
  return new LRUCache<K, V, C>({ max, ttl: ttlMs, fetchMethod, ignoreFetchAbort: true });
}

/** Forgets every entry that matches (entries whose call is in flight are not seen). */
export function forgetWhere<K extends NonNullable<unknown>, V extends NonNullable<unknown>, C>(
  cache: LRUCache<K, V, C>,
  matches: (value: V, key: K) => boolean,
): void {
  for (const [key, value] of [...cache.entries()]) if (matches(value, key)) cache.delete(key);
}
