import { EmbeddingsClient, type EmbeddingsConfigInput } from '../connectors/embeddings';
import type { AppContext, DomainModule } from '../core/domain';
import { createRouter } from '../core/http/routes';
import { boundSecret } from '../core/secret-binding';
import { BatchApplier } from './catalog/batch-apply';
import { productsActivity } from './activity';
import { productsDrift } from './drift';
import { catalogRouter } from './catalog/routes';
import { SearchIndex } from './catalog/search-index';
import { searchRouter } from './catalog/search-routes';
import { ProductStore } from './catalog/store';
import { TokenRateLimiter } from './ingest/auth';
import { ProductEnqueuer } from './ingest/enqueuer';
import { ProductEventLog } from './ingest/event-log';
import { ingestListener, ingestRouter, type IngestDeps } from './ingest/routes';
import { productProcessors } from './jobs';
import { PRODUCTS_MIGRATIONS } from './migrations';
import './schema';
import { TokenStore } from './tokens/store';
import { tokensRouter } from './tokens/routes';

/** Settings saved from wp-admin (`products.embeddings`, sealed) override EMBEDDINGS_* from the environment. */
export const EMBEDDINGS_SETTING = 'products.embeddings';

interface Services {
  index: SearchIndex;
  tokens: TokenStore;
  log: ProductEventLog;
  store: ProductStore;
  applier: BatchApplier;
  enqueuer: ProductEnqueuer;
  limiter: TokenRateLimiter;
  embedder: () => Promise<EmbeddingsClient | undefined>;
}

async function resolveEmbedder(ctx: AppContext): Promise<EmbeddingsClient | undefined> {
  const saved = await ctx.settings.getJson<Partial<EmbeddingsConfigInput>>(EMBEDDINGS_SETTING).catch(() => undefined);
  const env = ctx.config.embeddings;
  const url = saved?.url ?? env.url;
  const model = saved?.model ?? env.model;
  if (!url || !model) return undefined;
  // The key goes only to the URL it was given for: the environment's never follows a saved URL.
  const apiKey = boundSecret({ url }, [
    { secret: saved?.apiKey, origin: { url } },
    { secret: env.apiKey, origin: { url: env.url } },
  ]);
  return new EmbeddingsClient({ url, model, apiKey, timeoutMs: env.timeoutMs }, ctx.egress.fetch);
}

/** One products domain per runtime: its stores batch writes and count token use in memory. */
export function createProductsDomain(): DomainModule {
  const instances = new Map<AppContext, Services>();
  const services = (ctx: AppContext): Services => {
    let found = instances.get(ctx);
    if (!found) {
      const log = new ProductEventLog(ctx.db);
      const index = new SearchIndex(ctx.db, ctx.config.products.searchRefreshMs);
      const store = new ProductStore(ctx.db, ctx.config.products.contentHash, () => index.invalidate());
      found = {
        index,
        tokens: new TokenStore(ctx.db),
        log,
        store,
        applier: new BatchApplier(ctx.db, store, 200, ctx.config.products.contentHash),
        enqueuer: new ProductEnqueuer(ctx.queues, log, ctx.config.products.retryDelayMs, ctx.logger),
        limiter: new TokenRateLimiter(ctx.redis, `${ctx.queues.prefix}:products-rate`, ctx.config.products.rateLimitPerMinute, ctx.logger),
        embedder: () => resolveEmbedder(ctx),
      };
      instances.set(ctx, found);
    }
    return found;
  };

  const ingestDeps = (ctx: AppContext): IngestDeps => {
    const s = services(ctx);
    return {
      tokens: s.tokens,
      limiter: s.limiter,
      log: s.log,
      enqueuer: s.enqueuer,
      logger: ctx.logger,
      embeddingsConfigured: async () => (await s.embedder()) !== undefined,
    };
  };

  // The runtime reads `concurrency` after building the processors, which set it from the config.
  let concurrency = 20;

  return {
    name: 'products',
    migrations: PRODUCTS_MIGRATIONS,
    get concurrency() {
      return concurrency;
    },
    rawRoutes(ctx, http) {
      return [ingestListener(ingestDeps(ctx), http)];
    },
    publicRouter(ctx) {
      const s = services(ctx);
      const router = createRouter();
      router.use(ingestRouter(ingestDeps(ctx)));
      // Search authenticates itself: the admin token, or an integration token for its own catalogue.
      router.use(searchRouter({ db: ctx.db, index: s.index, tokens: s.tokens, limiter: s.limiter, adminToken: ctx.adminToken, embedder: s.embedder }));
      return router;
    },
    adminRouter(ctx) {
      const s = services(ctx);
      const router = createRouter();
      router.use(tokensRouter(s.tokens));
      router.use(catalogRouter(s.log, s.store));
      return router;
    },
    processors(ctx) {
      const s = services(ctx);
      concurrency = ctx.config.products.concurrency;
      return productProcessors({
        store: s.store,
        applier: s.applier,
        log: s.log,
        enqueuer: s.enqueuer,
        logger: ctx.logger,
        sweepAfterMs: ctx.config.products.sweepAfterMs,
        embedder: s.embedder,
      });
    },
    drift: (ctx) => productsDrift(ctx, { embeddingsConfigured: async () => (await services(ctx).embedder()) !== undefined }),
    activity: (ctx) => productsActivity(ctx),
    schedules(ctx) {
      return [
        { id: 'products-sweep', repeat: { every: 30_000 }, jobName: 'products.sweep' },
        { id: 'products-embed-pending', repeat: { every: ctx.config.products.embedPendingEveryMs }, jobName: 'products.embed-pending' },
      ];
    },
    async close() {
      for (const s of instances.values()) {
        await s.log.flush();
        await s.applier.flush().catch(() => undefined);
        await s.enqueuer.flush().catch(() => undefined);
        await s.tokens.close();
      }
      instances.clear();
    },
  };
}

export const productsDomain = createProductsDomain();
