import { openConfiguredStore, publishedProducts } from '../connectors/woocommerce-db/catalog';
import type { AppContext } from '../core/domain';
import { summarise } from '../core/drift/rules';
import { DriftNotConfiguredError, type DriftCheck } from '../core/drift/types';
import { compareProducts } from './drift-rules';

/** `Y-m-d H:i:s` UTC (post_modified_gmt) to ms; 0 for WordPress's zero date. */
const gmtToMs = (value: string): number => {
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) ? ms : 0;
};

/**
 * Products drift: published products in the store (store database) against the ingestion store.
 * Products arrive by the plugin's webhook, so the worker cannot fetch a missing one: the Products
 * tab's backfill sends them. "Re-sync these" re-embeds products whose embedding is stale.
 */
export function productsDrift(ctx: AppContext): DriftCheck {
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
      const rows = await ctx.db.selectFrom('synchub_products').select(['woo_id', 'name', 'is_active', 'content_hash', 'embedded_hash', 'updated_at']).where('is_active', '=', 1).execute();
      const catalog = rows.map((row) => ({ wooId: Number(row.woo_id), name: row.name, active: row.is_active === 1, contentHash: row.content_hash, embeddedHash: row.embedded_hash, updatedAt: new Date(row.updated_at).getTime() }));
      const views = store.map((product) => ({ id: product.id, name: product.name, modifiedAt: gmtToMs(product.modifiedGmt) }));
      return summarise(store.length, compareProducts(views, catalog), { source: 'WooCommerce (published products, store database)', target: 'Ingestion store (active products)' });
    },
    async resync(ids) {
      const wooIds = ids.map(Number).filter((id) => Number.isInteger(id) && id > 0);
      if (wooIds.length === 0) return { enqueued: 0, skipped: ids };
      const result = await ctx.db.updateTable('synchub_products').set({ needs_embedding: 1 }).where('woo_id', 'in', wooIds).where('is_active', '=', 1).where('content_hash', 'is not', null).executeTakeFirst();
      const marked = Number(result.numUpdatedRows);
      if (marked > 0) await ctx.queues.get('products').add('products.embed-pending', {}, { attempts: 3, backoff: { type: 'exponential', delay: 2_000 } });
      const found = await ctx.db.selectFrom('synchub_products').select('woo_id').where('woo_id', 'in', wooIds).where('needs_embedding', '=', 1).execute();
      const hit = new Set(found.map((row) => String(row.woo_id)));
      return { enqueued: marked, skipped: ids.filter((id) => !hit.has(id)) };
    },
  };
}
