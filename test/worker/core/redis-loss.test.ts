// Drill fault 2 (Redis restarted without persistence): the schedules live in Redis, so an empty
// Redis also lost every sweeper that rebuilds the queues from MySQL — until the next worker
// restart. The runtime now puts them back when its Redis connection comes back.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dropRedisPrefix } from '../../support/db';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
const admin = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [] });
});
afterAll(async () => {
  await runtime?.dispose();
  admin.disconnect();
});

describe('Redis comes back empty', () => {
  it('the intake sweeper schedule is installed again after the reconnect', async () => {
    const maintenance = runtime.ctx.queues.get('maintenance');
    expect(await maintenance.getJobScheduler('intake-sweep')).toBeTruthy();

    // What a restart without persistence does to this worker: its keys gone, its connection cut.
    await dropRedisPrefix(runtime.prefix);
    expect(await maintenance.getJobScheduler('intake-sweep')).toBeFalsy();
    const id = await runtime.ctx.redis.client('ID');
    await admin.client('KILL', 'ID', String(id));

    const deadline = Date.now() + 15_000;
    let scheduler = await maintenance.getJobScheduler('intake-sweep').catch(() => undefined);
    while (!scheduler && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      scheduler = await maintenance.getJobScheduler('intake-sweep').catch(() => undefined);
    }
    expect(scheduler).toBeTruthy();
  });
});
