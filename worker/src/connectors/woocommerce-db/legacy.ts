import type { RowDataPacket } from 'mysql2/promise';

import type { OrderSource, SqlReader, StoreInfo } from './client';
import { sqlLocalToIso, sqlUtcToIso, unixToIso } from './dates';
import { FingerprintBook, fieldText, fingerprintsOf, sqlField, sqlFingerprint, sqlRows } from './fingerprint';
import { hasProductItemSql, ITEM_FINGERPRINT_PARAMS, itemFingerprintSql, loadLineItems, pickAttendees, ticketPostLoader, uncoveredOrders } from './items';
import { orderIdReads } from './order-ids';
import { newestMetaByOwner, type NewestMeta } from './mappers';
import type { OrderScanOptions, SourceOrder } from './types';

const ORDER_KEYS = [
  '_order_currency',
  '_order_total',
  '_order_tax',
  '_billing_first_name',
  '_billing_last_name',
  '_billing_email',
  '_billing_phone',
  '_date_paid',
  '_paid_date',
  'WooCommerceEventsOrderTickets',
] as const;
type OrderKey = (typeof ORDER_KEYS)[number];

/** Legacy storage: orders are `shop_order` posts with their fields in postmeta. */
export function legacySource(reader: SqlReader, info: StoreInfo): OrderSource {
  const t = (name: string) => `\`${reader.prefix}${name}\``;
  const tickets = ticketPostLoader(reader, info);
  const uncovered = uncoveredOrders(reader, tickets);
  const filters = (options: Omit<OrderScanOptions, 'afterId' | 'limit'>, params: unknown[]): string => {
    const clauses = ["o.post_type = 'shop_order'", hasProductItemSql(reader, 'o.ID')];
    params.push(options.productIds.map(String));
    if (options.modifiedSince) {
      clauses.push('o.post_modified_gmt >= ?');
      params.push(options.modifiedSince);
    }
    return clauses.join(' AND ');
  };
  const idsAfter = (options: Omit<OrderScanOptions, 'limit'>, params: unknown[]): string => {
    params.push(options.afterId);
    return `SELECT o.ID AS id FROM ${t('posts')} o WHERE o.ID > ? AND ${filters(options, params)} ORDER BY o.ID`;
  };
  return {
    mode: 'legacy',
    ...orderIdReads(reader, `${reader.prefix}posts`, idsAfter),
    async countOrders(options, statuses) {
      const params: unknown[] = [];
      let where = filters(options, params);
      if (statuses) {
        where += ' AND o.post_status IN (?)';
        params.push(statuses);
      }
      const [row] = await reader.rows<RowDataPacket>(`SELECT COUNT(*) AS n FROM ${t('posts')} o WHERE ${where}`, params, `${reader.prefix}posts`);
      return Number(row?.n ?? 0);
    },
    async loadOrders(ids, productIds, fingerprintSeed) {
      if (ids.length === 0) return [];
      const book = fingerprintSeed === undefined ? undefined : new FingerprintBook(fingerprintSeed);
      const [posts, meta, items, ticketPosts] = await Promise.all([
        reader.rows<RowDataPacket>(
          `SELECT ID AS id, post_status AS status, post_date_gmt AS createdAt
             FROM ${t('posts')} WHERE ID IN (?) AND post_type = 'shop_order' ORDER BY ID`,
          [ids],
          `${reader.prefix}posts`,
        ),
        reader.rows<RowDataPacket>(
          // Ten rows per order: the key comes as its 1-based place in ORDER_KEYS (byte-exact, as PHP reads meta keys),
          // not as a string per row. Unsorted (a fifth less server work): the newest row by meta id wins below.
          `SELECT post_id AS id, meta_id AS mid, FIELD(CAST(meta_key AS BINARY), ?) AS k, meta_value AS v FROM ${t('postmeta')} WHERE post_id IN (?) AND meta_key IN (?)`,
          [ORDER_KEYS, ids, ORDER_KEYS],
          `${reader.prefix}postmeta`,
        ),
        loadLineItems(reader, ids, productIds, book),
        tickets.load(ids),
      ]);
      const metaByOrder = newestMetaByOwner(meta, ORDER_KEYS, (): NewestMeta<OrderKey> => ({ meta: {}, newest: {} }));
      if (book) {
        book.orderMeta(
          meta,
          (row) => Number(row.id),
          (row) => `${String(row.mid)},${String(row.k)},${fieldText(row.v)}`,
        );
        for (const id of ticketPosts.keys()) book.exclude(id);
      }
      return posts.map((row): SourceOrder => {
        const id = Number(row.id);
        const m = metaByOrder.get(id)?.meta ?? {};
        return {
          id,
          status: String(row.status ?? ''),
          currency: m._order_currency ?? '',
          total: m._order_total || '0',
          tax: m._order_tax || '0',
          createdAt: sqlUtcToIso(row.createdAt as string | null),
          // WooCommerce reads `_date_paid` (Unix, UTC) first, then the local-time `_paid_date`.
          paidAt: unixToIso(m._date_paid) ?? sqlLocalToIso(m._paid_date, info.timezone),
          billing: {
            firstName: m._billing_first_name ?? '',
            lastName: m._billing_last_name ?? '',
            email: m._billing_email ?? '',
            phone: m._billing_phone ?? '',
          },
          items: items.get(id) ?? [],
          attendees: pickAttendees(ticketPosts.get(id), m.WooCommerceEventsOrderTickets),
          ...(book && { fingerprint: book.digest(id, [row.status, row.createdAt]) }),
        };
      });
    },
    async fingerprintOrders(ids, fingerprintSeed) {
      if (ids.length === 0) return new Map();
      const [rows, skip] = await Promise.all([
        reader.rows<RowDataPacket>(
          `SELECT o.ID AS id, ${sqlFingerprint(
            ['o.post_status', 'o.post_date_gmt'],
            itemFingerprintSql(reader, 'o.ID'),
            `SELECT ${sqlRows(`CONCAT(pm.meta_id, ',', FIELD(CAST(pm.meta_key AS BINARY), ?), ',', ${sqlField('pm.meta_value')})`, 'pm.meta_id')}
               FROM ${t('postmeta')} pm WHERE pm.post_id = o.ID AND pm.meta_key IN (?)`,
          )} AS fp
             FROM ${t('posts')} o
            WHERE o.ID IN (?) AND o.post_type = 'shop_order'`,
          [fingerprintSeed, ...ITEM_FINGERPRINT_PARAMS, ORDER_KEYS, ORDER_KEYS, ids],
          `${reader.prefix}posts`,
        ),
        uncovered(ids),
      ]);
      return fingerprintsOf(rows, skip);
    },
  };
}
