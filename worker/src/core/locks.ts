import { randomBytes } from 'node:crypto';

import type { RedisClient } from './redis';

/** Deletes or extends the key only while it still holds the caller's token (Redis runs it atomically). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** A lock this process holds: only its own token releases or renews it. */
export interface HeldLock {
  readonly key: string;
  /** False when the lock had expired and someone else holds the key now: theirs is left alone. */
  release(): Promise<boolean>;
  /** Extends the time to live; false when the lock was lost. */
  renew(): Promise<boolean>;
}

export interface WaitOptions {
  /** How long to wait for the lock; 0 = one try. */
  waitMs: number;
  pollMs?: number;
  /** Checked between tries: true ends the wait without the lock (what the holder made is there). */
  giveUp?: () => Promise<boolean>;
}

/**
 * Owner-checked Redis locks shared by every worker process (`SET NX PX` with a random token).
 * A lock outlives a killed holder only by its time to live; a waiter that gives up, or a holder
 * whose lock expired, never deletes a lock another process holds.
 */
export class RedisLocks {
  constructor(private readonly redis: RedisClient) {}

  async tryAcquire(key: string, ttlMs: number): Promise<HeldLock | undefined> {
    const token = randomBytes(12).toString('hex');
    if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    return {
      key,
      release: async () => Number(await this.redis.eval(RELEASE, 1, key, token)) === 1,
      renew: async () => Number(await this.redis.eval(RENEW, 1, key, token, String(ttlMs))) === 1,
    };
  }

  /** Tries until the lock is free, `waitMs` has passed or `giveUp` says so; undefined without it. */
  async acquire(key: string, ttlMs: number, options: WaitOptions): Promise<HeldLock | undefined> {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const held = await this.tryAcquire(key, ttlMs);
      if (held || Date.now() >= deadline) return held;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
      if (options.giveUp && (await options.giveUp())) return undefined;
    }
  }
}
