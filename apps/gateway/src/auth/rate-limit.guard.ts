import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { TesseraError } from '@tessera/contracts';
import { CONFIG, LOGGER, Logger, REDIS } from '@tessera/runtime';
import { Request, Response } from 'express';
import Redis from 'ioredis';

const WINDOW_SECONDS = 60;

/**
 * Limits sign-in, callback, token and device requests per client address: a fixed one-minute window counted in
 * Redis, shared by every gateway. Over the limit: 429 `rate_limited` with `Retry-After`. If Redis is down the
 * request is let through (and logged): sign-in stays available, the limit is a brake, not a lock.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const key = `${this.config.redisPrefix}ratelimit:auth:${request.ip}:${window}`;
    let count: number;
    try {
      const [[, incremented]] = (await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS).exec()) as [
        [Error | null, number],
      ];
      count = incremented;
    } catch (error) {
      this.logger.warn({ err: error }, 'rate limit not applied: Redis unavailable');
      return true;
    }
    if (count <= this.config.authRateLimit) return true;
    const retryAfter = (window + 1) * WINDOW_SECONDS - Math.floor(Date.now() / 1000);
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(Math.max(retryAfter, 1)));
    throw new TesseraError('rate_limited', `Too many attempts. Try again in ${retryAfter} seconds.`);
  }
}
