import { describe, expect, it } from 'vitest';

import { Batcher } from '../../../worker/src/core/batcher';

describe('Batcher', () => {
  it('groups calls that arrive while a batch is in flight and keeps each result with its caller', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 10));
        return items.map((item) => item * 2);
      },
      100,
      1,
    );
    const results = await Promise.all(Array.from({ length: 50 }, (_, index) => batcher.push(index)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index * 2));
    expect(batches[0]).toEqual([0]);
    expect(batches.length).toBe(2);
    expect(batches[1]?.length).toBe(49);
  });

  it('sends items pushed together in one batch, even into an idle batcher, results in their order', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push(items);
        return items.map((item) => item * 10);
      },
      100,
      1,
    );
    expect(await batcher.pushMany([3, 1, 2])).toEqual([30, 10, 20]);
    expect(batches).toEqual([[3, 1, 2]]);
    // Beyond the batch size they are split, still in order.
    const split = new Batcher<number, number>(async (items) => items, 2, 1);
    expect(await split.pushMany([1, 2, 3, 4, 5])).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects every caller of a failed batch and carries on', async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>(
      async (items) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return items;
      },
      10,
      1,
    );
    await expect(batcher.push(1)).rejects.toThrow('boom');
    await expect(batcher.push(2)).resolves.toBe(2);
  });

  it('respects the batch size', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items;
      },
      3,
      1,
    );
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.push(n)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(7);
  });

  /** A batcher of one batch at a time that records each batch and when it started. */
  const recording = (maxBatch: number, lingerMs: number) => {
    const batches: Array<{ items: number[]; at: number }> = [];
    const started = Date.now();
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push({ items, at: Date.now() - started });
        return items;
      },
      maxBatch,
      1,
      lingerMs,
    );
    return { batcher, batches };
  };

  it('with a linger, waits that long for company and sends calls that arrive meanwhile in one batch', async () => {
    const { batcher, batches } = recording(100, 40);
    const first = batcher.push(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const rest = [2, 3].map((n) => batcher.push(n));
    await Promise.all([first, ...rest]);
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2, 3]]);
    expect(batches[0]?.at).toBeGreaterThanOrEqual(35);
  });

  it('with a linger, sends a full batch at once and lingers again for the next', async () => {
    const { batcher, batches } = recording(3, 60);
    await Promise.all([1, 2, 3, 4].map((n) => batcher.push(n)));
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2, 3], [4]]);
    expect(batches[0]?.at).toBeLessThan(30);
    expect(batches[1]?.at).toBeGreaterThanOrEqual(55);
    // Nothing waiting: flush resolves, and a later lone call lingers again.
    await batcher.flush();
    const before = Date.now();
    await batcher.push(5);
    expect(Date.now() - before).toBeGreaterThanOrEqual(55);
  });
});
