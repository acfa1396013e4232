import { TesseraError } from '@tessera/contracts';

/** 429 `rate_limited`, with how long to wait: the error filter sends it as `Retry-After`. */
export class RateLimitedError extends TesseraError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super('rate_limited', `${what} Try again in ${retryAfterSeconds} seconds.`);
  }
}
