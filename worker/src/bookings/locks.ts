import { randomBytes } from 'node:crypto';

import type { RedisClient } from '../core/redis';

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/**
 * A lock's time to live, renewed every third of it while its holder works: short, so the locks
 * of a process killed mid-sync (kill -9, OOM) free their orders within seconds instead of minutes.
 */
export const ORDER_LOCK_TTL_MS = 30_000;

/**
 * Per-order locks in Redis (shared by every worker process): the webhook job, the sweep and a
 * manual sync of the same order never talk to Odoo at the same time.
 */
export class OrderLocks {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs = ORDER_LOCK_TTL_MS,
  ) {}

  private key(orderId: number): string {
    return `${this.prefix}:bookings:lock:${orderId}`;
  }

  /** Runs `fn` with the orders whose lock was free; the others are returned as busy. */
  async withLocks<T>(orderIds: number[], fn: (locked: number[]) => Promise<T>, waitMs = 0): Promise<{ result: T | undefined; busy: number[] }> {
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + waitMs;
    const locked: number[] = [];
    let busy = orderIds;
    for (;;) {
      const pipeline = this.redis.pipeline();
      for (const id of busy) pipeline.set(this.key(id), token, 'PX', this.ttlMs, 'NX');
      const replies = (await pipeline.exec()) ?? [];
      locked.push(...busy.filter((_, index) => replies[index]?.[1] === 'OK'));
      busy = busy.filter((id) => !locked.includes(id));
      if (busy.length === 0 || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (locked.length === 0) return { result: undefined, busy };
    const renew = setInterval(
      () => {
        const pipeline = this.redis.pipeline();
        for (const id of locked) pipeline.eval(RENEW, 1, this.key(id), token, String(this.ttlMs));
        void pipeline.exec().catch(() => undefined);
      },
      Math.max(100, Math.floor(this.ttlMs / 3)),
    );
    renew.unref();
    try {
      return { result: await fn(locked), busy };
    } finally {
      clearInterval(renew);
      const release = this.redis.pipeline();
      for (const id of locked) release.eval(RELEASE, 1, this.key(id), token);
      await release.exec();
    }
  }
}

/**
 * Claims on Odoo keys (a customer's normalised email, a slot's product code) shared by every
 * worker process: only the holder looks the key up in Odoo and creates it when missing, so two
 * orders of one new customer make one partner, even in two processes. All or nothing, waiting.
 */
export class KeyClaims {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs = 2 * 60_000,
  ) {}

  private key(name: string): string {
    return `${this.prefix}:bookings:claim:${name}`;
  }

  async withClaims<T>(names: string[], fn: () => Promise<T>, waitMs = 60_000): Promise<T> {
    const unique = [...new Set(names)].sort();
    if (unique.length === 0) return fn();
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + waitMs;
    for (;;) {
      const pipeline = this.redis.pipeline();
      for (const name of unique) pipeline.set(this.key(name), token, 'PX', this.ttlMs, 'NX');
      const replies = (await pipeline.exec()) ?? [];
      const got = unique.filter((_, index) => replies[index]?.[1] === 'OK');
      if (got.length === unique.length) break;
      // Partly claimed: give back what we got (no deadlock between two holders of halves), then wait.
      if (got.length > 0) {
        const release = this.redis.pipeline();
        for (const name of got) release.eval(RELEASE, 1, this.key(name), token);
        await release.exec();
      }
      if (Date.now() >= deadline) throw new Error(`timed out waiting for another process creating ${unique.length} Odoo record(s)`);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 40)));
    }
    try {
      return await fn();
    } finally {
      const release = this.redis.pipeline();
      for (const name of unique) release.eval(RELEASE, 1, this.key(name), token);
      await release.exec();
    }
  }
}
