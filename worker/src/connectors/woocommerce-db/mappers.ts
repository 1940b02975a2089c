import { z } from 'zod';

import { maybeUnserialize } from './serialize';
import type { SourceAttendee, SourceLineItem } from './types';

/**
 * Meta rows as a map; when a key repeats, the newest row (highest meta id) wins, as WordPress's
 * single-value getters read it. Rows carrying their meta id (`mid`) may come in any order, which
 * spares the server a sort; rows without one must come in meta id order.
 */
export function metaMap(rows: Array<{ k: string | null; v: string | null; mid?: unknown }>): Map<string, string> {
  const map = new Map<string, string>();
  let newest: Map<string, number> | undefined;
  for (const row of rows) {
    if (row.k === null) continue;
    if (row.mid !== undefined) {
      const mid = Number(row.mid);
      newest ??= new Map();
      if ((newest.get(row.k) ?? -1) > mid) continue;
      newest.set(row.k, mid);
    }
    map.set(row.k, row.v ?? '');
  }
  return map;
}

const decimal = (value: string | undefined): string => {
  const text = (value ?? '').trim();
  return /^-?\d+(\.\d+)?$/.test(text) ? text : '0';
};
const integer = (value: string | undefined): number => {
  const parsed = Number.parseInt((value ?? '').trim(), 10);
  return Number.isFinite(parsed) ? parsed : 0;
};

/** Meta read by key place (SQL `FIELD`) into a record, with the meta id that set each key. */
export interface NewestMeta<K extends string> {
  meta: Partial<Record<K, string>>;
  newest: Partial<Record<K, number>>;
}

/** Sets `key` unless a newer row (higher meta id) already did: WordPress's single-value getters read the newest. */
function keepNewest<K extends string>(into: NewestMeta<K>, key: K, mid: number, value: string | null): void {
  if ((into.newest[key] ?? -1) > mid) return;
  into.newest[key] = mid;
  into.meta[key] = value ?? '';
}

/**
 * Meta rows of several owners → one record per owner (`id`), made by `create` from its first row.
 * Each row names its key by its 1-based place in `keys` (`k`, as SQL `FIELD` gives it; 0 = none of
 * them) and carries its meta id (`mid`), so the rows may come in any order. `each` sees every row.
 */
export function newestMetaByOwner<K extends string, E extends NewestMeta<K>>(
  rows: ReadonlyArray<{ [column: string]: unknown }>,
  keys: readonly K[],
  create: (row: { [column: string]: unknown }) => E,
  each?: (entry: E, row: { [column: string]: unknown }) => void,
): Map<number, E> {
  const owners = new Map<number, E>();
  for (const row of rows) {
    const key = keys[Number(row.k) - 1];
    if (key === undefined) continue;
    const id = Number(row.id);
    let entry = owners.get(id);
    if (!entry) {
      entry = create(row);
      owners.set(id, entry);
    }
    each?.(entry, row);
    keepNewest(entry, key, Number(row.mid), row.v as string | null);
  }
  return owners;
}

/** The line item meta keys an item's fields come from (WooCommerce's own names). */
export type ItemMetaKey = '_product_id' | '_variation_id' | '_qty' | '_line_subtotal' | '_line_total' | '_line_tax';
export type ItemMeta = Partial<Record<ItemMetaKey, string>>;

/** One `line_item` from its row and its meta. */
export function lineItemFromMeta(row: { id: number; orderId: number; name: string }, meta: ItemMeta): SourceLineItem {
  return {
    id: row.id,
    orderId: row.orderId,
    name: row.name,
    productId: integer(meta._product_id),
    variationId: integer(meta._variation_id),
    quantity: Math.max(0, integer(meta._qty)),
    subtotal: decimal(meta._line_subtotal),
    total: decimal(meta._line_total),
    tax: decimal(meta._line_tax),
  };
}

/** What refunds took back from one line item: WooCommerce stores them as negative lines of refund orders. */
export interface RefundedAmounts {
  quantity: number;
  total: string;
  tax: string;
}

const addDecimal = (a: string, b: string): string => {
  const places = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const scale = 10 ** places;
  const sum = (Math.round(Number(a) * scale) + Math.round(Number(b) * scale)) / scale;
  return (Math.abs(sum) < 1 / (2 * scale) ? 0 : sum).toFixed(places);
};

const negative = (value: string): string => (value.startsWith('-') ? value : `-${value}`);

/** Refund lines' meta (`_qty`, `_line_total`, `_line_tax`, all negative) → amounts refunded, summed. Pure. */
export function refundedFromMeta(metas: Array<Map<string, string>>): RefundedAmounts {
  return metas.reduce<RefundedAmounts>(
    (sum, meta) => ({
      quantity: sum.quantity + Math.abs(integer(meta.get('_qty'))),
      total: addDecimal(sum.total, decimal(meta.get('_line_total'))),
      tax: addDecimal(sum.tax, decimal(meta.get('_line_tax'))),
    }),
    { quantity: 0, total: '0', tax: '0' },
  );
}

/**
 * A line item net of its refunds. A partial refund leaves the order `processing`: only its
 * refund lines (quantity and totals below zero) say that fewer tickets stand. Pure.
 */
export function netOfRefunds(item: SourceLineItem, refunded: RefundedAmounts | undefined): SourceLineItem {
  if (!refunded) return item;
  return {
    ...item,
    quantity: Math.max(0, item.quantity - refunded.quantity),
    total: addDecimal(item.total, negative(refunded.total)),
    tax: addDecimal(item.tax, negative(refunded.tax)),
  };
}

/** Whether a line item is for the configured product or one of its variations. */
export const itemMatches = (item: Pick<SourceLineItem, 'productId' | 'variationId'>, productIds: readonly number[]): boolean =>
  productIds.includes(item.productId) || (item.variationId > 0 && productIds.includes(item.variationId));

/** A FooEvents ticket post's meta → attendee; null when it names no order product. */
export function attendeeFromTicketPost(postId: number, meta: Map<string, string>): SourceAttendee | null {
  const productId = integer(meta.get('WooCommerceEventsProductID'));
  if (productId <= 0) return null;
  return {
    ticketPostId: postId,
    productId,
    variationId: integer(meta.get('WooCommerceEventsVariationID')),
    firstName: (meta.get('WooCommerceEventsAttendeeName') ?? '').trim(),
    lastName: (meta.get('WooCommerceEventsAttendeeLastName') ?? '').trim(),
    email: (meta.get('WooCommerceEventsAttendeeEmail') ?? '').trim(),
  };
}

const scalar = z.union([z.string(), z.number()]).transform((value) => String(value));
const serializedTicket = z
  .object({
    WooCommerceEventsProductID: scalar,
    WooCommerceEventsVariationID: scalar.optional(),
    WooCommerceEventsAttendeeName: scalar.optional(),
    WooCommerceEventsAttendeeLastName: scalar.optional(),
    WooCommerceEventsAttendeeEmail: scalar.optional(),
  })
  .passthrough();

/**
 * FooEvents' order meta `WooCommerceEventsOrderTickets`: a PHP-serialized array of per-product
 * arrays of tickets. Used when the ticket posts were not generated yet. Unknown shapes → [].
 */
export function attendeesFromOrderMeta(serialized: string | undefined): SourceAttendee[] {
  if (!serialized) return [];
  const parsed = maybeUnserialize(serialized);
  if (typeof parsed !== 'object' || parsed === null) return [];
  const attendees: SourceAttendee[] = [];
  for (const group of Object.values(parsed as Record<string, unknown>)) {
    if (typeof group !== 'object' || group === null) continue;
    for (const ticket of Object.values(group as Record<string, unknown>)) {
      const result = serializedTicket.safeParse(ticket);
      if (!result.success) continue;
      const data = result.data;
      attendees.push({
        ticketPostId: null,
        productId: integer(data.WooCommerceEventsProductID),
        variationId: integer(data.WooCommerceEventsVariationID),
        firstName: (data.WooCommerceEventsAttendeeName ?? '').trim(),
        lastName: (data.WooCommerceEventsAttendeeLastName ?? '').trim(),
        email: (data.WooCommerceEventsAttendeeEmail ?? '').trim(),
      });
    }
  }
  return attendees;
}
