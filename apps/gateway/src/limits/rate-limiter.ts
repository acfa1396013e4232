import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { TesseraError } from '@tessera/contracts';
import { CONFIG, LOGGER, Logger, REDIS } from '@tessera/runtime';
import Redis from 'ioredis';
import { RateLimitedError } from './rate-limited.exception';

/** One budget: at most `limit` units per fixed window of `windowSeconds`, counted apart for each subject. */
export interface RateBudget {
  /** Names the budget in Redis keys, e.g. `invitations:user`. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** Says what was refused, e.g. "You sent too many invitations." (the wait is appended). */
  refusal: string;
}

/** Units of one budget that one request takes: `subject` is whose budget it is (an address, a user id, …). */
export interface RateCharge {
  budget: RateBudget;
  subject: string;
  cost?: number;
}

/**
 * All or nothing: when every charge fits in its budget's current window, all are counted and 1 is answered;
 * otherwise nothing is counted and the index (from 2) of the first that does not fit is answered. One script, so
 * two gateways charging the same budgets at once cannot both slip under a limit.
 * KEYS: one counter per charge; ARGV: per charge, its limit, its window in seconds and its cost.
 */
const CONSUME_SCRIPT = `
for i, key in ipairs(KEYS) do
  local used = tonumber(redis.call('GET', key) or '0')
  if used + tonumber(ARGV[3 * i]) > tonumber(ARGV[3 * i - 2]) then return i + 1 end
end
for i, key in ipairs(KEYS) do
  redis.call('INCRBY', key, ARGV[3 * i])
  redis.call('EXPIRE', key, ARGV[3 * i - 1])
end
return 1`;

/**
 * Fixed-window rate limits counted in Redis, shared by every gateway. Over a limit: 429 `rate_limited` with
 * `Retry-After` (the end of that budget's window). When Redis cannot be reached the caller says what happens:
 * `allow` (logged; for sign-in, where the limit is a brake and not a lock) or `refuse` (503 `service_unavailable`;
 * for what sends e-mail, which should not go out unmetered).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async consume(charges: RateCharge[], whenRedisDown: 'allow' | 'refuse'): Promise<void> {
    if (charges.length === 0) return;
    const now = Date.now() / 1000;
    const windows = charges.map(({ budget }) => Math.floor(now / budget.windowSeconds));
    const keys = charges.map(
      ({ budget, subject }, i) =>
        `${this.config.redisPrefix}ratelimit:${budget.name}:${subject}:${windows[i]}`,
    );
    const args = charges.flatMap(({ budget, cost = 1 }) => [budget.limit, budget.windowSeconds, cost]);
    let answer: number;
    try {
      answer = Number(await this.redis.eval(CONSUME_SCRIPT, keys.length, ...keys, ...args));
    } catch (error) {
      this.logger.warn({ err: error }, `rate limit not applied: Redis unavailable`);
      if (whenRedisDown === 'allow') return;
      throw new TesseraError('service_unavailable', 'Limits cannot be checked right now. Try again shortly.');
    }
    if (answer === 1) return;
    const refused = charges[answer - 2];
    const windowEnds = (windows[answer - 2] + 1) * refused.budget.windowSeconds;
    throw new RateLimitedError(Math.max(Math.ceil(windowEnds - now), 1), refused.budget.refusal);
  }
}
