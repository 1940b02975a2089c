import { openConfiguredStore, publishedProducts } from '../connectors/woocommerce-db/catalog';
import { StoreClient } from '../connectors/store/client';
import { parseStoreConfig, type StoreConfig } from '../connectors/store/config';
import { StoreUnavailableError } from '../connectors/store/errors';
import type { AppContext } from '../core/domain';
import { summarise } from '../core/drift/rules';
import { DriftNotConfiguredError, type DriftCheck } from '../core/drift/types';
import { HttpError } from '../core/http/errors';
import type { ProductStore } from './catalog/store';
import { compareProducts } from './drift-rules';

/** `Y-m-d H:i:s` UTC (post_modified_gmt) to ms; 0 for WordPress's zero date. */
const gmtToMs = (value: string): number => {
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) ? ms : 0;
};

/** The plugin's signed routes, when the worker knows where the store is (STORE_URL) and the secret. */
function pluginRoutes(ctx: AppContext): StoreConfig | undefined {
  const parsed = parseStoreConfig(ctx.config, ctx.webhookSecret);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Products drift: published products in the store (store database) against the ingestion store.
 * Products arrive by the plugin's feed, so "re-sync these" asks the plugin (its signed
 * `products/resend` route) to record them in its outbox again: the current state of a published
 * product, a deletion for anything else. A product whose embedding is stale is embedded again here
 * (embeddings are compared only when an embeddings endpoint is configured: without one nothing is
 * embedded, by design).
 */
export function productsDrift(ctx: AppContext, options: { store: ProductStore; embeddingsConfigured: () => Promise<boolean> }): DriftCheck {
  return {
    async check(progress) {
      const woo = await openConfiguredStore(ctx.config, ctx.settings);
      if (!woo) throw new DriftNotConfiguredError('The store database is not configured (Events → Store database).');
      let store;
      try {
        store = await publishedProducts(woo);
      } finally {
        await woo.close();
      }
      await progress(0.5);
      const catalog = (await options.store.activeCatalog()).map((product) => ({ ...product, active: true }));
      const views = store.map((product) => ({ id: product.id, name: product.name, modifiedAt: gmtToMs(product.modifiedGmt) }));
      const sources = { source: 'WooCommerce (published products, store database)', target: 'Ingestion store (active products)' };
      return summarise(
        store.length,
        compareProducts(views, catalog, { storeCanResend: pluginRoutes(ctx) !== undefined, compareEmbeddings: await options.embeddingsConfigured() }),
        sources,
      );
    },
    async resync(ids) {
      const isProductId = (id: string) => /^[1-9]\d{0,15}$/.test(id);
      const wooIds = [...new Set(ids.filter(isProductId).map(Number))];
      const skipped = ids.filter((id) => !isProductId(id));
      if (wooIds.length === 0) return { enqueued: 0, skipped: ids };

      const staleIds = (await options.embeddingsConfigured()) ? await options.store.staleEmbeddings(wooIds) : new Set<number>();
      // The store decides what a product is now (an edit, an unpublish): every id goes to it when
      // it can be asked; without it only stale embeddings can be fixed here.
      const routes = pluginRoutes(ctx);
      if (!routes && wooIds.some((id) => !staleIds.has(id))) {
        throw new HttpError(
          409,
          'store_not_configured',
          'The worker does not know the store’s address (STORE_URL) or the webhook secret, so it cannot ask the store to send these products again. Use “Sync all products” on the Products tab.',
        );
      }

      const handled = new Set<number>();
      if (routes) {
        let results;
        try {
          results = await new StoreClient(routes, ctx.egress.fetch).resendProducts(wooIds);
        } catch (error) {
          const unavailable = error instanceof StoreUnavailableError;
          ctx.logger.warn({ err: error }, 'asking the store to send products again failed');
          throw new HttpError(
            502,
            unavailable ? 'store_unavailable' : 'store_refused',
            unavailable ? 'The store did not answer; try again in a moment.' : 'The store refused to send the products again; see the worker log.',
          );
        }
        for (const result of results) if (result.status === 'queued' || result.status === 'deleted') handled.add(result.id);
      }
      if (staleIds.size > 0) {
        await options.store.requestEmbedding([...staleIds]);
        await ctx.queues.get('products').add('products.embed-pending', {}, { attempts: 3, backoff: { type: 'exponential', delay: 2_000 } });
        for (const id of staleIds) handled.add(id);
      }
      skipped.push(...wooIds.filter((id) => !handled.has(id)).map(String));
      return { enqueued: handled.size, skipped };
    },
  };
}
