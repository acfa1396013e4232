import { SeenTokenIds } from './seen-token-ids';

describe('SeenTokenIds', () => {
  it('refuses an id a second time until it expires, then forgets it', () => {
    let clock = 1_000;
    const seen = new SeenTokenIds(10, () => clock);
    expect(seen.remember('a', 2_000)).toBe(true);
    expect(seen.remember('a', 2_000)).toBe(false);
    clock = 2_000;
    expect(seen.remember('b', 3_000)).toBe(true);
    expect(seen.size).toBe(1);
  });

  it('stays within its capacity by forgetting the oldest id', () => {
    const seen = new SeenTokenIds(3, () => 0);
    for (const id of ['a', 'b', 'c', 'd']) seen.remember(id, 1_000);
    expect(seen.size).toBe(3);
    expect(seen.remember('d', 1_000)).toBe(false);
    expect(seen.remember('a', 1_000)).toBe(true);
  });
});
