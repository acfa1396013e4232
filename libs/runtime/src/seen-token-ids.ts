/**
 * Ids of tokens already used, each kept until its token expires, so a captured token cannot be played again to
 * this process. Bounded: past `capacity` the oldest id is forgotten first (only verified tokens are remembered, so
 * filling it takes the root secret; forgetting early weakens this second line of defence, never the first).
 */
export class SeenTokenIds {
  /** id → expiry (ms); a Map keeps insertion order, which is close to expiry order, so the sweep stops early. */
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers `id` until `expiresAtMs`; false when it was already there (a replay). */
  remember(id: string, expiresAtMs: number): boolean {
    this.sweep();
    if (this.expiries.has(id)) return false;
    if (this.expiries.size >= this.capacity) {
      const oldest = this.expiries.keys().next().value;
      if (oldest !== undefined) this.expiries.delete(oldest);
    }
    this.expiries.set(id, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, expiresAt] of this.expiries) {
      if (expiresAt > now) break;
      this.expiries.delete(id);
    }
  }
}
