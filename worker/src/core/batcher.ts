/**
 * Groups concurrent calls into one batch call: while a batch is in flight, new items wait and
 * go together in the next one. No timer, so a lone call pays no added latency.
 */
export class Batcher<T, R> {
  private queue: Array<{ item: T; resolve: (value: R) => void; reject: (error: unknown) => void }> = [];
  private inFlight = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
    private readonly maxConcurrent = 2,
  ) {}

  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  /** Resolves when everything pushed so far has been handled. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private drain(): void {
    while (this.inFlight < this.maxConcurrent && this.queue.length > 0) {
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
}
