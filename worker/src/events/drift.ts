import { sql } from 'kysely';

import type { AppContext } from '../core/domain';
import { summarise } from '../core/drift/rules';
import { DriftNotConfiguredError, type DriftCheck, type DriftItem } from '../core/drift/types';
import { openConfiguredStore } from '../connectors/woocommerce-db/catalog';
import { compareTicketOrders, type TicketOrderView } from './drift-rules';
import { startExecution } from './jobs';
import { mapOrder } from './rules';
import { paidStatusesOf } from './sync/run';

/**
 * Events drift: for each active configuration, every store order holding its product (read from
 * the store database like a sync run, page by page) against the orders and valid tickets migrated.
 * "Re-sync these" starts a full run of the configurations the listed orders belong to.
 */
export function eventsDrift(ctx: AppContext): DriftCheck {
  return {
    async check(progress) {
      const configurations = await ctx.db.selectFrom('synchub_event_configurations').selectAll().where('is_active', '=', 1).orderBy('id').execute();
      if (configurations.length === 0) throw new DriftNotConfiguredError('No active event configuration: nothing to compare.');
      const woo = await openConfiguredStore(ctx.config, ctx.settings);
      if (!woo) throw new DriftNotConfiguredError('The store database is not configured (Events → Store database).');
      const differences: DriftItem[] = [];
      let compared = 0;
      try {
        const source = await woo.source();
        for (const [index, configuration] of configurations.entries()) {
          const products = await woo.findProduct(configuration.woocommerce_product_id);
          const productIds = products.map((product) => product.id);
          const store: TicketOrderView[] = [];
          if (productIds.length > 0) {
            const rules = { paidStatuses: paidStatusesOf(configuration), serviceFeePercentage: configuration.service_fee_percentage };
            for (let afterId = 0; ;) {
              const ids = await source.scanOrderIds({ productIds, afterId, limit: ctx.config.woocommerce.batchSize });
              if (ids.length === 0) break;
              for (const order of await source.loadOrders(ids, productIds)) {
                const desired = mapOrder(order, rules);
                store.push({ orderId: order.id, active: desired.status === 'active', tickets: desired.tickets.length });
              }
              afterId = ids[ids.length - 1] as number;
            }
          }
          const rows = await ctx.db
            .selectFrom('synchub_event_ticket_orders as o')
            .leftJoin('synchub_event_tickets as t', (join) => join.onRef('t.ticket_order_id', '=', 'o.id').on('t.status', '=', 'valid'))
            .select(['o.woocommerce_order_id as orderId', 'o.status as status', sql<number>`COUNT(t.id)`.as('tickets')])
            .where('o.configuration_id', '=', configuration.id)
            .groupBy(['o.id', 'o.woocommerce_order_id', 'o.status'])
            .execute();
          const migrated = rows.map((row) => ({ orderId: Number(row.orderId), active: row.status === 'active', tickets: Number(row.tickets) }));
          compared += store.filter((order) => order.active).length;
          differences.push(...compareTicketOrders(configuration.id, store, migrated));
          await progress((index + 1) / configurations.length);
        }
      } finally {
        await woo.close();
      }
      return summarise(compared, differences, {
        source: 'WooCommerce (paid ticket orders, store database)',
        target: 'Events store (migrated orders and tickets)',
      });
    },
    async resync(ids) {
      const configurationIds = [...new Set(ids.map((id) => Number(id.split(':')[0])).filter((id) => Number.isInteger(id) && id > 0))];
      const configurations =
        configurationIds.length > 0
          ? await ctx.db.selectFrom('synchub_event_configurations').selectAll().where('id', 'in', configurationIds).where('is_active', '=', 1).execute()
          : [];
      let enqueued = 0;
      for (const configuration of configurations) if ((await startExecution(ctx, configuration, 'manual', { full: true })) !== null) enqueued += 1;
      const started = new Set(configurations.map((configuration) => configuration.id));
      return { enqueued, skipped: ids.filter((id) => !started.has(Number(id.split(':')[0]))) };
    },
  };
}
