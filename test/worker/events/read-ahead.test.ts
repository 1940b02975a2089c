import { describe, expect, it } from 'vitest';

import { readAhead } from '../../../worker/src/events/sync/pages';

/** Ids 1..total in pages of `size`, like a keyset scan; every call is recorded. */
function source(total: number, size: number) {
  const scans: number[] = [];
  const loads: number[][] = [];
  const gates: Array<() => void> = [];
  let hold = false;
  return {
    scans,
    loads,
    holdLoads: () => (hold = true),
    releaseLoads: () => {
      hold = false;
      gates.splice(0).forEach((open) => open());
    },
    scan: async (afterId: number) => {
      scans.push(afterId);
      const ids = [];
      for (let id = afterId + 1; id <= Math.min(total, afterId + size); id += 1) ids.push(id);
      return ids;
    },
    load: async (ids: number[]) => {
      loads.push(ids);
      if (hold) await new Promise<void>((resolve) => gates.push(resolve));
      return ids.map((id) => ({ id }));
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('readAhead', () => {
  it('yields every page once, in order, then empty pages', async () => {
    const store = source(25, 10);
    const pages = readAhead(store.scan, store.load, 0, 2);
    const seen = [];
    for (;;) {
      const page = await pages.next();
      if (page.ids.length === 0) break;
      expect(page.orders.map((order) => order.id)).toEqual(page.ids);
      seen.push(...page.ids);
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect((await pages.next()).ids).toEqual([]);
  });

  it('starts after the checkpoint it is given', async () => {
    const store = source(25, 10);
    const page = await readAhead(store.scan, store.load, 20, 2).next();
    expect(page.ids).toEqual([21, 22, 23, 24, 25]);
  });

  it('scans ahead while loads are slow, but never more than depth pages ahead of the reader', async () => {
    const store = source(1_000, 10);
    store.holdLoads();
    const pages = readAhead(store.scan, store.load, 0, 3);
    const first = pages.next();
    await settle();
    // The page being read plus 3 ahead are scanned and loading; nothing further until the reader takes one.
    expect(store.scans).toEqual([0, 10, 20, 30]);
    expect(store.loads).toHaveLength(4);
    store.releaseLoads();
    expect((await first).ids[0]).toBe(1);
    await settle();
    expect(store.scans).toEqual([0, 10, 20, 30]);
    expect((await pages.next()).ids[0]).toBe(11);
    await settle();
    expect(store.scans).toEqual([0, 10, 20, 30, 40]);
  });

  it('stops scanning after an empty page', async () => {
    const store = source(10, 10);
    const pages = readAhead(store.scan, store.load, 0, 4);
    await pages.next();
    await pages.next();
    await pages.next();
    await settle();
    expect(store.scans).toEqual([0, 10]);
  });

  it('raises a failed read at its own page and leaves no unhandled rejection behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const store = source(100, 10);
      const load = async (ids: number[]) => {
        if (ids[0] === 11) throw new Error('store went away');
        return store.load(ids);
      };
      const pages = readAhead(store.scan, load, 0, 3);
      expect((await pages.next()).ids[0]).toBe(1);
      await expect(pages.next()).rejects.toThrow('store went away');
      // A run that stops here abandons the pages read ahead, some of which may fail too.
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
