import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  afterEach(() => jest.useRealTimers());

  it('forgets an entry after its lifetime, or sooner when it says so', () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new TtlCache<string, number>(1000);
    cache.set('long', 1);
    cache.set('short', 2, 300);
    jest.setSystemTime(299);
    expect([cache.get('long'), cache.get('short')]).toEqual([1, 2]);
    jest.setSystemTime(300);
    expect([cache.get('long'), cache.get('short')]).toEqual([1, undefined]);
    jest.setSystemTime(1000);
    expect(cache.get('long')).toBeUndefined();
  });

  it('drops the oldest entry when full, and entries by value', () => {
    const cache = new TtlCache<string, { account: string }>(60_000, 2);
    cache.set('a', { account: 'x' });
    cache.set('b', { account: 'y' });
    cache.set('c', { account: 'y' });
    expect(cache.get('a')).toBeUndefined();
    cache.deleteWhere((value) => value.account === 'y');
    expect([cache.get('b'), cache.get('c')]).toEqual([undefined, undefined]);
  });
});
