import { GatewayConfig } from '@tessera/config';
import { TesseraError } from '@tessera/contracts';
import { createLogger, createRedis } from '@tessera/runtime';
import { RateBudget, RateLimiter } from './rate-limiter';
import { RateLimitedError } from './rate-limited.exception';

/** Redis is not reachable here (nothing listens on port 1): what each budget does without it. */
describe('RateLimiter without Redis', () => {
  const redis = createRedis('redis://127.0.0.1:1', 'rate-limiter-spec');
  const limiter = new RateLimiter(
    redis,
    { redisPrefix: 'spec:' } as GatewayConfig,
    createLogger('spec', 'silent'),
  );
  const budget = (withoutRedis: RateBudget['withoutRedis']): RateBudget => ({
    name: `spec-${withoutRedis}`,
    limit: 2,
    windowSeconds: 60,
    refusal: 'Too many.',
    withoutRedis,
  });

  afterAll(() => redis.disconnect());

  it('counts a brake in this process instead, with the same limit and Retry-After', async () => {
    const brake = budget('count-here');
    await limiter.consume([{ budget: brake, subject: 'a' }]);
    await limiter.consume([{ budget: brake, subject: 'a' }]);
    const refused = await limiter.consume([{ budget: brake, subject: 'a' }]).catch((error) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused.retryAfterSeconds).toBeGreaterThan(50);
    await limiter.consume([{ budget: brake, subject: 'b' }]);
  });

  it('refuses what must not go out unmetered with service_unavailable', async () => {
    const refused = await limiter
      .consume([{ budget: budget('refuse'), subject: 'a' }])
      .catch((error) => error);
    expect(refused).toBeInstanceOf(TesseraError);
    expect(refused).not.toBeInstanceOf(RateLimitedError);
    expect(refused.code).toBe('service_unavailable');
  });

  it('gives back every charge of a refused request, so it uses up nothing', async () => {
    const small = { ...budget('count-here'), name: 'spec-small', limit: 1 };
    const large = { ...budget('count-here'), name: 'spec-large', limit: 5 };
    await limiter.consume([{ budget: small, subject: 'c' }]);
    for (let i = 0; i < 3; i++)
      await expect(
        limiter.consume([
          { budget: large, subject: 'c', cost: 2 },
          { budget: small, subject: 'c' },
        ]),
      ).rejects.toThrow(RateLimitedError);
    await limiter.consume([{ budget: large, subject: 'c', cost: 5 }]);
  });
});
