/**
 * A bounded map whose entries expire: what the gateway remembers between requests. When full, the oldest
 * entry goes first (insertion order), which is what a cache of short-lived credentials needs.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly limit = 100_000,
  ) {}

  /** Entries held, expired ones not yet dropped included: never more than the limit. */
  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Remembers until `until` (ms since the epoch) when sooner than the cache's own lifetime. */
  set(key: K, value: V, until = Infinity): void {
    if (this.entries.size >= this.limit && !this.entries.has(key))
      this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: Math.min(until, Date.now() + this.ttlMs) });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  deleteWhere(matches: (value: V, key: K) => boolean): void {
    for (const [key, { value }] of this.entries) if (matches(value, key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
