import { UnrecoverableError } from 'bullmq';

import type { BookingOrder, BookingSlot } from './order';

export interface DiscountRule {
  enabled: boolean;
  /** Persons or classes in the order at which the discount starts. */
  threshold: number;
  percent: number;
}

/**
 * The volume discount of an order: what the cart applied when the plugin recorded it, else the
 * rule (≥ threshold persons, or ≥ threshold classes → percent).
 */
export function discountPercent(order: Pick<BookingOrder, 'slots' | 'discountPercent'>, rule: DiscountRule): number {
  if (order.discountPercent !== null) return Math.min(100, Math.max(0, order.discountPercent));
  if (!rule.enabled || rule.percent <= 0) return 0;
  const persons = order.slots.reduce((sum, slot) => sum + slot.persons * slot.quantity, 0);
  const classes = order.slots.reduce((sum, slot) => sum + slot.quantity, 0);
  return persons >= rule.threshold || classes >= rule.threshold ? rule.percent : 0;
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
export class MissingEmailError extends UnrecoverableError {
  constructor(order: Pick<BookingOrder, 'id' | 'number'>) {
    super(`Order #${order.number} has no customer email (billing.email); Odoo customers are matched by email, so it cannot be synced until the order has one.`);
    this.name = 'UnrecoverableError';
  }
}
