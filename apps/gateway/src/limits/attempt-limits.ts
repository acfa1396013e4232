import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { CONFIG } from '@tessera/runtime';
import { RateBudget, RateLimiter } from './rate-limiter';

/**
 * Attempts at a code or link by a signed-in person: looking up, approving or denying a device code, accepting an
 * invitation. The per-address limit of sign-in also applies to these routes; this one follows the account, so
 * changing address does not buy more guesses. Without Redis each gateway counts in memory (a brake, not a lock).
 */
@Injectable()
export class AttemptLimits {
  private readonly perUser: RateBudget;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.perUser = {
      name: 'attempts:user',
      limit: config.codeAttemptsPerUserHour,
      windowSeconds: 3600,
      refusal: 'Too many codes or invitations tried this hour.',
      withoutRedis: 'count-here',
    };
  }

  attempt(userId: string): Promise<void> {
    return this.limiter.consume([{ budget: this.perUser, subject: userId }]);
  }
}
