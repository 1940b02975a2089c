import { PermanentFailure } from '../core/failures';

import type { BookingOrder, BookingSlot } from './orders/parse';

/**
 * The volume discount of an order: the one the customer was charged, as it travelled with the
 * order (the cart's decision in order meta `synchub_volume_discount`, else the order's own
 * discount fee lines). Never recomputed here: the cart's rule lives in wp-admin, and an order that
 * carries no discount was charged none.
 */
export function discountPercent(order: Pick<BookingOrder, 'discountPercent'>): number {
  return order.discountPercent === null ? 0 : Math.min(100, Math.max(0, order.discountPercent));
}

/**
 * The percent a set of fee lines took off the booked classes: the negative fees against the
 * classes' subtotal, to two decimals (Odoo's discount precision).
 */
export function discountFromFees(fees: ReadonlyArray<{ total: number }>, slots: ReadonlyArray<Pick<BookingSlot, 'unitPrice' | 'quantity'>>): number {
  const off = fees.reduce((sum, fee) => sum + Math.max(0, -fee.total), 0);
  const subtotal = slots.reduce((sum, slot) => sum + slot.unitPrice * slot.quantity, 0);
  if (off <= 0 || subtotal <= 0) return 0;
  return Math.min(100, Math.round((off / subtotal) * 10_000) / 100);
}

export type Locale = 'en' | 'es' | 'fa';

/** "{Class} - {YYYY-MM-DD HH:MM} ({N} persons)", in the worker's locale. */
const PERSONS: Record<Locale, (count: number) => string> = {
  en: (count) => (count === 1 ? '1 person' : `${count} persons`),
  es: (count) => (count === 1 ? '1 persona' : `${count} personas`),
  fa: (count) => `${count} نفر`,
};

export function serviceProductName(slot: Pick<BookingSlot, 'className' | 'start' | 'persons'>, locale: Locale = 'en'): string {
  return `${slot.className} - ${slot.start} (${PERSONS[locale](slot.persons)})`;
}

/** Stable Internal Reference of the slot's product: found before it is ever created again. */
export function serviceProductCode(slot: Pick<BookingSlot, 'productId' | 'start' | 'persons'>): string {
  return `WCB-${slot.productId}-${slot.start.replace(/\D/g, '').slice(0, 12)}-P${slot.persons}`;
}

/** The idempotency key of the sale order in Odoo. */
export const clientOrderRef = (order: Pick<BookingOrder, 'number'>): string => `WC-${order.number}`;
export const originFor = (order: Pick<BookingOrder, 'number'>): string => `WooCommerce #${order.number}`;

/** No email → no way to find or create the customer: a dead letter with a clear reason. */
export class MissingEmailError extends PermanentFailure {
  constructor(order: Pick<BookingOrder, 'id' | 'number'>) {
    super(`Order #${order.number} has no customer email (billing.email); Odoo customers are matched by email, so it cannot be synced until the order has one.`);
  }
}

/**
 * The wait before the next try after `failures` transient failures (Odoo down, timeouts, 5xx):
 * exponential from `baseMs`, capped at `maxMs` (an hour by default), so an outage of hours is
 * ridden out without a human and without hammering Odoo.
 */
export function transientRetryDelay(failures: number, baseMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(0, failures), 40);
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
