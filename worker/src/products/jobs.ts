import type { Job } from 'bullmq';

import type { EmbeddingsClient } from '../connectors/embeddings';
import { isFinalAttempt } from '../core/failures';
import type { JobProcessor } from '../core/queues';
import type { Logger } from '../core/logger';
import type { BatchApplier } from './catalog/batch-apply';
import type { ProductStore } from './catalog/store';
import type { ProductDispatchJobData, ProductEnqueuer, ProductEventJobData } from './ingest/enqueuer';
import type { ProductEventLog } from './ingest/event-log';

export const CHUNK_SIZE = 1_000;
export const CHUNK_OVERLAP = 100;

export interface JobDeps {
  store: ProductStore;
  /** Applies events of concurrent jobs together; without it each event has its own transaction. */
  applier?: BatchApplier;
  log: ProductEventLog;
  enqueuer: ProductEnqueuer;
  logger: Logger;
  sweepAfterMs: number;
  /** The configured embeddings client, or undefined (text then stays pending and counted). */
  embedder: () => Promise<EmbeddingsClient | undefined>;
}

/** Embeds a product whose text changed; false when there was nothing to do or a newer text won. */
export async function embedProduct(deps: Pick<JobDeps, 'store' | 'embedder'>, productId: number): Promise<boolean> {
  const client = await deps.embedder();
  if (!client) return false;
  const pending = await deps.store.pendingDocument(productId, CHUNK_SIZE, CHUNK_OVERLAP);
  if (!pending) return false;
  const vectors = await client.embed(pending.chunks);
  return deps.store.saveEmbeddings(productId, pending.hash, pending.chunks, vectors, client.model);
}

export function productProcessors(deps: JobDeps): Record<string, JobProcessor> {
  return {
    'product.event': async (job: Job) => {
      const { eventLogId } = job.data as ProductEventJobData;
      const started = Date.now();
      try {
        let outcome = deps.applier ? await deps.applier.apply(eventLogId) : await deps.store.applyEvent(eventLogId, started);
        // A retry finds its event applied: the single path looks up the product to embed.
        if (outcome.result === 'already_applied' && outcome.productId === null) outcome = await deps.store.applyEvent(eventLogId, started);
        // A retry after a failed embedding finds the event applied and only embeds.
        const embedded = outcome.productId !== null ? await embedProduct(deps, outcome.productId) : false;
        if (job.attemptsMade > 0 && outcome.result !== 'stale') await deps.log.markRecovered(eventLogId);
        return { ...outcome, embedded };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await deps.log.recordAttemptError(eventLogId, message, isFinalAttempt(job, error), Date.now() - started);
        throw error;
      }
    },
    'product.dispatch': async (job: Job) => {
      const { items } = job.data as ProductDispatchJobData;
      await deps.enqueuer.addEventJobs(items);
      return { enqueued: items.length };
    },
    'products.sweep': async () => ({ reEnqueued: await deps.enqueuer.sweep(deps.sweepAfterMs) }),
    'products.embed-pending': async () => {
      if (!(await deps.embedder())) return { embedded: 0, reason: 'embeddings not configured' };
      let embedded = 0;
      for (const id of await deps.store.pendingIds(100)) {
        if (await embedProduct(deps, id)) embedded += 1;
      }
      return { embedded };
    },
  };
}
