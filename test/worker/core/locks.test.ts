import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { NamedLocks, namedLockFree } from '../../../worker/src/core/db/named-locks';
import { openDatabase, type DatabaseHandle } from '../../../worker/src/core/db';
import { RedisLocks } from '../../../worker/src/core/locks';
import { createTestDatabase, dropRedisPrefix, uniquePrefix, type TestDatabase } from '../../support/db';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** The multi-key calls and the run-with-renewal helpers of RedisLocks (what order locks, key claims and the sweep lock configure). */
describe('RedisLocks: several keys, running under a lock, slots', () => {
  let redis: Redis;
  let locks: RedisLocks;
  const prefix = uniquePrefix('locks-many');
  const keys = (...names: string[]) => {
    const run = randomBytes(4).toString('hex');
    return names.map((name) => `${prefix}:${run}:${name}`);
  };

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    locks = new RedisLocks(redis);
  });
  afterAll(async () => {
    await dropRedisPrefix(prefix);
    redis.disconnect();
  });

  it('acquireMany locks the free keys and names the busy ones, in order', async () => {
    const [a, b, c, d] = keys('a', 'b', 'c', 'd');
    const first = await locks.acquireMany([a!, b!, c!], 5_000);
    expect(first.held?.keys).toEqual([a, b, c]);
    expect(first.busy).toEqual([]);
    const second = await locks.acquireMany([d!, b!, c!], 5_000);
    expect(second.held?.keys).toEqual([d]);
    expect(second.busy).toEqual([b, c]);
    expect(await locks.acquireMany([b!, c!], 5_000)).toEqual({ held: undefined, busy: [b, c] });
    expect(await first.held!.release()).toEqual([a, b, c]);
    expect(await second.held!.release()).toEqual([d]);
    expect(await redis.exists(a!, b!, c!, d!)).toBe(0);
  });

  it('acquireMany waits for busy keys freed during the wait, and stops waiting at waitMs', async () => {
    const [a, b, c] = keys('a', 'b', 'c');
    const holder = await locks.acquireMany([b!, c!], 5_000);
    setTimeout(() => void holder.held!.release(), 150);
    const waited = await locks.acquireMany([a!, b!], 5_000, { waitMs: 2_000, pollMs: 20 });
    expect(waited.held?.keys).toEqual([a, b]);
    expect(waited.busy).toEqual([]);

    const started = Date.now();
    const gaveUp = await locks.acquireMany([b!, c!], 5_000, { waitMs: 200, pollMs: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(gaveUp.held?.keys).toEqual([c]);
    expect(gaveUp.busy).toEqual([b]);
    await waited.held!.release();
    await gaveUp.held!.release();
  });

  it("a set's release and renew touch only the keys that are still its own", async () => {
    const [a, b] = keys('a', 'b');
    const old = await locks.acquireMany([a!, b!], 100);
    await sleep(250);
    const current = await locks.tryAcquire(b!, 5_000);
    expect(current).toBeDefined();
    const token = await redis.get(b!);
    // `a` expired and is free, `b` is someone else's now: nothing of the old set is left to act on.
    expect(await old.held!.renew()).toEqual([]);
    expect(await old.held!.release()).toEqual([]);
    expect(await redis.get(b!)).toBe(token);
    expect(Number(await redis.pttl(b!))).toBeGreaterThan(4_000);

    const fresh = await locks.acquireMany([a!], 300);
    await sleep(200);
    expect(await fresh.held!.renew()).toEqual([a]);
    expect(Number(await redis.pttl(a!))).toBeGreaterThan(200);
    await fresh.held!.release();
    await current!.release();
  });

  it('acquireAll gets every key or none (giving back a partial take), and waits for them', async () => {
    const [a, b, c] = keys('a', 'b', 'c');
    const holder = await locks.tryAcquire(b!, 5_000);
    expect(await locks.acquireAll([a!, b!, c!], 5_000, { waitMs: 0 })).toBeUndefined();
    // The keys it got on the way were given back.
    expect(await redis.exists(a!, c!)).toBe(0);
    setTimeout(() => void holder!.release(), 150);
    const all = await locks.acquireAll([a!, b!, c!], 5_000, { waitMs: 2_000, pollMs: () => 20 });
    expect(all?.keys).toEqual([a, b, c]);
    expect(await all!.release()).toEqual([a, b, c]);
  });

  it('withLock renews while the work runs past the TTL, releases at the end, and skips a busy key', async () => {
    const [key] = keys('run');
    const ttl = 600;
    let during: unknown = 'not run';
    const outer = await locks.withLock(key!, ttl, async () => {
      await sleep(ttl * 2);
      during = await locks.withLock(key!, ttl, async () => 'ran');
      return 'outer';
    });
    expect(outer).toEqual({ result: 'outer' });
    expect(during).toBeUndefined();
    expect(await redis.exists(key!)).toBe(0);

    // A failing run still releases its lock.
    await expect(locks.withLock(key!, ttl, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await redis.exists(key!)).toBe(0);
  });

  it('withLocks runs with the keys it got, renews them past the TTL and releases them; none free = not run', async () => {
    const [a, b, c] = keys('a', 'b', 'c');
    const ttl = 600;
    const other = await locks.tryAcquire(c!, 5_000);
    const outcome = await locks.withLocks([a!, b!, c!], ttl, async (locked) => {
      await sleep(ttl * 2);
      const inner = await locks.withLocks([a!, b!], ttl, async () => 'ran');
      return { locked, inner };
    });
    expect(outcome).toEqual({ result: { locked: [a, b], inner: { result: undefined, locked: [], busy: [a, b] } }, locked: [a, b], busy: [c] });
    expect(await redis.exists(a!, b!)).toBe(0);
    // The other holder's key was left alone.
    expect(await other!.release()).toBe(true);
  });

  it('trySlot takes the first free of N keys, and none when all are taken', async () => {
    const slots = keys('0', '1');
    const first = await locks.trySlot(slots, 5_000);
    const second = await locks.trySlot(slots, 5_000);
    expect([first?.key, second?.key]).toEqual(slots);
    expect(await locks.trySlot(slots, 5_000)).toBeUndefined();
    await first!.release();
    expect((await locks.trySlot(slots, 5_000))?.key).toBe(slots[0]);
  });
});

/** core/db/named-locks.ts on real MariaDB: connection-bound locks, freed the moment their connection ends. */
describe('NamedLocks', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const opened: NamedLocks[] = [];
  const open = async () => {
    const locks = await NamedLocks.open(database.url);
    opened.push(locks);
    return locks;
  };
  const name = (label: string) => `${uniquePrefix('named')}:${label}`;

  beforeAll(async () => {
    database = await createTestDatabase('locks');
    handle = openDatabase(database.url, 2);
  });
  afterAll(async () => {
    for (const locks of opened) await locks.close();
    await handle?.close();
    await database?.drop();
  });

  it('one holder at a time across connections; only the holder releases it', async () => {
    const [first, second] = [await open(), await open()];
    const lock = name('exec');
    const held = await first.tryAcquire(lock);
    expect(held?.key).toBe(lock);
    expect(await second.tryAcquire(lock)).toBeUndefined();
    expect(await namedLockFree(handle.db, lock)).toBe(false);
    expect(await held!.renew()).toBe(true);
    expect(await held!.release()).toBe(true);
    expect(await namedLockFree(handle.db, lock)).toBe(true);

    const taken = await second.tryAcquire(lock);
    expect(taken).toBeDefined();
    // The first holder's handle neither frees nor claims what the second connection holds now.
    expect(await held!.release()).toBe(false);
    expect(await held!.renew()).toBe(false);
    expect(await first.tryAcquire(lock)).toBeUndefined();
    expect(await taken!.release()).toBe(true);
  });

  it("a closed (or killed) holder's connection frees its locks at once", async () => {
    const [holder, waiter] = [await open(), await open()];
    const lock = name('killed');
    expect(await holder.tryAcquire(lock)).toBeDefined();
    expect(await waiter.tryAcquire(lock)).toBeUndefined();
    await holder.close();
    const started = Date.now();
    const taken = await waiter.tryAcquire(lock);
    expect(taken).toBeDefined();
    expect(Date.now() - started).toBeLessThan(1_000);
    await taken!.release();
  });

  it('trySlot takes one of N across connections, and none when all are taken', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const slots = [name('slot0'), name('slot1')];
    const first = await a.trySlot(slots);
    const second = await b.trySlot(slots);
    expect([first?.key, second?.key]).toEqual(slots);
    expect(await c.trySlot(slots)).toBeUndefined();
    await second!.release();
    expect((await c.trySlot(slots))?.key).toBe(slots[1]);
  });
});
