import { RedisLocks } from '../../core/locks';
import type { RedisClient } from '../../core/redis';

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
  private readonly locks: RedisLocks;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs = ORDER_LOCK_TTL_MS,
  ) {
    this.locks = new RedisLocks(redis);
  }

  private key(orderId: number): string {
    return `${this.prefix}:bookings:lock:${orderId}`;
  }

  /** Runs `fn` with the orders whose lock was free; the others are returned as busy. */
  async withLocks<T>(orderIds: number[], fn: (locked: number[]) => Promise<T>, waitMs = 0): Promise<{ result: T | undefined; busy: number[] }> {
    const orderOf = new Map(orderIds.map((id) => [this.key(id), id]));
    const ids = (keys: string[]) => keys.map((key) => orderOf.get(key) as number);
    const { result, busy } = await this.locks.withLocks([...orderOf.keys()], this.ttlMs, (locked) => fn(ids(locked)), { waitMs });
    return { result, busy: ids(busy) };
  }
}

/**
 * Claims on Odoo keys (a customer's normalised email, a slot's product code) shared by every
 * worker process: only the holder looks the key up in Odoo and creates it when missing, so two
 * orders of one new customer make one partner, even in two processes. All or nothing, waiting.
 */
export class KeyClaims {
  private readonly locks: RedisLocks;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs = 2 * 60_000,
  ) {
    this.locks = new RedisLocks(redis);
  }

  private key(name: string): string {
    return `${this.prefix}:bookings:claim:${name}`;
  }

  async withClaims<T>(names: string[], fn: () => Promise<T>, waitMs = 60_000): Promise<T> {
    const unique = [...new Set(names)].sort();
    if (unique.length === 0) return fn();
    // All or nothing: two holders of halves never deadlock; a jittered pause so they do not retry in step.
    const held = await this.locks.acquireAll(
      unique.map((name) => this.key(name)),
      this.ttlMs,
      { waitMs, pollMs: () => 20 + Math.floor(Math.random() * 40) },
    );
    if (!held) throw new Error(`timed out waiting for another process creating ${unique.length} Odoo record(s)`);
    try {
      return await fn();
    } finally {
      await held.release();
    }
  }
}
