import { hash } from 'node:crypto';

import type { SourceAttendee, SourceLineItem, SourceOrder } from '../connectors/woocommerce-db/types';
import { fromCents, percentOf, splitCents, toBasisPoints, toCents } from './sync/money';

export const DEFAULT_PAID_STATUSES = ['wc-completed', 'wc-processing'];
export const DEFAULT_TIER_TEMPLATE = 'Tickets {EventName} (Migrated from WooCommerce)';

/** The default tier name template per locale (the original migration named its tiers in Spanish). */
export const DEFAULT_TIER_TEMPLATES: Record<'en' | 'es' | 'fa', string> = {
  en: DEFAULT_TIER_TEMPLATE,
  es: 'Tickets {EventName} (Migrados WooCommerce)',
  fa: 'بلیت‌های {EventName} (منتقل‌شده از WooCommerce)',
};

export interface MappingRules {
  paidStatuses: readonly string[];
  serviceFeePercentage: string | number;
}

export interface DesiredTicket {
  itemId: number;
  sequence: number;
  productId: number;
  variationId: number;
  attendeeName: string;
  attendeeEmail: string;
  price: string;
  serviceFee: string;
  issuedAt: string | null;
}

export interface DesiredOrder {
  wooOrderId: number;
  status: 'active' | 'void';
  sourceStatus: string;
  currency: string;
  subtotal: string;
  tax: string;
  serviceFee: string;
  total: string;
  buyerName: string;
  buyerEmail: string;
  orderedAt: string | null;
  paidAt: string | null;
  tickets: DesiredTicket[];
  hash: string;
  /** The source fingerprint the order was read with (undefined: the read took none; null: it has none). */
  sourceFingerprint?: string | null;
}

/** WooCommerce stores statuses with the `wc-` prefix; configurations may name them either way. */
export const normalizeStatus = (status: string): string => {
  const trimmed = status.trim().toLowerCase();
  return trimmed.startsWith('wc-') || trimmed === 'trash' ? trimmed : `wc-${trimmed}`;
};

export const isPaid = (status: string, paidStatuses: readonly string[]): boolean => paidStatuses.map(normalizeStatus).includes(normalizeStatus(status));

const fullName = (first: string, last: string): string => [first.trim(), last.trim()].filter(Boolean).join(' ');

/**
 * Attendees for each unit of each item: the ticket plugin's attendees for the same product and
 * variation, taken in order; billing name and email for any unit without one.
 */
export function assignAttendees(
  items: SourceLineItem[],
  attendees: SourceAttendee[],
  billing: SourceOrder['billing'],
): Map<string, { name: string; email: string }> {
  const pools = new Map<string, SourceAttendee[]>();
  for (const attendee of attendees) {
    const key = `${attendee.productId}:${attendee.variationId}`;
    pools.set(key, [...(pools.get(key) ?? []), attendee]);
  }
  const taken = new Map<string, number>();
  const result = new Map<string, { name: string; email: string }>();
  const buyer = { name: fullName(billing.firstName, billing.lastName), email: billing.email.trim() };
  for (const item of [...items].sort((a, b) => a.id - b.id)) {
    const key = `${item.productId}:${item.variationId}`;
    const pool = pools.get(key) ?? [];
    for (let sequence = 1; sequence <= item.quantity; sequence += 1) {
      const index = taken.get(key) ?? 0;
      const attendee = pool[index];
      taken.set(key, index + 1);
      const name = attendee ? fullName(attendee.firstName, attendee.lastName) : '';
      const email = attendee?.email ?? '';
      result.set(`${item.id}:${sequence}`, { name: name || buyer.name, email: email || buyer.email });
    }
  }
  return result;
}

/**
 * The store state one WooCommerce order must produce. Paid → active with one ticket per unit;
 * anything else → void (a known order is voided, an unknown one skipped by the caller).
 */
export function mapOrder(order: SourceOrder, rules: MappingRules): DesiredOrder {
  const active = isPaid(order.status, rules.paidStatuses);
  const basisPoints = toBasisPoints(rules.serviceFeePercentage);
  const buyer = { name: fullName(order.billing.firstName, order.billing.lastName), email: order.billing.email.trim() };
  // Most orders name no attendee: every ticket is then the buyer's, with no lookup per ticket.
  const attendees = order.attendees.length > 0 ? assignAttendees(order.items, order.attendees, order.billing) : undefined;
  const issuedAt = order.paidAt ?? order.createdAt;
  const tickets: DesiredTicket[] = [];
  let subtotal = 0;
  let tax = 0;
  let fee = 0;
  for (const item of [...order.items].sort((a, b) => a.id - b.id)) {
    if (item.quantity <= 0) continue;
    const lineCents = toCents(item.total);
    const lineFee = percentOf(lineCents, basisPoints);
    subtotal += lineCents;
    tax += toCents(item.tax);
    fee += lineFee;
    const prices = splitCents(lineCents, item.quantity);
    const fees = splitCents(lineFee, item.quantity);
    for (let sequence = 1; sequence <= item.quantity; sequence += 1) {
      const attendee = attendees ? (attendees.get(`${item.id}:${sequence}`) ?? { name: '', email: '' }) : buyer;
      tickets.push({
        itemId: item.id,
        sequence,
        productId: item.productId,
        variationId: item.variationId,
        attendeeName: attendee.name,
        attendeeEmail: attendee.email,
        price: fromCents(prices[sequence - 1] ?? 0),
        serviceFee: fromCents(fees[sequence - 1] ?? 0),
        issuedAt,
      });
    }
  }
  const body = {
    wooOrderId: order.id,
    status: active ? ('active' as const) : ('void' as const),
    sourceStatus: order.status,
    currency: order.currency,
    subtotal: fromCents(subtotal),
    tax: fromCents(tax),
    serviceFee: fromCents(fee),
    total: fromCents(subtotal + tax + fee),
    buyerName: buyer.name,
    buyerEmail: buyer.email,
    orderedAt: order.createdAt,
    paidAt: order.paidAt,
    tickets,
  };
  return { ...body, hash: hash('sha256', JSON.stringify(body)) };
}

/**
 * Bump when reading or mapping an order changes (the connector's loaders, mapOrder): fingerprints
 * stored under the old version then match nothing, and the next re-scan reloads every order.
 * test/worker/events/rules.test.ts fails when mapOrder's output moves without a bump.
 */
export const ORDER_MAPPING_VERSION = 1;

/**
 * What a source fingerprint is taken under besides the order's rows: the mapping version, the
 * rules, the products read and the store's time zone (legacy paid dates are local).
 */
export function fingerprintSeed(rules: MappingRules, productIds: readonly number[], storeTimezone: string): string {
  return hash(
    'sha256',
    JSON.stringify({
      version: ORDER_MAPPING_VERSION,
      paid: [...new Set(rules.paidStatuses.map(normalizeStatus))].sort(),
      feeBasisPoints: toBasisPoints(rules.serviceFeePercentage),
      products: [...new Set(productIds)].sort((a, b) => a - b),
      timezone: storeTimezone,
    }),
  );
}

/** Tier name from the configuration's template; variations get their own name appended unless the template places it. */
export function tierName(template: string, eventName: string, productName: string, isVariation: boolean): string {
  // `{Event}` is the original migration's placeholder; `{EventName}` ours.
  const base = (template.trim() || DEFAULT_TIER_TEMPLATE)
    .replaceAll('{EventName}', eventName)
    .replaceAll('{Event}', eventName)
    .replaceAll('{ProductName}', productName);
  return isVariation && !template.includes('{ProductName}') ? `${base} — ${productName}` : base;
}

/** `"HH:MM:SS"` (hours may exceed 24). */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return [hours, minutes, seconds].map((part) => String(part).padStart(2, '0')).join(':');
}

/** Whether a new ticket sends its attendee an email. */
export const notifiesAttendees = (options: { migrationMode: boolean; configurationIsMigration: boolean }): boolean =>
  !options.migrationMode && !options.configurationIsMigration;
