// Drill fault 1 (kill -9 mid-sweep): the stock sweep lock is held under a short, renewed TTL, so a
// lock left by a killed process stops blocking every other process's sweeps within seconds, not
// the ten minutes it used to (SIIGO changes whose webhook was lost waited that long).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SWEEP_LOCK_MS } from '../../../worker/src/stock/service';
import { sweepLockKey, withSweepLock } from '../../../worker/src/stock/sync/sweep';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [] });
});
afterAll(async () => {
  await runtime?.dispose();
});

describe('stock sweep lock', () => {
  it('is short-lived: at most 30 s', () => {
    expect(SWEEP_LOCK_MS).toBeLessThanOrEqual(30_000);
  });

  it('a live holder keeps it past its TTL by renewal; a dead holder loses it when the TTL runs out', async () => {
    const ttl = 1_200;
    let second: unknown;
    // Live holder: a sweep longer than the TTL keeps the lock (renewed every TTL/3).
    await withSweepLock(runtime.ctx, ttl, async () => {
      await sleep(ttl * 2);
      second = await withSweepLock(runtime.ctx, ttl, async () => 'ran');
    });
    expect(second).toEqual({ skipped: 'another sweep is running' });

    // Dead holder: the key as a killed process leaves it (nobody renews it).
    await runtime.ctx.redis.set(sweepLockKey(runtime.ctx), 'killed-process-token', 'PX', ttl);
    expect(await withSweepLock(runtime.ctx, ttl, async () => 'ran')).toEqual({ skipped: 'another sweep is running' });
    await sleep(ttl + 300);
    expect(await withSweepLock(runtime.ctx, ttl, async () => 'ran')).toBe('ran');
  });
});
