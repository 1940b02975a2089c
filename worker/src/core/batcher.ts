/**
 * Groups concurrent calls into one batch call: while a batch is in flight, new items wait and
 * go together in the next one. With no `lingerMs` there is no timer, so a lone call pays no added
 * latency; with one, a batch short of `maxBatch` waits that long for company first (for callers
 * that do not wait on the result, where fewer, larger batches are worth a few milliseconds).
 */
export class Batcher<T, R> {
  private queue: Array<{ item: T; resolve: (value: R) => void; reject: (error: unknown) => void }> = [];
  private inFlight = 0;
  private lingering?: NodeJS.Timeout;
  private lingered = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
    private readonly maxConcurrent = 2,
    private readonly lingerMs = 0,
  ) {}

  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  /**
   * Several items queued before the next batch starts, so they go in one batch together
   * (pushed one by one into an idle batcher, the first would go alone). Results in the items'
   * order; rejects as `push` would, once every item has settled or any has failed.
   */
  pushMany(items: readonly T[]): Promise<R[]> {
    const results = items.map((item) => new Promise<R>((resolve, reject) => this.queue.push({ item, resolve, reject })));
    this.drain();
    return Promise.all(results);
  }

  /** Resolves when everything pushed so far has been handled. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private drain(): void {
    while (this.inFlight < this.maxConcurrent && this.queue.length > 0) {
      if (this.queue.length < this.maxBatch && !this.doneLingering()) return;
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((entry) => entry.item))
        .then((results) => {
          if (results.length !== batch.length) throw new Error(`batch returned ${results.length} results for ${batch.length} items`);
          batch.forEach((entry, index) => entry.resolve(results[index] as R));
        })
        .catch((error: unknown) => batch.forEach((entry) => entry.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          this.drain();
        });
    }
  }

  /** True once the next batch has waited `lingerMs` (then the wait starts over for the one after). */
  private doneLingering(): boolean {
    if (this.lingerMs <= 0) return true;
    if (this.lingered) {
      this.lingered = false;
      return true;
    }
    this.lingering ??= setTimeout(() => {
      this.lingering = undefined;
      this.lingered = this.queue.length > 0;
      this.drain();
    }, this.lingerMs);
    return false;
  }
}
