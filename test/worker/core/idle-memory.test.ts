import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';

import { describe, expect, it } from 'vitest';

import { IDLE_UTILIZATION, idleDecision, startIdleCompaction } from '../../../worker/src/core/idle-memory';
import { createLogger } from '../../../worker/src/core/logger';
import { until } from '../../support/until';

const logger = createLogger('silent');
const ROOT = path.resolve(__dirname, '../../..');

describe('idle memory: the rule', () => {
  it('collects once in the first idle window, not again until the loop was busy', () => {
    let state = { compacted: false };
    const steps = [0.001, 0.001, 0.5, 0.01, 0.0, IDLE_UTILIZATION + 0.001, IDLE_UTILIZATION].map((utilization) => {
      const decision = idleDecision(utilization, state);
      state = decision.next;
      return decision.collect;
    });
    expect(steps).toEqual([true, false, false, true, false, false, true]);
  });
});

describe('idle memory: the timer', () => {
  /** A scripted event loop: each window reports the next utilization of the list (then stays idle). */
  function scripted(utilizations: number[]) {
    let window = 0;
    return (previous?: EventLoopUtilization): EventLoopUtilization => {
      if (!previous) return { idle: 0, active: 0, utilization: 0 };
      const utilization = utilizations[window] ?? 0;
      window += 1;
      return { idle: 1 - utilization, active: utilization, utilization };
    };
  }

  it('runs the collection when idle, and again only after a busy window', async () => {
    let collections = 0;
    const stop = startIdleCompaction({ logger, windowMs: 5, gc: () => (collections += 1), utilization: scripted([0.9, 0, 0, 0.9, 0.6, 0, 0]) });
    try {
      await until(
        'two collections',
        () => collections,
        (count) => count === 2,
        2_000,
        5,
      );
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(collections).toBe(2);
    } finally {
      stop();
    }
  });

  it('does nothing (and does not throw) when node runs without --expose-gc', () => {
    const stop = startIdleCompaction({ logger, windowMs: 5, gc: undefined });
    expect(typeof stop).toBe('function');
    stop();
  });

  /** Runs the real check (perf_hooks, windows of 100 ms) in a child node --expose-gc; `busyMs` of each 10 ms kept busy. */
  function collectionsInChild(busyMs: number): number {
    const script = `
      const { startIdleCompaction } = require(${JSON.stringify(path.join(ROOT, 'worker/src/core/idle-memory.ts'))});
      const real = globalThis.gc;
      let calls = 0;
      globalThis.gc = () => { calls += 1; real(); };
      startIdleCompaction({ logger: { debug() {} }, windowMs: 100 });
      const busy = setInterval(() => { const end = Date.now() + ${busyMs}; while (Date.now() < end); }, 10);
      setTimeout(() => { clearInterval(busy); console.log(calls); process.exit(0); }, 550);
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return Number(run.stdout.trim().split('\n').pop());
  }

  it('with the real event loop: an idle process collects once, a busy one never', () => {
    expect(collectionsInChild(0)).toBe(1);
    expect(collectionsInChild(6)).toBe(0);
  });
});
