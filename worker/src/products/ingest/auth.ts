import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import { Batcher } from '../../core/batcher';
import { HttpError } from '../../core/http/errors';
import type { Logger } from '../../core/logger';
import type { ActiveTokenView, TokenStore } from '../tokens/store';
import { normalizeIp, REJECTION_MESSAGES, TOKEN_PATTERN, tokenRejection } from '../tokens/token';
import type { RedisClient } from '../../core/redis';

/** Bearer integration token: missing / invalid / revoked / expired / IP not allowed → 401 naming the reason. */
export async function authenticate(authorization: string | undefined, ip: string | undefined, tokens: TokenStore, now = new Date()): Promise<ActiveTokenView> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw new HttpError(401, 'missing_token', REJECTION_MESSAGES.missing_token);
  const presented = match[1];
  // A malformed token cannot match a hash: answer without a database round trip.
  const token = TOKEN_PATTERN.test(presented) ? await tokens.findByToken(presented) : undefined;
  const rejection = tokenRejection(token, normalizeIp(ip), now);
  if (rejection || !token) {
    const code = rejection ?? 'invalid_token';
    throw new HttpError(401, code, REJECTION_MESSAGES[code]);
  }
  return token;
}

/** Share of a token's per-minute limit a process takes from Redis at once. */
const LEASE_SHARE = 0.01;

/**
 * Per-token rate limit over a minute, kept in Redis so every worker process shares it. A token's
 * own limit wins over the default. Each process takes points from Redis in leases (1% of the
 * limit, or what the waiting requests need if more) and spends them locally, so a busy token costs
 * one Redis call per lease instead of one per request. Across processes the limit is never
 * exceeded; at worst a process's unspent lease goes unused until the minute resets. Requests
 * waiting together are counted together (the first ones within the limit pass). Redis trouble lets
 * requests through (logged): the event is still persisted before it is acknowledged.
 */
export class TokenRateLimiter {
  private readonly limiters = new Map<number, RateLimiterRedis>();
  private readonly leases = new Map<string, Lease>();
  private readonly batcher: Batcher<{ tokenId: number; points: number }, Verdict>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly defaultPerMinute: number,
    private readonly logger: Logger,
  ) {
    this.batcher = new Batcher((items) => this.run(items), 1000, 1);
  }

  /** Resolves with the rate-limit headers to send; a refusal is a 429 carrying them and Retry-After. */
  async consume(token: ActiveTokenView): Promise<Record<string, string>> {
    const points = token.rate_limit_per_minute ?? this.defaultPerMinute;
    const verdict = this.fromLease(`${token.id}:${points}`) ?? (await this.batcher.push({ tokenId: token.id, points }));
    const headers = { 'X-RateLimit-Limit': String(points), 'X-RateLimit-Remaining': String(Math.max(0, verdict.remaining)) };
    if (!verdict.allowed) {
      const seconds = Math.max(1, Math.ceil(verdict.msBeforeNext / 1000));
      throw new HttpError(429, 'rate_limited', `Too many requests for this token (limit ${points} per minute); retry in ${seconds} s.`, undefined, {
        ...headers,
        'Retry-After': String(seconds),
      });
    }
    return headers;
  }

  /** A point from this process's lease, if it holds one for the current minute. */
  private fromLease(key: string): Verdict | undefined {
    const lease = this.leases.get(key);
    if (!lease || lease.left <= 0 || lease.until <= Date.now()) return undefined;
    lease.left -= 1;
    return { allowed: true, remaining: lease.elsewhere + lease.left, msBeforeNext: lease.until - Date.now() };
  }

  private limiter(points: number): RateLimiterRedis {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${this.keyPrefix}:${points}`, points, duration: 60 });
      this.limiters.set(points, limiter);
    }
    return limiter;
  }

  private async run(items: Array<{ tokenId: number; points: number }>): Promise<Verdict[]> {
    const groups = new Map<string, number[]>();
    items.forEach((item, index) => {
      const key = `${item.tokenId}:${item.points}`;
      groups.set(key, [...(groups.get(key) ?? []), index]);
    });
    const verdicts: Verdict[] = items.map(() => ({ allowed: true, remaining: 0, msBeforeNext: 0 }));
    await Promise.all(
      [...groups].map(async ([key, indexes]) => {
        // A lease taken by the previous batch serves first.
        const waiting: number[] = [];
        for (const index of indexes) {
          const leased = this.fromLease(key);
          if (leased) verdicts[index] = leased;
          else waiting.push(index);
        }
        if (waiting.length === 0) return;
        const { tokenId, points } = items[waiting[0] as number] as { tokenId: number; points: number };
        const wanted = Math.max(waiting.length, Math.ceil(points * LEASE_SHARE));
        let result: RateLimiterRes;
        try {
          result = await this.limiter(points).consume(String(tokenId), wanted);
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) {
            this.logger.warn({ err: error }, 'rate limiter unavailable; requests let through');
            return;
          }
          result = error;
        }
        // consumedPoints counts this request too: of the points asked, those within the limit are ours.
        const before = result.consumedPoints - wanted;
        const granted = Math.min(wanted, Math.max(0, points - before));
        const elsewhere = Math.max(0, points - result.consumedPoints);
        waiting.forEach((index, position) => {
          const allowed = position < granted;
          verdicts[index] = { allowed, remaining: elsewhere + Math.max(0, granted - position - 1), msBeforeNext: result.msBeforeNext };
        });
        if (granted > waiting.length) this.leases.set(key, { left: granted - waiting.length, elsewhere, until: Date.now() + result.msBeforeNext });
      }),
    );
    return verdicts;
  }
}

interface Lease {
  /** Points this process may still spend before `until` (the end of Redis's current minute). */
  left: number;
  /** What Redis had left for every other process when the lease was taken. */
  elsewhere: number;
  until: number;
}

interface Verdict {
  allowed: boolean;
  remaining: number;
  msBeforeNext: number;
}
