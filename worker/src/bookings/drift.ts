import { OdooSales } from '../connectors/odoo';
import type { AppContext } from '../core/domain';
import { summarise } from '../core/drift/rules';
import { DriftNotConfiguredError, type DriftCheck } from '../core/drift/types';
import { OdooNotConfiguredError } from './odoo/connection';
import { compareBookings, type LinkView, type OdooOrderView } from './drift-rules';
import type { BookingOrder } from './orders/parse';
import type { BookingsService } from './service';

/**
 * Bookings drift: every paid booking order the worker holds (plus those of the last sweep window
 * read from the store database, when configured) against the sale orders Odoo still has.
 * Odoo is read with one `search_read` per 200 linked orders.
 */
export function bookingsDrift(ctx: AppContext, service: BookingsService): DriftCheck {
  return {
    async check(progress) {
      const { connector, store } = service;
      let client;
      try {
        client = await connector.client();
      } catch (error) {
        if (error instanceof OdooNotConfiguredError) throw new DriftNotConfiguredError(error.message);
        throw error;
      }
      const held = await store.allOrders();
      const imported = await service.wooSource.paidBookingOrders(ctx.config.bookings.sweepDays, (ids) => store.knownIds(ids)).catch(() => [] as BookingOrder[]);
      const orders = [...held, ...imported];
      await progress(0.3);
      const links = await store.links(orders.map((order) => order.id));
      const views = new Map<number, LinkView>(
        [...links.values()].map((link) => [link.wcOrderId, { orderId: link.wcOrderId, saleOrderId: link.saleOrderId, saleOrderName: link.saleOrderName }]),
      );
      const totals = await new OdooSales(client).saleOrderTotals([...views.values()].map((link) => link.saleOrderId));
      const odoo = new Map<number, OdooOrderView>(
        [...totals.values()].map((row) => [
          row.id,
          { id: row.id, name: row.name, state: row.state, amountUntaxed: row.amount_untaxed, amountTotal: row.amount_total },
        ]),
      );
      await progress(0.9);
      return summarise(orders.length, compareBookings(orders, views, odoo), { source: 'WooCommerce (paid booking orders)', target: 'Odoo (sale orders)' });
    },
    async resync(ids) {
      const { connector, store } = service;
      const orderIds = ids.map(Number).filter((id) => Number.isInteger(id) && id > 0);
      const known = await store.knownIds(orderIds);
      const wanted = orderIds.filter((id) => known.has(id));
      if (wanted.length === 0) return { enqueued: 0, skipped: ids };
      // A link whose sale order was deleted in Odoo is dropped, so the sync creates a new one.
      const client = await connector.client();
      const links = await store.links(wanted);
      const existing = await new OdooSales(client).saleOrderTotals([...links.values()].map((link) => link.saleOrderId));
      const stale = [...links.values()].filter((link) => !existing.has(link.saleOrderId)).map((link) => link.wcOrderId);
      await store.dropLinks(stale);
      const relinked = wanted.filter((id) => !links.has(id) || stale.includes(id));
      await store.markPending(relinked);
      const result = await service.enqueue(relinked, 'drift');
      return { enqueued: result.orders, skipped: ids.filter((id) => !relinked.includes(Number(id))) };
    },
  };
}
