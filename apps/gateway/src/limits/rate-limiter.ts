import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { TesseraError } from '@tessera/contracts';
import { CONFIG, LOGGER, Logger, REDIS } from '@tessera/runtime';
import Redis from 'ioredis';
import { rateLimitRefusals } from '@tessera/telemetry';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './rate-limited.exception';

/**
 * One budget: at most `limit` units per window of `windowSeconds`, counted apart for each subject; a subject's
 * window starts with its first charge.
 */
export interface RateBudget {
  /** Names the budget in Redis keys, e.g. `invitations:user`. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** Says what was refused, e.g. "You sent too many invitations." (the wait is appended). */
  refusal: string;
  /**
   * While Redis cannot be reached: `count-here` keeps the budget in this gateway's memory (logged; a brake for
   * sign-in and attempts, per gateway), `refuse` answers 503 `service_unavailable` (for what sends e-mail, which
   * should not go out metered only per gateway).
   */
  withoutRedis: 'count-here' | 'refuse';
}

/** Units of one budget that one request takes: `subject` is whose budget it is (an address, a user id, …). */
export interface RateCharge {
  budget: RateBudget;
  subject: string;
  cost?: number;
}

/** The in-memory stand-in for a budget while Redis is down; says so each time it counts. */
class CountedHere extends RateLimiterMemory {
  constructor(
    budget: RateBudget,
    private readonly logger: Logger,
  ) {
    super({ points: budget.limit, duration: budget.windowSeconds });
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>) {
    this.logger.warn(`rate limit counted in this gateway only: Redis unavailable`);
    return super.consume(key, points, options);
  }
}

/**
 * Rate limits counted in Redis with rate-limiter-flexible, shared by every gateway (see decision 019). Over a
 * limit: 429 `rate_limited` with `Retry-After` (the end of that budget's window for the subject). A request's
 * charges are all or nothing: when one is refused, every one is given back, so a refused request uses up nothing.
 */
@Injectable()
export class RateLimiter {
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async consume(charges: RateCharge[]): Promise<void> {
    const results = await Promise.allSettled(
      charges.map(({ budget, subject, cost = 1 }) => this.limiterOf(budget).consume(subject, cost)),
    );
    if (results.every(({ status }) => status === 'fulfilled')) return;
    // The library counts a refused charge too: giving back everything counted leaves the budgets as they were.
    await Promise.allSettled(
      charges.map(({ budget, subject, cost = 1 }, i) => {
        const result = results[i];
        const counted = result.status === 'fulfilled' || result.reason instanceof RateLimiterRes;
        return counted ? this.limiterOf(budget).reward(subject, cost) : undefined;
      }),
    );
    const refused = results.findIndex(
      (result) => result.status === 'rejected' && result.reason instanceof RateLimiterRes,
    );
    if (refused === -1) {
      const failure = results.find((result) => result.status === 'rejected');
      this.logger.warn({ err: failure?.reason }, `rate limit not applied: Redis unavailable`);
      throw new TesseraError('service_unavailable', 'Limits cannot be checked right now. Try again shortly.');
    }
    rateLimitRefusals.inc({ budget: charges[refused].budget.name });
    const wait = (results[refused] as PromiseRejectedResult).reason as RateLimiterRes;
    throw new RateLimitedError(
      Math.max(Math.ceil(wait.msBeforeNext / 1000), 1),
      charges[refused].budget.refusal,
    );
  }

  private limiterOf(budget: RateBudget): RateLimiterRedis {
    let limiter = this.limiters.get(budget.name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${this.config.redisPrefix}ratelimit:${budget.name}`,
        points: budget.limit,
        duration: budget.windowSeconds,
        insuranceLimiter:
          budget.withoutRedis === 'count-here' ? new CountedHere(budget, this.logger) : undefined,
      });
      this.limiters.set(budget.name, limiter);
    }
    return limiter;
  }
}
