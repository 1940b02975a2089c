import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import type { Logger } from '../logger';
import { HttpError } from './errors';
import type { RedisClient } from '../redis';

/**
 * Counts refused (unauthenticated) calls per client address in Redis, shared by every worker
 * process: after `perMinute` refusals in a minute an address gets 429 with Retry-After instead of
 * 401. Callers that authenticate never spend a point, so a flood of guesses cannot lock the real
 * sender out. If Redis fails the plain refusal goes out: nothing is written either way.
 */
export class UnauthenticatedLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: RedisClient,
    keyPrefix: string,
    readonly perMinute: number,
    private readonly logger: Logger,
  ) {
    this.limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix, points: perMinute, duration: 60 });
  }

  /** The error to answer one refused call with: `refusal` itself, or a 429 once the address is over its limit. */
  async refuse(ip: string | undefined, refusal: HttpError): Promise<HttpError> {
    try {
      await this.limiter.consume(ip ?? 'unknown', 1);
      return refusal;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        this.logger.warn({ err: error }, 'unauthenticated-call limiter unavailable; answering the plain refusal');
        return refusal;
      }
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      return new HttpError(429, 'rate_limited', `Too many unauthenticated calls from this address; retry in ${seconds} s.`, undefined, {
        'Retry-After': String(seconds),
      });
    }
  }
}
