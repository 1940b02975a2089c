import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import { HttpError } from '../../core/http/errors';
import type { Logger } from '../../core/logger';
import type { ActiveTokenView, TokenStore } from '../tokens/store';
import { normalizeIp, REJECTION_MESSAGES, TOKEN_PATTERN, tokenRejection } from '../tokens/token';

/** Bearer integration token: missing / invalid / revoked / expired / IP not allowed → 401 naming the reason. */
export async function authenticate(req: Request, tokens: TokenStore, now = new Date()): Promise<ActiveTokenView> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) throw new HttpError(401, 'missing_token', REJECTION_MESSAGES.missing_token);
  const presented = match[1];
  // A malformed token cannot match a hash: answer without a database round trip.
  const token = TOKEN_PATTERN.test(presented) ? await tokens.findByToken(presented) : undefined;
  const rejection = tokenRejection(token, normalizeIp(req.ip), now);
  if (rejection || !token) {
    const code = rejection ?? 'invalid_token';
    throw new HttpError(401, code, REJECTION_MESSAGES[code]);
  }
  return token;
}

/**
 * Per-token rate limit over a sliding minute, kept in Redis so every worker process shares it.
 * A token's own limit wins over the default. Redis trouble lets the request through (logged):
 * the event is still persisted before it is acknowledged.
 */
export class TokenRateLimiter {
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly defaultPerMinute: number,
    private readonly logger: Logger,
  ) {}

  async consume(token: ActiveTokenView, res: Response): Promise<void> {
    const points = token.rate_limit_per_minute ?? this.defaultPerMinute;
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${this.keyPrefix}:${points}`, points, duration: 60 });
      this.limiters.set(points, limiter);
    }
    try {
      const result = await limiter.consume(String(token.id));
      res.set('X-RateLimit-Limit', String(points));
      res.set('X-RateLimit-Remaining', String(result.remainingPoints));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        res.set('Retry-After', String(seconds));
        res.set('X-RateLimit-Limit', String(points));
        res.set('X-RateLimit-Remaining', '0');
        throw new HttpError(429, 'rate_limited', `Too many requests for this token (limit ${points} per minute); retry in ${seconds} s.`);
      }
      this.logger.warn({ err: error }, 'rate limiter unavailable; request let through');
    }
  }
}
