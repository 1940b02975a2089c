import type { Job } from 'bullmq';

import type { EmbeddingsClient } from '../connectors/embeddings';
import { isFinalAttempt } from '../core/failures';
import type { JobProcessor } from '../core/queues';
import type { Logger } from '../core/logger';
import type { BatchApplier } from './catalog/batch-apply';
import { EMBED_BATCH_PRODUCTS, embedProducts, type EmbeddingBatcher } from './catalog/embedding';
import type { ApplyOutcome, ProductStore } from './catalog/store';
import type { ProductDispatchJobData, ProductEnqueuer, ProductEventJobData } from './ingest/enqueuer';
import type { ProductEventLog } from './ingest/event-log';
import type { AcceptedEvent } from './ingest/enqueuer';

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
  /** Embeds the products of concurrent jobs together: what dispatch jobs applied, and the backlog. */
  embedding: EmbeddingBatcher;
}

/** Embeds a product whose text changed; false when there was nothing to do or a newer text won. */
export async function embedProduct(deps: Pick<JobDeps, 'store' | 'embedder'>, productId: number): Promise<boolean> {
  const client = await deps.embedder();
  if (!client) return false;
  return (await embedProducts(deps.store, [productId], client)).has(productId);
}

/** How long one embed-pending run works through the backlog; the next run goes on from the start. */
const BACKLOG_RUN_MS = 60_000;

/**
 * The products awaiting embedding (a catalogue stored before an endpoint was configured, or marked
 * stale), in id order, a batch at a time. A product that fails is left pending and the run goes on
 * past it; a batch that saves nothing and fails stops the run (the endpoint is down). The first
 * failure then fails the job, so it shows and is retried.
 */
async function embedBacklog(deps: Pick<JobDeps, 'store' | 'embedding'>, client: EmbeddingsClient): Promise<{ embedded: number }> {
  const until = Date.now() + BACKLOG_RUN_MS;
  let embedded = 0;
  let failure: Error | undefined;
  for (let after = 0; Date.now() < until;) {
    const ids = await deps.store.pendingIds(EMBED_BATCH_PRODUCTS, after);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] as number;
    const outcomes = [...(await deps.embedding.embed(ids, client)).values()];
    const saved = outcomes.filter((outcome) => outcome === true).length;
    embedded += saved;
    const failed = outcomes.find((outcome): outcome is Error => outcome instanceof Error);
    failure ??= failed;
    if (saved === 0 && failed) break;
  }
  if (failure) throw failure;
  return { embedded };
}

/**
 * The events of a dispatch job applied in place, in the applier's multi-event transactions: a
 * BullMQ job per event cost more in Redis than the event costs in MariaDB. Whatever fails here
 * is handed to the event's own `product.event` job, the path with attempts, backoff and a dead
 * letter: an event the batch could not apply as it was, and an embedding that failed (that
 * failure is the event's first attempt, recorded on its log row). Nothing is lost if the process
 * dies part-way: unapplied rows stay `received` for the sweeper, unembedded products stay pending.
 */
async function applyDispatched(
  deps: JobDeps,
  applier: BatchApplier,
  items: ReadonlyArray<number | AcceptedEvent>,
): Promise<{ applied: number; handedOver: Array<{ eventLogId: number; attemptsBefore: number }> }> {
  let outcomes: Map<number, ApplyOutcome | Error>;
  try {
    outcomes = await applier.applyMany(items);
  } catch {
    return { applied: 0, handedOver: items.map((item) => ({ eventLogId: typeof item === 'number' ? item : item.eventLogId, attemptsBefore: 0 })) };
  }
  const handedOver: Array<{ eventLogId: number; attemptsBefore: number }> = [];
  // One embedding per product, however many of its events the batch held.
  const toEmbed = new Map<number, number[]>();
  for (const [eventLogId, outcome] of outcomes) {
    if (outcome instanceof Error) handedOver.push({ eventLogId, attemptsBefore: 0 });
    else if (outcome.result === 'upserted' && outcome.needsEmbedding) toEmbed.set(outcome.productId, [...(toEmbed.get(outcome.productId) ?? []), eventLogId]);
  }
  // A failed embedding is the event's first attempt, recorded on its log row; its own job retries it.
  const failEmbedding = async (productIds: number[], error: unknown, started: number): Promise<void> => {
    const message = error instanceof Error ? error.message : String(error);
    for (const eventLogId of productIds.flatMap((productId) => toEmbed.get(productId) ?? [])) {
      await deps.log.recordAttemptError(eventLogId, message, false, Date.now() - started);
      handedOver.push({ eventLogId, attemptsBefore: 1 });
    }
  };
  // The client is resolved once per job (a settings read); with none configured the text stays pending.
  let client: EmbeddingsClient | undefined;
  if (toEmbed.size > 0) {
    const started = Date.now();
    client = await deps.embedder().catch(async (error: unknown) => {
      await failEmbedding([...toEmbed.keys()], error, started);
      return undefined;
    });
  }
  if (client) {
    const started = Date.now();
    for (const [productId, outcome] of await deps.embedding.embed([...toEmbed.keys()], client)) {
      if (outcome instanceof Error) await failEmbedding([productId], outcome, started);
    }
  }
  return { applied: outcomes.size - handedOver.length, handedOver };
}

/**
 * Events this process accepted, applied here (the runtime runs jobs too): the same work as a
 * dispatch job, without the queue round trip or validating the payload again. What fails is
 * handed over to the event's own job as from a dispatch job.
 */
export async function applyAccepted(deps: JobDeps & { applier: BatchApplier }, events: AcceptedEvent[]): Promise<void> {
  const { handedOver } = await applyDispatched(deps, deps.applier, events);
  await deps.enqueuer.handOver(handedOver);
}

export function productProcessors(deps: JobDeps): Record<string, JobProcessor> {
  return {
    'product.event': async (job: Job) => {
      const { eventLogId, attemptsBefore = 0 } = job.data as ProductEventJobData;
      const started = Date.now();
      try {
        let outcome = deps.applier ? await deps.applier.apply(eventLogId) : await deps.store.applyEvent(eventLogId, started);
        // A retry finds its event applied: the single path looks up the product to embed.
        if (outcome.result === 'already_applied' && outcome.productId === null) outcome = await deps.store.applyEvent(eventLogId, started);
        // A retry after a failed embedding finds the event applied and only embeds.
        const embedded = outcome.productId !== null ? await embedProduct(deps, outcome.productId) : false;
        if (job.attemptsMade + attemptsBefore > 0 && outcome.result !== 'stale') await deps.log.markRecovered(eventLogId);
        return { ...outcome, embedded };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await deps.log.recordAttemptError(eventLogId, message, isFinalAttempt(job, error), Date.now() - started);
        throw error;
      }
    },
    'product.dispatch': async (job: Job) => {
      const { items } = job.data as ProductDispatchJobData;
      // A retried dispatch, or no batch applier: every event gets its own job (attempts, backoff, dead letter).
      if (!deps.applier || job.attemptsMade > 0) {
        await deps.enqueuer.addEventJobs(items);
        return { enqueued: items.length };
      }
      const { applied, handedOver } = await applyDispatched(deps, deps.applier, items);
      await deps.enqueuer.handOver(handedOver);
      return { applied, enqueued: handedOver.length };
    },
    'products.sweep': async () => ({ reEnqueued: await deps.enqueuer.sweep(deps.sweepAfterMs) }),
    'products.embed-pending': async () => {
      const client = await deps.embedder();
      if (!client) return { embedded: 0, reason: 'embeddings not configured' };
      return embedBacklog(deps, client);
    },
  };
}
