import { openConfiguredStore, skuStock } from '../connectors/woocommerce-db/catalog';
import type { AppContext } from '../core/domain';
import { summarise } from '../core/drift/rules';
import { DriftNotConfiguredError, type DriftCheck } from '../core/drift/types';
import { compareStock } from './drift-rules';

export const RESYNC_JOB = 'resync';

/**
 * Stock drift: WooCommerce stock (store database) against SIIGO's as the last sweep left it in the
 * ledger, so the check spends none of SIIGO's 100 requests a minute. "Re-sync these" queues a
 * write of the ledger's quantities for the codes (job `resync`).
 */
export function stockDrift(ctx: AppContext): DriftCheck {
  return {
    async check(progress) {
      const siigo = await ctx.db.selectFrom('synchub_stock_products').select(['code', 'name', 'quantity', 'last_seen_at']).execute();
      if (siigo.length === 0) throw new DriftNotConfiguredError('No stock sweep has read SIIGO yet: nothing to compare.');
      await progress(0.2);
      const store = await openConfiguredStore(ctx.config, ctx.settings);
      if (!store) throw new DriftNotConfiguredError('The store database is not configured (Events → Store database).');
      let woo;
      try {
        woo = await skuStock(store);
      } finally {
        await store.close();
      }
      await progress(0.8);
      const lastSweep = siigo.reduce((latest, row) => Math.max(latest, new Date(row.last_seen_at).getTime()), 0);
      return summarise(siigo.length, compareStock(woo, siigo), {
        source: 'SIIGO (stock ledger)',
        target: 'WooCommerce (store database)',
        siigo_read_at: new Date(lastSweep).toISOString(),
      });
    },
    async resync(ids) {
      const known = await ctx.db.selectFrom('synchub_stock_products').select('code').where('code', 'in', ids).where('quantity', 'is not', null).execute();
      const codes = known.map((row) => row.code);
      if (codes.length > 0)
        await ctx.queues.get('stock').add(RESYNC_JOB, { codes }, { attempts: 3, backoff: { type: 'exponential', delay: ctx.config.stock.retryDelayMs } });
      return { enqueued: codes.length, skipped: ids.filter((id) => !codes.includes(id)) };
    },
  };
}
