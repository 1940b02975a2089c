import type { DriftItem } from '../core/drift/types';
import type { BookingOrder } from './order';
import { discountPercent } from './rules';

export interface LinkView {
  orderId: number;
  saleOrderId: number;
  saleOrderName: string | null;
}

export interface OdooOrderView {
  id: number;
  name: string;
  state: string;
  /** Odoo's untaxed amount: what the lines Sync Hub wrote add up to, before Odoo's own taxes. */
  amountUntaxed: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** What the order's lines add up to in Odoo: unit price × quantity less the cart discount, untaxed. Pure. */
export function expectedUntaxed(order: Pick<BookingOrder, 'slots' | 'discountPercent'>): number {
  const discount = discountPercent(order);
  return round2(order.slots.reduce((sum, slot) => sum + slot.quantity * slot.unitPrice * (1 - discount / 100), 0));
}

/**
 * Paid booking orders against their Odoo sale orders. Pure.
 * - `not_in_odoo`: paid, never linked to a sale order;
 * - `sale_order_missing`: linked, but the sale order is gone from Odoo (deleted);
 * - `cancelled_in_odoo`: the sale order was cancelled in Odoo;
 * - `total_differs`: Odoo's untaxed amount is not what the WooCommerce order's lines add up to
 *   (more than one cent per line apart).
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
      items.push({ id, kind: 'sale_order_missing', detail: { number: order.number, sale_order: link.saleOrderName ?? String(link.saleOrderId) }, resyncable: true });
      continue;
    }
    if (sale.state === 'cancel') {
      items.push({ id, kind: 'cancelled_in_odoo', detail: { number: order.number, sale_order: sale.name }, resyncable: false });
      continue;
    }
    const expected = expectedUntaxed(order);
    if (Math.abs(expected - sale.amountUntaxed) > 0.01 * Math.max(1, order.slots.length) + 1e-9) {
      items.push({ id, kind: 'total_differs', detail: { number: order.number, sale_order: sale.name, woocommerce_total: expected, odoo_total: round2(sale.amountUntaxed) }, resyncable: false });
    }
  }
  return items;
}
