import type { EmbeddingsClient } from '../../connectors/embeddings';
import { Batcher } from '../../core/batcher';
import type { ProductStore } from './store';

export const CHUNK_SIZE = 1_000;
export const CHUNK_OVERLAP = 100;

/**
 * Embeds the products whose text changed: their texts in one embeddings call (the client splits
 * it at its maxBatch), their chunks saved in one transaction. Resolves with the products saved
 * (not those with nothing to do, nor those whose text changed again meanwhile).
 */
export async function embedProducts(store: ProductStore, productIds: readonly number[], client: EmbeddingsClient): Promise<Set<number>> {
  const documents = [...(await store.pendingDocuments(productIds, CHUNK_SIZE, CHUNK_OVERLAP))];
  if (documents.length === 0) return new Set();
  const vectors = await client.embed(documents.flatMap(([, document]) => document.chunks));
  let next = 0;
  const embedded = documents.map(([productId, document]) => {
    const own = vectors.slice(next, next + document.chunks.length);
    next += document.chunks.length;
    return { productId, ...document, vectors: own };
  });
  return store.saveEmbeddingsMany(embedded, client.model);
}

/** Saved, nothing to do (false), or the error that kept the product from being embedded. */
export type EmbedOutcome = boolean | Error;

type Item = { productId: number; client: EmbeddingsClient };

/** Products per batch at most, and batches in flight (one embedding over HTTP while another saves). */
export const EMBED_BATCH_PRODUCTS = 256;
const EMBED_BATCHES_IN_FLIGHT = 2;
/**
 * How long a batch short of EMBED_BATCH_PRODUCTS waits for company. During an import each batch
 * costs a round of queries and requests whatever its size, and batches formed only while others
 * were in flight held about 30 products. The wait delays no request, only the job that applied them.
 */
export const EMBED_LINGER_MS = 25;

/**
 * The products that concurrent jobs of this process embed, embedded together. Embedding per job
 * cost a query round of its own (read the texts, lock, replace the chunks, mark) for a dozen
 * products at a time: more MariaDB and socket work than the chunks themselves. Products pushed
 * while batches are in flight wait and go together in the next one.
 */
export class EmbeddingBatcher {
  private readonly batcher: Batcher<Item, EmbedOutcome>;

  constructor(
    private readonly store: ProductStore,
    maxBatch = EMBED_BATCH_PRODUCTS,
    inFlight = EMBED_BATCHES_IN_FLIGHT,
    lingerMs = EMBED_LINGER_MS,
  ) {
    this.batcher = new Batcher((items) => this.run(items), maxBatch, inFlight, lingerMs);
  }

  /** Each product's outcome; never rejects (a failure is that product's outcome). */
  async embed(productIds: readonly number[], client: EmbeddingsClient): Promise<Map<number, EmbedOutcome>> {
    const outcomes = await this.batcher.pushMany(productIds.map((productId) => ({ productId, client })));
    return new Map(productIds.map((productId, index) => [productId, outcomes[index] as EmbedOutcome]));
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  private async run(items: Item[]): Promise<EmbedOutcome[]> {
    // Jobs resolve their own client (a settings read): items with the same settings share a call.
    const keys = items.map((item) => JSON.stringify(item.client.config));
    const groups = new Map<string, { client: EmbeddingsClient; ids: Set<number>; outcomes: Map<number, EmbedOutcome> }>();
    items.forEach(({ productId, client }, index) => {
      const key = keys[index] as string;
      const group = groups.get(key) ?? { client, ids: new Set<number>(), outcomes: new Map<number, EmbedOutcome>() };
      group.ids.add(productId);
      groups.set(key, group);
    });
    await Promise.all(
      [...groups.values()].map(async ({ client, ids, outcomes }) => {
        try {
          const saved = await embedProducts(this.store, [...ids], client);
          for (const productId of ids) outcomes.set(productId, saved.has(productId));
        } catch (error) {
          for (const productId of ids) outcomes.set(productId, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return items.map(({ productId }, index) => groups.get(keys[index] as string)?.outcomes.get(productId) ?? false);
  }
}
