import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger, REDIS } from '@tessera/runtime';
import Redis from 'ioredis';
import { TtlCache } from '../directory/ttl-cache';
import { RateLimitedError } from '../limits/rate-limited.exception';

const WINDOW_SECONDS = 60;
/**
 * Blocked addresses remembered at once. Past it the oldest is forgotten here (not in Redis): its next failure
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
  private readonly blockedUntil = new TtlCache<string, number>(WINDOW_SECONDS * 1000, MAX_BLOCKED_ADDRESSES);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `rate_limited` when this address failed too often in the current window. */
  check(address: string | undefined): void {
    if (!address) return;
    const until = this.blockedUntil.get(address);
    if (until === undefined) return;
    const seconds = Math.max(Math.ceil((until - Date.now()) / 1000), 1);
    throw new RateLimitedError(seconds, 'Too many failed attempts.');
  }

  /** How many blocked addresses this gateway remembers (never more than `MAX_BLOCKED_ADDRESSES`). */
  get blockedCount(): number {
    return this.blockedUntil.size;
  }

  /** Counts a failure; if Redis is unreachable the failure is logged and not counted (a brake, not a lock). */
  async failed(address: string | undefined): Promise<void> {
    if (!address) return;
    const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const key = `${this.config.redisPrefix}ratelimit:credentials:${address}:${window}`;
    try {
      const [[, count]] = (await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS).exec()) as [
        [Error | null, number],
      ];
      if (count >= this.config.keyFailureLimit) {
        const until = (window + 1) * WINDOW_SECONDS * 1000;
        this.blockedUntil.set(address, until, until);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'failed credential not counted: Redis unavailable');
    }
  }
}
