import type { DriftItem } from '../core/drift/types';
import type { BookingOrder } from './orders/parse';
import { plannedLines } from './odoo/plan';

export interface LinkView {
  orderId: number;
  saleOrderId: number;
  saleOrderName: string | null;
}

export interface OdooOrderView {
  id: number;
  name: string;
  state: string;
  amountUntaxed: number;
  amountTotal: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The Odoo amount an order should have, and which one: WooCommerce's total when the order carries
 * it (compared with Odoo's `amount_total`), else what the lines Sync Hub writes add up to
 * (with tax when prices include it, so against `amount_total`, else against `amount_untaxed`).
 * Null when Sync Hub cannot map the order (a compound tax). Pure.
 */
export function expectedAmount(order: BookingOrder): { amount: number; field: 'total' | 'untaxed' } | null {
  if (order.total !== null) return { amount: round2(order.total), field: 'total' };
  try {
    const lines = plannedLines(order, 'en');
    return {
      amount: round2(lines.reduce((sum, line) => sum + line.quantity * line.priceUnit * (1 - line.discount / 100), 0)),
      field: order.pricesIncludeTax ? 'total' : 'untaxed',
    };
  } catch {
    return null;
  }
}

/**
 * Paid booking orders against their Odoo sale orders. Pure.
 * - `not_in_odoo`: paid, never linked to a sale order;
 * - `sale_order_missing`: linked, but the sale order is gone from Odoo (deleted);
 * - `cancelled_in_odoo`: the sale order was cancelled in Odoo;
 * - `total_differs`: Odoo's total is not WooCommerce's (expectedAmount; more than one cent per
 *   line apart, Odoo rounding taxes per line).
 * The first two are re-synced (a new sale order); the last two need a person in Odoo.
 */
export function compareBookings(orders: readonly BookingOrder[], links: ReadonlyMap<number, LinkView>, odoo: ReadonlyMap<number, OdooOrderView>): DriftItem[] {
  const items: DriftItem[] = [];
  for (const order of orders) {
    const id = String(order.id);
    const link = links.get(order.id);
    if (!link) {
      items.push({ id, kind: 'not_in_odoo', detail: { number: order.number }, resyncable: true });
      continue;
    }
    const sale = odoo.get(link.saleOrderId);
    if (!sale) {
      items.push({
        id,
        kind: 'sale_order_missing',
        detail: { number: order.number, sale_order: link.saleOrderName ?? String(link.saleOrderId) },
        resyncable: true,
      });
      continue;
    }
    if (sale.state === 'cancel') {
      items.push({ id, kind: 'cancelled_in_odoo', detail: { number: order.number, sale_order: sale.name }, resyncable: false });
      continue;
    }
    const expected = expectedAmount(order);
    if (!expected) continue;
    const odooAmount = expected.field === 'total' ? sale.amountTotal : sale.amountUntaxed;
    if (Math.abs(expected.amount - odooAmount) > 0.01 * Math.max(1, order.slots.length + order.fees.length) + 1e-9) {
      items.push({
        id,
        kind: 'total_differs',
        detail: { number: order.number, sale_order: sale.name, woocommerce_total: expected.amount, odoo_total: round2(odooAmount) },
        resyncable: false,
      });
    }
  }
  return items;
}
