// Drill fault 1 (kill -9 of every worker mid-sync): the per-order locks of a killed process used to
// hold their orders for 5 minutes, so webhook jobs and sweeps answered "busy" until then and the
// orders missed Odoo for that long. Now the TTL is short and renewed while the holder lives.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { ORDER_LOCK_TTL_MS, OrderLocks } from '../../../worker/src/bookings/orders/locks';
import { dropRedisPrefix, uniquePrefix } from '../../support/db';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = uniquePrefix('locks');

afterAll(async () => {
  await dropRedisPrefix(prefix);
  redis.disconnect();
});

describe('order locks', () => {
  it('default to a TTL of at most 30 s', () => {
    expect(ORDER_LOCK_TTL_MS).toBeLessThanOrEqual(30_000);
  });

  it('a live holder keeps its orders past the TTL; a dead holder frees them when the TTL runs out', async () => {
    const ttl = 900;
    const locks = new OrderLocks(redis, prefix, ttl);
    const other = new OrderLocks(redis, prefix, ttl);
    let during: { busy: number[] } | undefined;
    await locks.withLocks([1, 2], async () => {
      await sleep(ttl * 2);
      during = await other.withLocks([1, 2], async () => 'ran');
    });
    expect(during?.busy).toEqual([1, 2]);

    // What a killed process leaves behind: a lock nobody renews.
    await redis.set(`${prefix}:bookings:lock:3`, 'killed-process-token', 'PX', ttl);
    expect((await other.withLocks([3], async () => 'ran')).busy).toEqual([3]);
    await sleep(ttl + 300);
    expect(await other.withLocks([3], async () => 'ran')).toEqual({ result: 'ran', busy: [] });
  });
});
