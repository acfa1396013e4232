import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { CONFIG } from '@tessera/runtime';
import { LRUCache } from 'lru-cache';
import { rateLimitRefusals } from '@tessera/telemetry';
import { RateLimitedError } from '../limits/rate-limited.exception';
import { RateBudget, RateLimiter } from '../limits/rate-limiter';

const WINDOW_SECONDS = 60;
/**
 * Blocked addresses remembered at once. Past it the least recently seen is forgotten here (not in Redis): its next failure
 * blocks it again, so a flood of addresses costs bounded memory and lets each forgotten one at most one more try.
 */
export const MAX_BLOCKED_ADDRESSES = 10_000;

/**
 * Slows down guessing: failed credential checks are counted per client address in Redis (shared by every
 * gateway, one-minute windows). Only failures touch Redis; an address over the limit is remembered here until
 * its window ends, so checking whether one is blocked costs a map lookup on the hot path.
 */
@Injectable()
export class FailureLimiter {
  /** Address → when its block ends (ms since the epoch). */
  private readonly blockedUntil = new LRUCache<string, number>({
    max: MAX_BLOCKED_ADDRESSES,
    ttl: WINDOW_SECONDS * 1000,
  });

  /**
   * The failures an address may make in a window before it is blocked: the one that reaches the limit blocks, so
   * the budget the shared limiter counts holds one fewer.
   */
  private readonly budget: RateBudget;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.budget = {
      name: 'credentials',
      limit: config.keyFailureLimit - 1,
      windowSeconds: WINDOW_SECONDS,
      refusal: 'Too many failed attempts.',
      withoutRedis: 'count-here',
    };
  }

  /** `rate_limited` when this address failed too often in the current window. */
  check(address: string | undefined): void {
    if (!address) return;
    const until = this.blockedUntil.get(address);
    if (until === undefined) return;
    const seconds = Math.max(Math.ceil((until - Date.now()) / 1000), 1);
    rateLimitRefusals.inc({ budget: this.budget.name });
    throw new RateLimitedError(seconds, 'Too many failed attempts.');
  }

  /** How many blocked addresses this gateway remembers (never more than `MAX_BLOCKED_ADDRESSES`). */
  get blockedCount(): number {
    return this.blockedUntil.size;
  }

  /** Counts a failure; while Redis is unreachable this gateway counts it in memory (logged): a brake, not a lock. */
  async failed(address: string | undefined): Promise<void> {
    if (!address) return;
    try {
      await this.limiter.consume([{ budget: this.budget, subject: address }]);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      const ttl = error.retryAfterSeconds * 1000;
      this.blockedUntil.set(address, Date.now() + ttl, { ttl });
    }
  }
}
