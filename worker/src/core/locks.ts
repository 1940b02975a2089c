import { randomBytes } from 'node:crypto';

import type { RedisClient } from './redis';

/**
 * The worker's locks. Two backends with one shape (tryAcquire → HeldLock, slots):
 * - RedisLocks (here): `SET NX PX` with a token and a time to live, renewed while the holder
 *   works; shared by every process that sees the Redis. A killed holder's lock lasts until its TTL.
 * - NamedLocks (core/db/named-locks.ts): MariaDB GET_LOCK on a connection of their own; the server
 *   frees them the instant a killed process's connection drops (events recover in ~2 s, not ~30 s).
 */

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

/** Several keys held under one token: released and renewed in one round trip. */
export interface HeldLockSet {
  readonly keys: readonly string[];
  /** The keys that were still ours and are now free; the others are left to their holders. */
  release(): Promise<string[]>;
  /** The keys whose time to live was extended; the others were lost. */
  renew(): Promise<string[]>;
}

export interface WaitOptions {
  /** How long to wait for the lock; 0 = one try. */
  waitMs: number;
  /** Pause between tries (50 ms), or a function for a jittered pause. */
  pollMs?: number | (() => number);
  /** Checked between tries: true ends the wait without the lock (what the holder made is there). */
  giveUp?: () => Promise<boolean>;
}

/** How `withLock`/`withLocks` wait (one try by default) and how often they renew while the work runs. */
export type RunOptions = Partial<WaitOptions> & {
  /** Default: a third of the TTL, at least 100 ms. */
  renewEveryMs?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A third of the TTL (at least `minMs`): a holder misses two renewals before its lock can expire. */
export const renewInterval = (ttlMs: number, minMs = 100): number => Math.max(minMs, Math.floor(ttlMs / 3));

/** Tries until `attempt` gives a value, `waitMs` has passed or `giveUp` says so. */
async function retryUntil<T>(attempt: () => Promise<T | undefined>, options: WaitOptions): Promise<T | undefined> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const got = await attempt();
    if (got !== undefined || Date.now() >= deadline) return got;
    const { pollMs = 50 } = options;
    await sleep(typeof pollMs === 'function' ? pollMs() : pollMs);
    if (options.giveUp && (await options.giveUp())) return undefined;
  }
}

/** Calls `renew` every `everyMs` until the returned stop is called; a failed renewal waits for the next. */
function keepRenewing(renew: () => Promise<unknown>, everyMs: number): () => void {
  const timer = setInterval(() => void renew().catch(() => undefined), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One of N: the first of `names` that is free, or undefined when every one is taken. */
export async function firstFree(names: readonly string[], tryAcquire: (name: string) => Promise<HeldLock | undefined>): Promise<HeldLock | undefined> {
  for (const name of names) {
    const held = await tryAcquire(name);
    if (held) return held;
  }
  return undefined;
}

/**
 * Owner-checked Redis locks shared by every worker process (`SET NX PX` with a random token).
 * A lock outlives a killed holder only by its time to live; a waiter that gives up, or a holder
 * whose lock expired, never deletes a lock another process holds. Multi-key calls go in one
 * pipeline, so on a Redis Cluster their keys must share a slot (the prefix's hash tag does that).
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
  acquire(key: string, ttlMs: number, options: WaitOptions): Promise<HeldLock | undefined> {
    return retryUntil(() => this.tryAcquire(key, ttlMs), options);
  }

  /** One of N (a slot): the first free of `keys`; undefined when all are taken. */
  trySlot(keys: readonly string[], ttlMs: number): Promise<HeldLock | undefined> {
    return firstFree(keys, (key) => this.tryAcquire(key, ttlMs));
  }

  /**
   * Locks what it can of `keys`, retrying the busy ones until `waitMs` has passed: `held` has the
   * keys locked (in the order they were got; undefined when none), `busy` the others (in order).
   */
  async acquireMany(keys: readonly string[], ttlMs: number, options: WaitOptions = { waitMs: 0 }): Promise<{ held: HeldLockSet | undefined; busy: string[] }> {
    const token = randomBytes(12).toString('hex');
    const locked: string[] = [];
    let busy = [...keys];
    await retryUntil(async () => {
      const got = await this.setEach(busy, token, ttlMs);
      locked.push(...got);
      busy = busy.filter((key) => !got.includes(key));
      return busy.length === 0 ? true : undefined;
    }, options);
    return { held: locked.length > 0 ? this.lockSet(locked, token, ttlMs) : undefined, busy };
  }

  /**
   * All of `keys` or none, waiting: a try that gets only some gives them back at once (two callers
   * holding halves never deadlock), then tries again until `waitMs` has passed.
   */
  async acquireAll(keys: readonly string[], ttlMs: number, options: WaitOptions): Promise<HeldLockSet | undefined> {
    const token = randomBytes(12).toString('hex');
    return retryUntil(async () => {
      const got = await this.setEach(keys, token, ttlMs);
      const held = this.lockSet(got, token, ttlMs);
      if (got.length === keys.length) return held;
      if (got.length > 0) await held.release();
      return undefined;
    }, options);
  }

  /**
   * Runs `run` holding `key`, renewing it while `run` works (every third of the TTL) and releasing
   * it (owner-checked) at the end; undefined, without running, when the lock stayed busy.
   */
  async withLock<T>(key: string, ttlMs: number, run: () => Promise<T>, options: RunOptions = {}): Promise<{ result: T } | undefined> {
    const held = await this.acquire(key, ttlMs, { ...options, waitMs: options.waitMs ?? 0 });
    if (!held) return undefined;
    const stop = keepRenewing(() => held.renew(), options.renewEveryMs ?? renewInterval(ttlMs));
    try {
      return { result: await run() };
    } finally {
      stop();
      await held.release();
    }
  }

  /**
   * Runs `run` with the keys of `keys` it could lock (see acquireMany), renewing and releasing them
   * like withLock; `run` is not called when none was free.
   */
  async withLocks<T>(
    keys: readonly string[],
    ttlMs: number,
    run: (locked: string[]) => Promise<T>,
    options: RunOptions = {},
  ): Promise<{ result: T | undefined; locked: string[]; busy: string[] }> {
    const { held, busy } = await this.acquireMany(keys, ttlMs, { ...options, waitMs: options.waitMs ?? 0 });
    if (!held) return { result: undefined, locked: [], busy };
    const stop = keepRenewing(() => held.renew(), options.renewEveryMs ?? renewInterval(ttlMs));
    try {
      return { result: await run([...held.keys]), locked: [...held.keys], busy };
    } finally {
      stop();
      await held.release();
    }
  }

  /** `SET NX PX` of every key in one pipeline; the keys that were free. */
  private async setEach(keys: readonly string[], token: string, ttlMs: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.set(key, token, 'PX', ttlMs, 'NX');
    const replies = (await pipeline.exec()) ?? [];
    return keys.filter((_, index) => replies[index]?.[1] === 'OK');
  }

  /** Runs an owner-checked script on every key in one pipeline; the keys it acted on. */
  private async evalEach(script: string, keys: readonly string[], args: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.eval(script, 1, key, ...args);
    const replies = (await pipeline.exec()) ?? [];
    return keys.filter((_, index) => Number(replies[index]?.[1]) === 1);
  }

  private lockSet(keys: string[], token: string, ttlMs: number): HeldLockSet {
    return {
      keys,
      release: () => this.evalEach(RELEASE, keys, [token]),
      renew: () => this.evalEach(RENEW, keys, [token, String(ttlMs)]),
    };
  }
}
