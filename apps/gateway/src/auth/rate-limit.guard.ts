import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { CONFIG } from '@tessera/runtime';
import { Request } from 'express';
import { RateBudget, RateLimiter } from '../limits/rate-limiter';

/**
 * Limits sign-in, callback, token, device and invitation-accept requests per client address: one-minute windows
 * counted in Redis, shared by every gateway. Over the limit: 429 `rate_limited` with `Retry-After`. If Redis is
 * down each gateway counts in its own memory (logged): sign-in stays available, the limit is a brake, not a lock.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly budget: RateBudget;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.budget = {
      name: 'auth',
      limit: config.authRateLimit,
      windowSeconds: 60,
      refusal: 'Too many attempts.',
      withoutRedis: 'count-here',
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    await this.limiter.consume([{ budget: this.budget, subject: request.ip ?? 'unknown' }]);
    return true;
  }
}
