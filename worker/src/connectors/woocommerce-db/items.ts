import type { RowDataPacket } from 'mysql2/promise';

import type { SqlReader, StoreInfo } from './client';
import {
  attendeeFromTicketPost,
  attendeesFromOrderMeta,
  itemMatches,
  lineItemFromMeta,
  metaMap,
  newestMetaByOwner,
  type ItemMetaKey,
  type NewestMeta,
  netOfRefunds,
  refundedFromMeta,
  type RefundedAmounts,
} from './mappers';
import { itemRowText, sqlItemRow, sqlRows, type FingerprintBook } from './fingerprint';
import { maybeUnserialize } from './serialize';
import type { SourceAttendee, SourceLineItem } from './types';

/** The line item meta a source order's items are read from (see lineItemFromMeta). */
const ITEM_KEYS = ['_product_id', '_variation_id', '_qty', '_line_subtotal', '_line_total', '_line_tax'] as const satisfies readonly ItemMetaKey[];
const TICKET_KEYS = [
  'WooCommerceEventsOrderID',
  'WooCommerceEventsProductID',
  'WooCommerceEventsVariationID',
  'WooCommerceEventsAttendeeName',
  'WooCommerceEventsAttendeeLastName',
  'WooCommerceEventsAttendeeEmail',
];

/** The `EXISTS` clause selecting orders (alias `o`, id column `idColumn`) with an item of the products. */
export function hasProductItemSql(reader: SqlReader, idColumn: string): string {
  return `EXISTS (SELECT 1 FROM \`${reader.prefix}woocommerce_order_items\` oi
      JOIN \`${reader.prefix}woocommerce_order_itemmeta\` im ON im.order_item_id = oi.order_item_id
     WHERE oi.order_id = ${idColumn} AND oi.order_item_type = 'line_item'
       AND im.meta_key IN ('_product_id', '_variation_id') AND im.meta_value IN (?))`;
}

/**
 * The line item meta rows an order's fingerprint covers, as one text (see fingerprint.ts): the rows
 * loadLineItems reads. Parameters: ITEM_KEYS twice.
 */
export function itemFingerprintSql(reader: SqlReader, orderIdColumn: string): string {
  return `SELECT ${sqlRows(sqlItemRow('FIELD(CAST(im.meta_key AS BINARY), ?)'), 'im.meta_id')}
      FROM \`${reader.prefix}woocommerce_order_items\` oi
      JOIN \`${reader.prefix}woocommerce_order_itemmeta\` im ON im.order_item_id = oi.order_item_id
     WHERE oi.order_id = ${orderIdColumn} AND oi.order_item_type = 'line_item' AND im.meta_key IN (?)`;
}

export const ITEM_FINGERPRINT_PARAMS = [ITEM_KEYS, ITEM_KEYS];

/**
 * Line items of the orders (same tables in both storage modes), only those of `productIds`. With a
 * fingerprint book, every row read goes into its order's fingerprint, and an order whose items have
 * refunds (rows the fingerprint does not cover) is excluded from it.
 */
export async function loadLineItems(
  reader: SqlReader,
  orderIds: number[],
  productIds: number[],
  book?: FingerprintBook,
): Promise<Map<number, SourceLineItem[]>> {
  const rows = await reader.rows<RowDataPacket>(
    // A million meta rows per 100k orders: each names its key by its 1-based place in ITEM_KEYS (compared byte for
    // byte, as PHP reads meta keys) and carries the item's name only on its `_product_id` row, sparing the worker a
    // string per row. Unsorted (a fifth less server work): the newest row by meta id wins below, items are sorted.
    `SELECT oi.order_item_id AS id, oi.order_id AS orderId, im.meta_id AS mid, FIELD(CAST(im.meta_key AS BINARY), ?) AS k, im.meta_value AS v,
            IF(CAST(im.meta_key AS BINARY) = '_product_id', oi.order_item_name, NULL) AS name
       FROM \`${reader.prefix}woocommerce_order_items\` oi
       JOIN \`${reader.prefix}woocommerce_order_itemmeta\` im ON im.order_item_id = oi.order_item_id
      WHERE oi.order_id IN (?) AND oi.order_item_type = 'line_item' AND im.meta_key IN (?)`,
    [ITEM_KEYS, orderIds, ITEM_KEYS],
    `${reader.prefix}woocommerce_order_items`,
  );
  const grouped = newestMetaByOwner(
    rows,
    ITEM_KEYS,
    (row): { id: number; orderId: number; name: string } & NewestMeta<ItemMetaKey> => ({
      id: Number(row.id),
      orderId: Number(row.orderId),
      name: '',
      meta: {},
      newest: {},
    }),
    (entry, row) => {
      if (row.name !== null) entry.name = String(row.name);
    },
  );
  const refunds = await loadRefunds(reader, [...grouped.keys()]);
  if (book) {
    book.items(rows, (row) => Number(row.orderId), itemRowText);
    for (const itemId of refunds.keys()) {
      const entry = grouped.get(itemId);
      if (entry) book.exclude(entry.orderId);
    }
  }
  const byOrder = new Map<number, SourceLineItem[]>();
  for (const entry of [...grouped.values()].sort((a, b) => a.id - b.id)) {
    const item = netOfRefunds(lineItemFromMeta(entry, entry.meta), refunds.get(entry.id));
    if (!itemMatches(item, productIds)) continue;
    const list = byOrder.get(item.orderId) ?? [];
    list.push(item);
    byOrder.set(item.orderId, list);
  }
  return byOrder;
}

/**
 * Refunded amounts per original line item. Refunds are orders of their own (either storage);
 * their line items point back with `_refunded_item_id`, which is the same in both modes.
 */
export async function loadRefunds(reader: SqlReader, itemIds: number[]): Promise<Map<number, RefundedAmounts>> {
  const refunded = new Map<number, RefundedAmounts>();
  if (itemIds.length === 0) return refunded;
  const rows = await reader.rows<RowDataPacket>(
    `SELECT r.meta_value AS refundedItemId, m.order_item_id AS refundItemId, m.meta_id AS mid, m.meta_key AS k, m.meta_value AS v
       FROM \`${reader.prefix}woocommerce_order_itemmeta\` r
       JOIN \`${reader.prefix}woocommerce_order_itemmeta\` m ON m.order_item_id = r.order_item_id AND m.meta_key IN ('_qty', '_line_total', '_line_tax')
      WHERE r.meta_key = '_refunded_item_id' AND r.meta_value IN (?)`,
    [itemIds.map(String)],
    `${reader.prefix}woocommerce_order_itemmeta`,
  );
  const lines = new Map<number, { original: number; meta: Array<{ k: string | null; v: string | null; mid: unknown }> }>();
  for (const row of rows) {
    const id = Number(row.refundItemId);
    const line = lines.get(id) ?? { original: Number(row.refundedItemId), meta: [] };
    line.meta.push({ k: row.k as string | null, v: row.v as string | null, mid: row.mid });
    lines.set(id, line);
  }
  const byOriginal = new Map<number, Array<Map<string, string>>>();
  for (const line of lines.values()) byOriginal.set(line.original, [...(byOriginal.get(line.original) ?? []), metaMap(line.meta)]);
  for (const [original, metas] of byOriginal) refunded.set(original, refundedFromMeta(metas));
  return refunded;
}

/**
 * Orders with a refunded line item, read once per run (the fingerprint does not cover refunds, so
 * these orders are always loaded). Matched by number, a superset of loadRefunds' text match.
 */
export async function loadRefundedOrderIds(reader: SqlReader): Promise<Set<number>> {
  const rows = await reader.rows<RowDataPacket>(
    `SELECT DISTINCT oi.order_id AS id
       FROM \`${reader.prefix}woocommerce_order_itemmeta\` r
       JOIN \`${reader.prefix}woocommerce_order_items\` oi ON oi.order_item_id = CAST(r.meta_value AS UNSIGNED)
      WHERE r.meta_key = '_refunded_item_id'`,
    [],
    `${reader.prefix}woocommerce_order_itemmeta`,
  );
  return new Set(rows.map((row) => Number(row.id)));
}

/**
 * Order id → FooEvents ticket post ids, read once per run. postmeta has no index on meta_value,
 * so looking tickets up by order id batch after batch would rescan every ticket each time.
 */
export type TicketPostIndex = Map<number, number[]>;

export async function buildTicketPostIndex(reader: SqlReader, info: StoreInfo): Promise<TicketPostIndex> {
  const index: TicketPostIndex = new Map();
  if (!info.hasTicketPosts) return index;
  const rows = await reader.rows<RowDataPacket>(
    `SELECT t.post_id AS id, t.meta_value AS orderId FROM \`${reader.prefix}postmeta\` t
       JOIN \`${reader.prefix}posts\` p ON p.ID = t.post_id AND p.post_type = 'event_magic_tickets' AND p.post_status <> 'trash'
      WHERE t.meta_key = 'WooCommerceEventsOrderID'`,
    [],
    `${reader.prefix}postmeta`,
  );
  for (const row of rows) {
    const orderId = Number(row.orderId);
    if (!Number.isSafeInteger(orderId)) continue;
    const list = index.get(orderId) ?? [];
    list.push(Number(row.id));
    index.set(orderId, list);
  }
  return index;
}

export interface TicketPostLoader {
  /** Ticket posts per order; the index of all ticket posts is built once, on the first large page (a run), not for a single live order. */
  load(orderIds: number[]): Promise<Map<number, SourceAttendee[]>>;
  /** The orders (of `orderIds`) with a ticket post, from the run's index. */
  ordersWithPosts(orderIds: number[]): Promise<Set<number>>;
}

/** Orders whose rows a fingerprint does not cover, found once per run: ticket posts and refunds. */
export function uncoveredOrders(reader: SqlReader, tickets: TicketPostLoader): (orderIds: number[]) => Promise<Set<number>> {
  let refunded: Promise<Set<number>> | undefined;
  return async (orderIds) => {
    refunded ??= loadRefundedOrderIds(reader);
    const [withPosts, withRefunds] = await Promise.all([tickets.ordersWithPosts(orderIds), refunded]);
    for (const id of orderIds) if (withRefunds.has(id)) withPosts.add(id);
    return withPosts;
  };
}

export function ticketPostLoader(reader: SqlReader, info: StoreInfo): TicketPostLoader {
  let index: Promise<TicketPostIndex> | undefined;
  const built = () => (index ??= buildTicketPostIndex(reader, info));
  return {
    load(orderIds) {
      if (orderIds.length > 20) built();
      return index ? index.then((ready) => loadTicketPosts(reader, info, orderIds, ready)) : loadTicketPosts(reader, info, orderIds);
    },
    async ordersWithPosts(orderIds) {
      const ready = await built();
      return new Set(orderIds.filter((id) => ready.has(id)));
    },
  };
}

/** FooEvents ticket posts of the orders, in post id order. Skipped when the store has none. */
export async function loadTicketPosts(reader: SqlReader, info: StoreInfo, orderIds: number[], index?: TicketPostIndex): Promise<Map<number, SourceAttendee[]>> {
  const byOrder = new Map<number, SourceAttendee[]>();
  if (!info.hasTicketPosts || orderIds.length === 0) return byOrder;
  const postIds = index ? orderIds.flatMap((id) => index.get(id) ?? []) : undefined;
  if (postIds && postIds.length === 0) return byOrder;
  const rows = await reader.rows<RowDataPacket>(
    postIds
      ? `SELECT pm.post_id AS id, pm.meta_key AS k, pm.meta_value AS v FROM \`${reader.prefix}postmeta\` pm
          WHERE pm.post_id IN (?) AND pm.meta_key IN (?) ORDER BY pm.post_id, pm.meta_id`
      : `SELECT pm.post_id AS id, pm.meta_key AS k, pm.meta_value AS v
           FROM \`${reader.prefix}postmeta\` pm
          WHERE pm.post_id IN (
                  SELECT t.post_id FROM \`${reader.prefix}postmeta\` t
                    JOIN \`${reader.prefix}posts\` p ON p.ID = t.post_id AND p.post_type = 'event_magic_tickets' AND p.post_status <> 'trash'
                   WHERE t.meta_key = 'WooCommerceEventsOrderID' AND t.meta_value IN (?))
            AND pm.meta_key IN (?)
          ORDER BY pm.post_id, pm.meta_id`,
    [postIds ?? orderIds.map(String), TICKET_KEYS],
    `${reader.prefix}postmeta`,
  );
  const posts = new Map<number, Array<{ k: string | null; v: string | null }>>();
  for (const row of rows) {
    const id = Number(row.id);
    const list = posts.get(id) ?? [];
    list.push({ k: row.k as string | null, v: row.v as string | null });
    posts.set(id, list);
  }
  for (const [postId, meta] of posts) {
    const map = metaMap(meta);
    const orderId = Number(map.get('WooCommerceEventsOrderID'));
    const attendee = attendeeFromTicketPost(postId, map);
    if (!attendee || !Number.isFinite(orderId)) continue;
    const list = byOrder.get(orderId) ?? [];
    list.push(attendee);
    byOrder.set(orderId, list);
  }
  return byOrder;
}

/** Ticket posts win; else FooEvents' serialized order meta; else none (billing is used). */
export function pickAttendees(posts: SourceAttendee[] | undefined, serializedOrderMeta: string | undefined): SourceAttendee[] {
  if (posts && posts.length > 0) return posts;
  return attendeesFromOrderMeta(serializedOrderMeta);
}

/** Products sold in at least one order item carrying the item meta `metaKey` (e.g. YITH's `yith_booking_data`). */
export async function productIdsWithItemMeta(reader: SqlReader, metaKey: string): Promise<number[]> {
  const p = reader.prefix;
  const rows = await reader.rows<RowDataPacket>(
    `SELECT DISTINCT CAST(pm.meta_value AS UNSIGNED) AS id
       FROM \`${p}woocommerce_order_itemmeta\` bm
       JOIN \`${p}woocommerce_order_itemmeta\` pm ON pm.order_item_id = bm.order_item_id AND pm.meta_key = '_product_id'
      WHERE bm.meta_key = ?`,
    [metaKey],
    `${p}woocommerce_order_itemmeta`,
  );
  return rows.map((row) => Number(row.id)).filter((id) => id > 0);
}

/** The item meta `keys` of some order items, PHP-unserialized, in the order WooCommerce wrote them. */
export async function loadItemMeta(reader: SqlReader, itemIds: number[], keys: string[]): Promise<Map<number, Array<{ key: string; value: unknown }>>> {
  const meta = new Map<number, Array<{ key: string; value: unknown }>>();
  if (itemIds.length === 0) return meta;
  const p = reader.prefix;
  const rows = await reader.rows<RowDataPacket>(
    `SELECT order_item_id AS id, meta_key AS k, meta_value AS v FROM \`${p}woocommerce_order_itemmeta\` WHERE order_item_id IN (?) AND meta_key IN (?) ORDER BY meta_id`,
    [itemIds, keys],
    `${p}woocommerce_order_itemmeta`,
  );
  for (const row of rows) {
    const list = meta.get(Number(row.id)) ?? [];
    list.push({ key: String(row.k), value: maybeUnserialize(row.v === null ? null : String(row.v)) });
    meta.set(Number(row.id), list);
  }
  return meta;
}
