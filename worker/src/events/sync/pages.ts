export interface Page<P> {
  ids: number[];
  /** What `load` made of the ids; null for the empty page that ends the run. */
  loaded: P | null;
}

/**
 * Pages of `size` ids out of one streamed read of every id (see OrderSource.streamOrderIds):
 * one pass over the store both feeds the pages, as soon as each page's ids have arrived, and
 * counts them (`total`), instead of a count and then a keyset query per page. `next()` answers
 * an empty page once the read has ended and every id was taken; a failed read fails every
 * `next()` from then on.
 */
export function idPages(read: (onIds: (ids: number[]) => void) => Promise<number>, size: number): { next(): Promise<number[]>; total: Promise<number> } {
  let buffered: number[] = [];
  let head = 0;
  let ended = false;
  let failure: { error: unknown } | undefined;
  const waiting: Array<{ resolve: (ids: number[]) => void; reject: (error: unknown) => void }> = [];
  const take = (): number[] => {
    const page = buffered.slice(head, head + size);
    head += page.length;
    // Drop what was handed out now and then, so the buffer does not keep every id of the run.
    if (head >= 65_536) {
      buffered = buffered.slice(head);
      head = 0;
    }
    return page;
  };
  const serve = () => {
    while (waiting.length > 0) {
      if (failure) {
        (waiting.shift() as (typeof waiting)[number]).reject(failure.error);
        continue;
      }
      if (buffered.length - head < size && !ended) return;
      (waiting.shift() as (typeof waiting)[number]).resolve(take());
    }
  };
  const total = read((ids) => {
    for (const id of ids) buffered.push(id);
    serve();
  }).then(
    (count) => {
      ended = true;
      serve();
      return count;
    },
    (error: unknown) => {
      failure = { error };
      serve();
      throw error;
    },
  );
  total.catch(() => undefined);
  return {
    total,
    next() {
      return new Promise<number[]>((resolve, reject) => {
        waiting.push({ resolve, reject });
        serve();
      });
    },
  };
}

/**
 * Pages read ahead of the writer. Each page's ids are asked for as soon as the previous page's
 * are known, and its orders load as soon as its own ids are, at most `depth` pages ahead: the
 * store's reads overlap each other and the writes, while memory stays bounded by `depth` pages.
 * A failed read surfaces when its page is taken; pages never taken (a pause, a timeout, an error)
 * are dropped quietly.
 */
export function readAhead<P>(nextIds: () => Promise<number[]>, load: (ids: number[]) => Promise<P>, depth: number): { next(): Promise<Page<P>> } {
  const queue: Array<{ ids: Promise<number[]>; page: Promise<Page<P>> }> = [];
  const enqueue = (ids: Promise<number[]>) => {
    const page = ids.then(async (list) => ({ ids: list, loaded: list.length > 0 ? await load(list) : null }));
    ids.catch(() => undefined);
    page.catch(() => undefined);
    queue.push({ ids, page });
  };
  const fill = () => {
    while (queue.length < Math.max(1, depth)) {
      const last = queue.at(-1);
      // After an empty page there is nothing more to read.
      enqueue(last ? last.ids.then((list) => (list.length === 0 ? [] : nextIds())) : nextIds());
    }
  };
  return {
    next() {
      fill();
      const head = queue.shift() as { page: Promise<Page<P>> };
      fill();
      return head.page;
    },
  };
}

/**
 * Order loads taken in page order, with at most `limit` orders loaded and not yet written: a
 * re-scan checks fingerprints several pages ahead, while the orders it does load stay within the
 * memory the plain read-ahead allows.
 */
export class LoadBudget {
  private free: number;
  private last: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(private readonly limit: number) {
    this.free = limit;
  }

  /**
   * This page's place in line, taken when the page starts (pages start in page order). The function
   * it returns waits for the pages before, then until `count` orders fit (a page larger than the
   * whole budget goes alone); call it exactly once, with 0 when the page loads nothing.
   */
  turn(): (count: number) => Promise<void> {
    const previous = this.last;
    let granted: () => void = () => undefined;
    this.last = new Promise<void>((resolve) => (granted = resolve));
    return async (count) => {
      try {
        await previous;
        while (count > this.free && this.free < this.limit) await new Promise<void>((resolve) => (this.wake = resolve));
        this.free -= count;
      } finally {
        granted();
      }
    };
  }

  /** Orders written (or dropped): their room goes to the next page in line. */
  release(count: number): void {
    this.free += count;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
