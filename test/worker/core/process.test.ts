import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { CreateDomain } from '../../../worker/src/core/domain';
import { createTestDatabase, uniquePrefix } from '../../support/db';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

const ROOT = path.resolve(__dirname, '../../..');

describe('worker process', () => {
  it.each([
    ['PORT', 'not-a-port'],
    ['DATABASE_URL', 'sqlite://nope'],
    ['MIGRATION_MODE', 'sometimes'],
  ])('exits naming %s when it is invalid', (variable, value) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, [variable]: value },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(`invalid configuration: ${variable}`);
  });
});

describe('job schedulers across processes', () => {
  const runtimes: TestRuntime[] = [];
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.dispose()));
  });

  it('two workers on one Redis run each tick of a schedule once', async () => {
    const database = await createTestDatabase();
    const prefix = uniquePrefix();
    const ticks: string[] = [];
    const ticking =
      (who: string): CreateDomain =>
      () => ({
        name: 'events',
        schedules: () => [{ id: 'test-tick', repeat: { every: 200 }, jobName: 'tick' }],
        processors: () => ({
          tick: async (job) => {
            ticks.push(`${job.id}|${who}`);
          },
        }),
      });
    runtimes.push(await startTestRuntime({ database, domains: [ticking('a')], env: { BULLMQ_PREFIX: prefix } }));
    runtimes.push(await startTestRuntime({ database, domains: [ticking('b')], env: { BULLMQ_PREFIX: prefix } }));
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const ids = ticks.map((entry) => entry.split('|')[0]);
    expect(new Set(ids).size).toBe(ids.length);
    // 2.1 s at one tick per 200 ms: about ten, never two per interval.
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(ids.length).toBeLessThanOrEqual(12);
    const schedulers = await runtimes[0]!.ctx.queues.get('events').getJobSchedulers();
    expect(schedulers.map((entry) => entry.key)).toEqual(['test-tick']);
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
    await database.drop();
  });
});
