import { WooCommerceDb } from '../../connectors/woocommerce-db/client';
import { resolveWooDbConfig } from '../../connectors/woocommerce-db/config';
import type { OrderMoney } from '../../connectors/woocommerce-db/order-money';
import type { SourceOrder } from '../../connectors/woocommerce-db/types';
import type { AppContext } from '../../core/domain';
import { parseBookingOrder, type BookingOrder } from './parse';

const PAID = new Set(['wc-processing', 'wc-completed', 'processing', 'completed']);
const BOOKING_KEYS = ['yith_booking_data', '_booking_id'];

/** The plugin's private order meta holding the cart's discount decision (VolumeDiscount::ORDER_META). */
export const DISCOUNT_META_KEY = '_synchub_volume_discount';

/**
 * A store order read from MySQL, in the REST v3 shape the webhook path parses (pure), so an order
 * the sweep finds makes the same sale order as the same order delivered by webhook: its currency,
 * taxes (per line and per rate), fees, prices-include-tax and totals travel, and the discount the
 * customer was charged travels as the cart's decision (`synchub_volume_discount`) and fee lines.
 */
export function restShapeOf(order: SourceOrder, bookingMeta: Map<number, Array<{ key: string; value: unknown }>>, money?: OrderMoney): Record<string, unknown> {
  const rateEntries = (taxes: Array<{ id: number; subtotal: number | null; total: number | null }>) =>
    taxes.map((tax) => ({ id: tax.id, subtotal: tax.subtotal ?? '', total: tax.total ?? '' }));
  return {
    id: order.id,
    number: String(order.id),
    status: order.status.replace(/^wc-/, ''),
    currency: /^[A-Za-z]{3}$/.test(order.currency) ? order.currency : null,
    ...(money?.pricesIncludeTax === null || money === undefined ? {} : { prices_include_tax: money.pricesIncludeTax }),
    total: order.total,
    total_tax: order.tax,
    date_paid_gmt: order.paidAt,
    date_created_gmt: order.createdAt,
    billing: { first_name: order.billing.firstName, last_name: order.billing.lastName, email: order.billing.email, phone: order.billing.phone },
    line_items: order.items.map((item) => {
      const taxes = money?.lineTaxes.get(item.id);
      return {
        id: item.id,
        name: item.name,
        product_id: item.productId,
        quantity: item.quantity,
        subtotal: item.subtotal,
        subtotal_tax: taxes?.subtotalTax ?? 0,
        taxes: rateEntries(taxes?.taxes ?? []),
        meta_data: bookingMeta.get(item.id) ?? [],
      };
    }),
    tax_lines: (money?.taxLines ?? []).map((line) => ({
      rate_id: line.rateId,
      label: line.label,
      compound: line.compound,
      rate_percent: line.ratePercent,
      tax_total: line.taxTotal,
    })),
    meta_data: money?.meta ? [{ key: 'synchub_volume_discount', value: money.meta }] : [],
    fee_lines: (money?.fees ?? []).map((fee) => ({
      name: fee.name,
      total: fee.total,
      total_tax: fee.totalTax,
      taxes: fee.taxes.map((tax) => ({ id: tax.id, total: tax.total ?? '' })),
    })),
  };
}

/**
 * The sweep's view of the store: paid orders with YITH booking items modified in the last
 * `days` days, read through the read-only WooCommerce DB connector (HPOS or legacy). Used only
 * when the WooCommerce database is configured; otherwise the sweep works from the orders the
 * webhooks delivered.
 */
export class WooBookingSource {
  constructor(private readonly ctx: AppContext) {}

  /** One short-lived read-only pool per sweep (every 5 minutes), closed when done. */
  async paidBookingOrders(days: number, known: (ids: number[]) => Promise<Set<number>>): Promise<BookingOrder[]> {
    const config = await resolveWooDbConfig(this.ctx.config, this.ctx.settings);
    if (!config.success) return [];
    const reader = await WooCommerceDb.open(config.data, 2);
    try {
      return await this.read(reader, days, known);
    } finally {
      await reader.close();
    }
  }

  private async read(reader: WooCommerceDb, days: number, known: (ids: number[]) => Promise<Set<number>>): Promise<BookingOrder[]> {
    const productIds = await reader.productIdsWithItemMeta('yith_booking_data');
    if (productIds.length === 0) return [];
    const source = await reader.source();
    const since = new Date(Date.parse(`${(await reader.now()).replace(' ', 'T')}Z`) - days * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
    const orders: BookingOrder[] = [];
    for (let afterId = 0; ;) {
      const ids = await source.scanOrderIds({ productIds, afterId, limit: 500, modifiedSince: since });
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1] as number;
      const seen = await known(ids);
      const fresh = ids.filter((id) => !seen.has(id));
      if (fresh.length > 0) {
        const loaded = (await source.loadOrders(fresh, productIds)).filter((order) => PAID.has(order.status));
        const meta = await reader.itemMeta(
          loaded.flatMap((order) => order.items.map((item) => item.id)),
          BOOKING_KEYS,
        );
        const money = await reader.orderMoney(
          loaded.map((order) => order.id),
          DISCOUNT_META_KEY,
        );
        for (const order of loaded) {
          const parsed = parseBookingOrder(restShapeOf(order, meta, money.get(order.id)));
          if (parsed.kind === 'bookings') orders.push(parsed.order);
        }
      }
      if (ids.length < 500) break;
    }
    return orders;
  }
}
