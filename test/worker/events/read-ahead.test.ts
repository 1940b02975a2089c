import { describe, expect, it } from 'vitest';

import { idPages, LoadBudget, readAhead } from '../../../worker/src/events/sync/pages';

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
    /** The keyset scan from `startAfter` as a page feed. */
    ids(startAfter = 0) {
      let after = startAfter;
      return async () => {
        const list = await this.scan(after);
        if (list.length > 0) after = list[list.length - 1] as number;
        return list;
      };
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
    const pages = readAhead(store.ids(0), store.load, 2);
    const seen = [];
    for (;;) {
      const page = await pages.next();
      if (page.ids.length === 0) break;
      expect(page.loaded?.map((order) => order.id)).toEqual(page.ids);
      seen.push(...page.ids);
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect((await pages.next()).ids).toEqual([]);
  });

  it('starts after the checkpoint it is given', async () => {
    const store = source(25, 10);
    const page = await readAhead(store.ids(20), store.load, 2).next();
    expect(page.ids).toEqual([21, 22, 23, 24, 25]);
  });

  it('scans ahead while loads are slow, but never more than depth pages ahead of the reader', async () => {
    const store = source(1_000, 10);
    store.holdLoads();
    const pages = readAhead(store.ids(0), store.load, 3);
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
    const pages = readAhead(store.ids(0), store.load, 4);
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
      const pages = readAhead(store.ids(0), load, 3);
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

/** A streamed read whose chunks the test hands over, then ends or fails. */
function controlledRead() {
  let push: (ids: number[]) => void = () => undefined;
  let finish: (count: number) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  let count = 0;
  const read = (onIds: (ids: number[]) => void) =>
    new Promise<number>((resolve, reject) => {
      push = (ids) => {
        count += ids.length;
        onIds(ids);
      };
      finish = () => resolve(count);
      fail = reject;
    });
  return { read, push: (ids: number[]) => push(ids), end: () => finish(count), fail: (error: unknown) => fail(error) };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('idPages', () => {
  it('cuts chunks of any size into pages of the batch size, the last one short, then empty pages; total counts every id', async () => {
    const stream = controlledRead();
    const pages = idPages(stream.read, 4);
    stream.push(range(1, 3));
    stream.push(range(4, 9));
    stream.push([10]);
    stream.end();
    expect(await pages.next()).toEqual([1, 2, 3, 4]);
    expect(await pages.next()).toEqual([5, 6, 7, 8]);
    expect(await pages.next()).toEqual([9, 10]);
    expect(await pages.next()).toEqual([]);
    expect(await pages.total).toBe(10);
  });

  it('answers a page as soon as its ids have arrived, before the read ends', async () => {
    const stream = controlledRead();
    const pages = idPages(stream.read, 3);
    let answered: number[] | undefined;
    void pages.next().then((ids) => (answered = ids));
    stream.push([1, 2]);
    await settle();
    expect(answered).toBeUndefined();
    stream.push([3, 4]);
    await settle();
    expect(answered).toEqual([1, 2, 3]);
    stream.end();
    expect(await pages.next()).toEqual([4]);
  });

  it('hands out every id once over a long read (the buffer is trimmed as it goes)', async () => {
    const stream = controlledRead();
    const pages = idPages(stream.read, 1_000);
    for (let from = 1; from <= 150_000; from += 7_000) stream.push(range(from, Math.min(150_000, from + 6_999)));
    stream.end();
    const seen: number[] = [];
    for (let page = await pages.next(); page.length > 0; page = await pages.next()) seen.push(...page);
    expect(seen).toEqual(range(1, 150_000));
  });

  it('a failed read fails the page waiting and every later one, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const stream = controlledRead();
      const pages = idPages(stream.read, 5);
      stream.push(range(1, 5));
      expect(await pages.next()).toEqual(range(1, 5));
      const waiting = pages.next();
      stream.fail(new Error('store went away'));
      await expect(waiting).rejects.toThrow('store went away');
      await expect(pages.next()).rejects.toThrow('store went away');
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('LoadBudget', () => {
  it('lets pages load in page order, within the budget, and passes a turn that loads nothing straight on', async () => {
    const budget = new LoadBudget(10);
    const granted: string[] = [];
    const [first, second, third, fourth] = [budget.turn(), budget.turn(), budget.turn(), budget.turn()];
    // Later pages ask first: they still wait for the pages before them.
    const fourthDone = (fourth as (count: number) => Promise<void>)(2).then(() => granted.push('4'));
    const thirdDone = (third as (count: number) => Promise<void>)(0).then(() => granted.push('3'));
    const secondDone = (second as (count: number) => Promise<void>)(6).then(() => granted.push('2'));
    await settle();
    expect(granted).toEqual([]);
    await (first as (count: number) => Promise<void>)(6);
    granted.push('1');
    await settle();
    // 6 + 6 exceeds 10: the second page waits until the first is written.
    expect(granted).toEqual(['1']);
    budget.release(6);
    await Promise.all([secondDone, thirdDone, fourthDone]);
    expect(granted).toEqual(['1', '2', '3', '4']);
  });

  it('lets a page larger than the whole budget load once nothing else is loaded', async () => {
    const budget = new LoadBudget(5);
    await budget.turn()(3);
    let done = false;
    const large = budget
      .turn()(50)
      .then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    budget.release(3);
    await large;
    expect(done).toBe(true);
  });
});
