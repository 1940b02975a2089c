export interface Page<T> {
  ids: number[];
  orders: T[];
}

/**
 * Pages of a keyset scan read ahead of the writer. Each page's id scan starts as soon as the
 * previous page's ids are known (scans do not wait for loads), and its orders load as soon as
 * its own ids are, at most `depth` pages ahead: the store's reads overlap each other and the
 * writes, while memory stays bounded by `depth` pages. A failed read surfaces when its page is
 * taken; pages never taken (a pause, a timeout, an error) are dropped quietly.
 */
export function readAhead<T>(
  scan: (afterId: number) => Promise<number[]>,
  load: (ids: number[]) => Promise<T[]>,
  startAfter: number,
  depth: number,
): { next(): Promise<Page<T>> } {
  const queue: Array<{ ids: Promise<number[]>; page: Promise<Page<T>> }> = [];
  const enqueue = (ids: Promise<number[]>) => {
    const page = ids.then(async (list) => ({ ids: list, orders: list.length > 0 ? await load(list) : [] }));
    ids.catch(() => undefined);
    page.catch(() => undefined);
    queue.push({ ids, page });
  };
  const fill = () => {
    while (queue.length < Math.max(1, depth)) {
      const last = queue.at(-1);
      // After an empty page there is nothing more to scan.
      enqueue(last ? last.ids.then((list) => (list.length === 0 ? [] : scan(list[list.length - 1] as number))) : scan(startAfter));
    }
  };
  return {
    next() {
      fill();
      const head = queue.shift() as { page: Promise<Page<T>> };
      fill();
      return head.page;
    },
  };
}
