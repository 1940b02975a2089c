import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RedisLocks } from '../../../worker/src/core/locks';
import { uniquePrefix } from '../../support/db';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** core/locks.ts on real Redis: only the holder's token releases or renews a lock. */
describe('RedisLocks', () => {
  let redis: Redis;
  let locks: RedisLocks;
  const key = () => `${uniquePrefix('locks')}:lock`;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    locks = new RedisLocks(redis);
  });
  afterAll(() => redis.disconnect());

  it('one holder at a time; release frees it', async () => {
    const name = key();
    const first = await locks.tryAcquire(name, 5_000);
    expect(first).toBeDefined();
    expect(await locks.tryAcquire(name, 5_000)).toBeUndefined();
    expect(await first!.release()).toBe(true);
    const second = await locks.tryAcquire(name, 5_000);
    expect(second).toBeDefined();
    await second!.release();
  });

  it("a holder whose lock expired and was taken does not release or renew the new holder's lock", async () => {
    const name = key();
    const old = await locks.tryAcquire(name, 100);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = await locks.tryAcquire(name, 5_000);
    expect(current).toBeDefined();
    const held = await redis.get(name);
    expect(await old!.release()).toBe(false);
    expect(await old!.renew()).toBe(false);
    expect(await redis.get(name)).toBe(held);
    expect(Number(await redis.pttl(name))).toBeGreaterThan(4_000);
    await current!.release();
  });

  it("renew extends the holder's time to live", async () => {
    const name = key();
    const held = await locks.tryAcquire(name, 300);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await held!.renew()).toBe(true);
    expect(Number(await redis.pttl(name))).toBeGreaterThan(200);
    await held!.release();
  });

  it('a waiter gets the lock once it is released, or gives up when told to, or after waiting', async () => {
    const name = key();
    const holder = await locks.tryAcquire(name, 5_000);
    setTimeout(() => void holder!.release(), 150);
    const waited = await locks.acquire(name, 5_000, { waitMs: 2_000, pollMs: 20 });
    expect(waited).toBeDefined();

    let asked = 0;
    expect(await locks.acquire(name, 5_000, { waitMs: 2_000, pollMs: 20, giveUp: async () => ++asked >= 3 })).toBeUndefined();
    expect(asked).toBe(3);
    const started = Date.now();
    expect(await locks.acquire(name, 5_000, { waitMs: 200, pollMs: 20 })).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    // Giving up never touched the holder's lock.
    expect(await waited!.release()).toBe(true);
  });
});
