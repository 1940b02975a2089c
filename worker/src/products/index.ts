import { z } from 'zod';

import { EmbeddingsClient, type EmbeddingsConfigInput } from '../connectors/embeddings';
import type { AppContext, Domain } from '../core/domain';
import { createRouter } from '../core/http/routes';
import { boundSecret } from '../core/secret-binding';
import { overEnvironment } from '../core/settings';
import { APPLY_BATCH_EVENTS, BatchApplier } from './catalog/batch-apply';
import { productsActivity } from './activity';
import { productsDrift } from './drift';
import { EmbeddingBatcher } from './catalog/embedding';
import { catalogRouter } from './catalog/routes';
import { SearchIndex } from './catalog/search-index';
import { searchRouter } from './catalog/search-routes';
import { ProductStore } from './catalog/store';
import { TokenRateLimiter } from './ingest/auth';
import { ProductEnqueuer } from './ingest/enqueuer';
import { ProductEventLog } from './ingest/event-log';
import { ingestListener, ingestRouter, type IngestDeps } from './ingest/routes';
import { applyAccepted, productProcessors, type JobDeps } from './jobs';
import { PRODUCTS_MIGRATIONS } from './migrations';
import './schema';
import { TokenStore } from './tokens/store';
import { tokensRouter } from './tokens/routes';

/** Settings saved from wp-admin (`products.embeddings`, sealed) override EMBEDDINGS_* from the environment. */
export const EMBEDDINGS_SETTING = 'products.embeddings';

const savedEmbeddings = z.looseObject({ url: z.string().optional(), model: z.string().optional(), apiKey: z.string().optional() });

/**
 * The embeddings client for the settings in force, kept while they stay the same so that what it
 * learns (a batch size the endpoint refused) outlives one batch.
 */
function embedderResolver(ctx: AppContext): () => Promise<EmbeddingsClient | undefined> {
  let current: { key: string; client: EmbeddingsClient } | undefined;
  return async () => {
    const config = await embeddingsConfigOf(ctx);
    if (!config) return undefined;
    const key = JSON.stringify(config);
    if (current?.key !== key) current = { key, client: new EmbeddingsClient(config, ctx.egress.request) };
    return current.client;
  };
}

async function embeddingsConfigOf(ctx: AppContext): Promise<EmbeddingsConfigInput | undefined> {
  const saved = await ctx.settings.saved(EMBEDDINGS_SETTING, savedEmbeddings);
  const env = ctx.config.embeddings;
  const { url, model } = overEnvironment(saved, env);
  if (!url || !model) return undefined;
  // The key goes only to the URL it was given for: the environment's never follows a saved URL.
  const apiKey = boundSecret({ url }, [
    { secret: saved?.apiKey, origin: { url } },
    { secret: env.apiKey, origin: { url: env.url } },
  ]);
  return { url, model, apiKey, timeoutMs: env.timeoutMs, maxBatch: env.maxBatch };
}

/** The products domain of one runtime: its stores batch writes and count token use in memory. */
export function createProductsDomain(ctx: AppContext): Domain {
  const log = new ProductEventLog(ctx.db);
  const index = new SearchIndex(ctx.db, ctx.config.products.searchRefreshMs);
  const store = new ProductStore(ctx.db, ctx.config.products.contentHash, () => index.invalidate());
  const tokens = new TokenStore(ctx.db);
  const applier = new BatchApplier(ctx.db, store, APPLY_BATCH_EVENTS, ctx.config.products.contentHash);
  const enqueuer = new ProductEnqueuer(ctx.queues, log, ctx.config.products.retryDelayMs, ctx.logger);
  const limiter = new TokenRateLimiter(ctx.redis, `${ctx.queues.prefix}:products-rate`, ctx.config.products.rateLimitPerMinute, ctx.logger);
  const embedder = embedderResolver(ctx);
  const embedding = new EmbeddingBatcher(store);
  const embeddingsConfigured = async () => (await embedder()) !== undefined;
  const jobDeps: JobDeps & { applier: BatchApplier } = {
    store,
    applier,
    log,
    enqueuer,
    logger: ctx.logger,
    sweepAfterMs: ctx.config.products.sweepAfterMs,
    embedder,
    embedding,
  };
  // A process that runs jobs applies what it accepts itself (see ProductEnqueuer.applyLocally).
  if (ctx.processesJobs) enqueuer.applyLocally((events) => applyAccepted(jobDeps, events));
  const ingestDeps: IngestDeps = { tokens, limiter, log, enqueuer, logger: ctx.logger, embeddingsConfigured };

  return {
    name: 'products',
    migrations: PRODUCTS_MIGRATIONS,
    concurrency: ctx.config.products.concurrency,
    rawRoutes: (http) => [ingestListener(ingestDeps, http)],
    publicRouter() {
      const router = createRouter();
      router.use(ingestRouter(ingestDeps));
      // Search authenticates itself: the admin token, or an integration token for its own catalogue.
      router.use(searchRouter({ db: ctx.db, index, tokens, limiter, adminToken: ctx.adminToken, embedder }));
      return router;
    },
    adminRouter() {
      const router = createRouter();
      router.use(tokensRouter(tokens));
      router.use(catalogRouter(log, store));
      return router;
    },
    processors: () => productProcessors(jobDeps),
    drift: () => productsDrift(ctx, { store, embeddingsConfigured }),
    activity: () => productsActivity(ctx),
    schedules: () => [
      { id: 'products-sweep', repeat: { every: 30_000 }, jobName: 'products.sweep' },
      { id: 'products-embed-pending', repeat: { every: ctx.config.products.embedPendingEveryMs }, jobName: 'products.embed-pending' },
    ],
    async close() {
      await log.flush();
      // Locally applied events go through the applier: the enqueuer first.
      await enqueuer.flush().catch(() => undefined);
      await applier.flush().catch(() => undefined);
      await embedding.flush().catch(() => undefined);
      await tokens.close();
    },
  };
}
