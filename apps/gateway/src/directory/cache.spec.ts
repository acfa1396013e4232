import { setTimeout as sleep } from 'node:timers/promises';
import { fetchingCache, forgetWhere } from './cache';

describe('fetchingCache', () => {
  /** A service stand-in whose answers the test releases. */
  function service() {
    const pending: ((value: string) => void)[] = [];
    const ask = jest.fn(
      (key: string) => new Promise<string>((answer) => pending.push((v) => answer(`${key}:${v}`))),
    );
    return { ask, answer: (value: string) => pending.shift()!(value) };
  }

  it('makes one call for concurrent misses of a key, and none for a hit', async () => {
    const { ask, answer } = service();
    const cache = fetchingCache<string, string>('test', 10, 60_000, (key) => ask(key));
    const both = Promise.all([cache.forceFetch('a'), cache.forceFetch('a')]);
    answer('1');
    expect(await both).toEqual(['a:1', 'a:1']);
    expect(await cache.forceFetch('a')).toBe('a:1');
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('keeps no refusal', async () => {
    let calls = 0;
    const cache = fetchingCache<string, string>('test', 10, 60_000, async () => {
      if ((calls += 1) === 1) throw new Error('refused');
      return 'ok';
    });
    await expect(cache.forceFetch('a')).rejects.toThrow('refused');
    expect(await cache.forceFetch('a')).toBe('ok');
  });

  it('answers the waiting requests but keeps nothing when the entry is forgotten meanwhile', async () => {
    const { ask, answer } = service();
    const cache = fetchingCache<string, string>('test', 10, 60_000, (key) => ask(key));
    const waiting = cache.forceFetch('a');
    await Promise.resolve();
    cache.delete('a');
    answer('stale');
    expect(await waiting).toBe('a:stale');
    expect(cache.has('a')).toBe(false);
  });

  it('keeps no answer of a call in flight when entries are forgotten by value meanwhile', async () => {
    const { ask, answer } = service();
    const cache = fetchingCache<string, string>('test', 10, 60_000, (key) => ask(key));
    const waiting = cache.forceFetch('a');
    await Promise.resolve();
    forgetWhere(cache, () => true);
    answer('before the revocation');
    expect(await waiting).toBe('a:before the revocation');
    await sleep(5);
    expect(cache.get('a')).toBeUndefined();
    const again = cache.forceFetch('a');
    answer('after');
    expect(await again).toBe('a:after');
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('forgets an entry after its lifetime, or sooner when the fetch says so', async () => {
    const cache = fetchingCache<string, string>('test', 10, 200, async (key, _, { options }) => {
      if (key === 'short') options.ttl = 50;
      return key;
    });
    await cache.forceFetch('long');
    await cache.forceFetch('short');
    expect([cache.get('long'), cache.get('short')]).toEqual(['long', 'short']);
    await sleep(100);
    expect([cache.get('long'), cache.get('short')]).toEqual(['long', undefined]);
    await sleep(150);
    expect(cache.get('long')).toBeUndefined();
  });

  it('holds at most its bound, and forgets entries by value', async () => {
    const cache = fetchingCache<string, { account: string }>('test', 2, 60_000, async (key) => ({
      account: key === 'a' ? 'x' : 'y',
    }));
    for (const key of ['a', 'b', 'c']) await cache.forceFetch(key);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    forgetWhere(cache, (value) => value.account === 'y');
    expect(cache.size).toBe(0);
  });
});
