import { cacheLookups, cacheMisses } from '@tessera/telemetry';
import { LRUCache } from 'lru-cache';

/** Bumped by `forgetWhere`: a call that started before is answered but not kept. */
const generations = new WeakMap<object, number>();

/**
 * A bounded cache of what the gateway asks the services for, each entry kept at most `ttlMs` (a `fetchMethod`
 * may shorten that for its entry with `options.ttl`). Concurrent misses of one key make one call; a refusal (the
 * call rejects) is not kept. An entry forgotten while its call is in flight (an event said it changed) still
 * answers the requests already waiting, but is not kept: the next request asks again. Lookups and misses are
 * counted under `name` for the metrics' hit ratio.
 */
export function fetchingCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>, C = unknown>(
  name: string,
  max: number,
  ttlMs: number,
  fetchMethod: LRUCache.Fetcher<K, V, C>,
): LRUCache<K, V, C> {
  const cache: LRUCache<K, V, C> = new LRUCache<K, V, C>({
    max,
    ttl: ttlMs,
    ignoreFetchAbort: true,
    fetchMethod: async (key, stale, fetch) => {
      cacheMisses.inc({ cache: name });
      const started = generations.get(cache) ?? 0;
      const value = await fetchMethod(key, stale, fetch);
      // `entries()` does not show calls in flight, so `forgetWhere` cannot delete them: expire this one at once.
      if ((generations.get(cache) ?? 0) !== started) fetch.options.ttl = 1;
      return value;
    },
  });
  countLookups(cache, name);
  return cache;
}

/**
 * lru-cache has no hook for a lookup, and `forceFetch` does not go through `fetch`: both are wrapped on the
 * instance, so every caller's lookups are counted without each caller remembering to.
 */
function countLookups<K extends NonNullable<unknown>, V extends NonNullable<unknown>, C>(
  cache: LRUCache<K, V, C>,
  name: string,
): void {
  const { fetch, forceFetch } = cache;
  cache.fetch = ((...args: Parameters<typeof fetch>) => {
    cacheLookups.inc({ cache: name });
    return fetch.apply(cache, args);
  }) as typeof fetch;
  cache.forceFetch = ((...args: Parameters<typeof forceFetch>) => {
    cacheLookups.inc({ cache: name });
    return forceFetch.apply(cache, args);
  }) as typeof forceFetch;
}

/** Forgets every entry that matches, and keeps no answer of a call in flight now (it may predate the change). */
export function forgetWhere<K extends NonNullable<unknown>, V extends NonNullable<unknown>, C>(
  cache: LRUCache<K, V, C>,
  matches: (value: V, key: K) => boolean,
): void {
  generations.set(cache, (generations.get(cache) ?? 0) + 1);
  for (const [key, value] of [...cache.entries()]) if (matches(value, key)) cache.delete(key);
}
