import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HttpError } from '../../../worker/src/core/http/errors';
import { createLogger } from '../../../worker/src/core/logger';
import { TokenRateLimiter } from '../../../worker/src/products/ingest/auth';
import type { ActiveTokenView } from '../../../worker/src/products/tokens/store';
import { uniquePrefix } from '../../support/db';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await redis.quit();
});

const token = (id: number, limit: number): ActiveTokenView => ({
  id,
  owner: 'default',
  name: `t${id}`,
  is_active: 1,
  expires_at: null,
  ip_allowlist: null,
  rate_limit_per_minute: limit,
});

/** Allowed / refused counts of `requests` calls, `atOnce` concurrent at a time, spread over the limiters. */
async function spend(limiters: TokenRateLimiter[], view: ActiveTokenView, requests: number, atOnce: number): Promise<{ allowed: number; refused: number }> {
  let allowed = 0;
  let refused = 0;
  for (let sent = 0; sent < requests; sent += atOnce) {
    await Promise.all(
      Array.from({ length: Math.min(atOnce, requests - sent) }, async (_, i) => {
        try {
          await (limiters[(sent + i) % limiters.length] as TokenRateLimiter).consume(view);
          allowed += 1;
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 429) throw error;
          refused += 1;
        }
      }),
    );
  }
  return { allowed, refused };
}

describe('per-token rate limit leases', () => {
  it('spends a lease locally: a busy token costs one Redis call per 1% of its limit', async () => {
    const prefix = uniquePrefix('rl');
    const limiter = new TokenRateLimiter(redis, prefix, 600, createLogger('silent'));
    expect(await spend([limiter], token(1, 100_000), 500, 10)).toEqual({ allowed: 500, refused: 0 });
    // One lease of 1,000 points taken from Redis, not 500 single points.
    expect(Number(await redis.get(`${prefix}:100000:1`))).toBe(1_000);
  });

  it('never lets two processes together exceed the limit, and leaves at most one lease each unspent', async () => {
    const prefix = uniquePrefix('rl');
    const processes = [new TokenRateLimiter(redis, prefix, 600, createLogger('silent')), new TokenRateLimiter(redis, prefix, 600, createLogger('silent'))];
    const { allowed, refused } = await spend(processes, token(2, 500), 800, 16);
    expect(allowed).toBeLessThanOrEqual(500);
    expect(allowed).toBeGreaterThanOrEqual(500 - 2 * 5);
    expect(allowed + refused).toBe(800);
  });

  it('refuses with Retry-After and the headers once the minute is spent', async () => {
    const limiter = new TokenRateLimiter(redis, uniquePrefix('rl'), 600, createLogger('silent'));
    const view = token(3, 3);
    const headers = [];
    for (let i = 0; i < 3; i += 1) headers.push(await limiter.consume(view));
    expect(headers.map((h) => h['X-RateLimit-Remaining'])).toEqual(['2', '1', '0']);
    const refusal = await limiter.consume(view).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpError);
    expect((refusal as HttpError).status).toBe(429);
    expect(Number((refusal as HttpError).headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
  });
});
