import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { TesseraError } from '@tessera/contracts';
import { CONFIG, LOGGER, Logger, REDIS } from '@tessera/runtime';
import Redis from 'ioredis';

const WINDOW_SECONDS = 60;

/**
 * Slows down guessing: failed credential checks are counted per client address in Redis (shared by every
 * gateway, one-minute windows). Only failures touch Redis; an address over the limit is remembered here until
 * its window ends, so checking whether one is blocked costs a map lookup on the hot path.
 */
@Injectable()
export class FailureLimiter {
  private readonly blockedUntil = new Map<string, number>();

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
    if (until > Date.now()) {
      const seconds = Math.ceil((until - Date.now()) / 1000);
      throw new TesseraError('rate_limited', `Too many failed attempts. Try again in ${seconds} seconds.`);
    }
    this.blockedUntil.delete(address);
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
      if (count >= this.config.keyFailureLimit)
        this.blockedUntil.set(address, (window + 1) * WINDOW_SECONDS * 1000);
    } catch (error) {
      this.logger.warn({ err: error }, 'failed credential not counted: Redis unavailable');
    }
  }
}
