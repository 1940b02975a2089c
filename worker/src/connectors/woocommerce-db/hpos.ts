import type { RowDataPacket } from 'mysql2/promise';

import type { OrderSource, SqlReader, StoreInfo } from './client';
import { sqlUtcToIso } from './dates';
import { FingerprintBook, fieldText, fingerprintsOf, sqlField, sqlFingerprint, sqlRows } from './fingerprint';
import { hasProductItemSql, ITEM_FINGERPRINT_PARAMS, itemFingerprintSql, loadLineItems, pickAttendees, ticketPostLoader, uncoveredOrders } from './items';
import { orderIdReads } from './order-ids';
import type { OrderScanOptions, SourceOrder } from './types';

/** The header of an order (alias → column), in the order its fingerprint lists them. */
const HEADER_COLUMNS = {
  status: 'o.status',
  currency: 'o.currency',
  total: 'o.total_amount',
  tax: 'o.tax_amount',
  orderEmail: 'o.billing_email',
  createdAt: 'o.date_created_gmt',
  paidAt: 'od.date_paid_gmt',
  firstName: 'a.first_name',
  lastName: 'a.last_name',
  email: 'a.email',
  phone: 'a.phone',
} as const;
const HEADER_FIELDS = Object.keys(HEADER_COLUMNS) as Array<keyof typeof HEADER_COLUMNS>;
const HEADER_JOINS = (t: (name: string) => string) =>
  `LEFT JOIN ${t('wc_order_operational_data')} od ON od.order_id = o.id
   LEFT JOIN ${t('wc_order_addresses')} a ON a.order_id = o.id AND a.address_type = 'billing'`;

/**
 * HPOS storage: `wc_orders` and friends are authoritative. The `shop_order_placehold` rows in
 * posts only reserve ids and are never read.
 */
export function hposSource(reader: SqlReader, info: StoreInfo): OrderSource {
  const t = (name: string) => `\`${reader.prefix}${name}\``;
  const tickets = ticketPostLoader(reader, info);
  const uncovered = uncoveredOrders(reader, tickets);
  const filters = (options: Omit<OrderScanOptions, 'afterId' | 'limit'>, params: unknown[]): string => {
    const clauses = ["o.type = 'shop_order'", hasProductItemSql(reader, 'o.id')];
    params.push(options.productIds.map(String));
    if (options.modifiedSince) {
      clauses.push('o.date_updated_gmt >= ?');
      params.push(options.modifiedSince);
    }
    return clauses.join(' AND ');
  };
  const idsAfter = (options: Omit<OrderScanOptions, 'limit'>, params: unknown[]): string => {
    params.push(options.afterId);
    return `SELECT o.id FROM ${t('wc_orders')} o WHERE o.id > ? AND ${filters(options, params)} ORDER BY o.id`;
  };
  return {
    mode: 'hpos',
    ...orderIdReads(reader, `${reader.prefix}wc_orders`, idsAfter),
    async countOrders(options, statuses) {
      const params: unknown[] = [];
      let where = filters(options, params);
      if (statuses) {
        where += ' AND o.status IN (?)';
        params.push(statuses);
      }
      const [row] = await reader.rows<RowDataPacket>(`SELECT COUNT(*) AS n FROM ${t('wc_orders')} o WHERE ${where}`, params, `${reader.prefix}wc_orders`);
      return Number(row?.n ?? 0);
    },
    async loadOrders(ids, productIds, fingerprintSeed) {
      if (ids.length === 0) return [];
      const book = fingerprintSeed === undefined ? undefined : new FingerprintBook(fingerprintSeed);
      const [headers, items, posts, meta] = await Promise.all([
        reader.rows<RowDataPacket>(
          `SELECT o.id, ${HEADER_FIELDS.map((field) => `${HEADER_COLUMNS[field]} AS ${field}`).join(', ')}
             FROM ${t('wc_orders')} o ${HEADER_JOINS(t)}
            WHERE o.id IN (?) AND o.type = 'shop_order'
            ORDER BY o.id`,
          [ids],
          `${reader.prefix}wc_orders`,
        ),
        loadLineItems(reader, ids, productIds, book),
        tickets.load(ids),
        reader.rows<RowDataPacket>(
          // The newest row wins, as in legacy storage.
          `SELECT order_id AS id, id AS mid, meta_value AS v FROM ${t('wc_orders_meta')} WHERE order_id IN (?) AND meta_key = 'WooCommerceEventsOrderTickets' ORDER BY order_id, id`,
          [ids],
          `${reader.prefix}wc_orders_meta`,
        ),
      ]);
      const serialized = new Map(meta.map((row) => [Number(row.id), String(row.v)]));
      if (book) {
        book.orderMeta(
          meta,
          (row) => Number(row.id),
          (row) => `${String(row.mid)},${fieldText(row.v)}`,
        );
        for (const id of posts.keys()) book.exclude(id);
      }
      return headers.map((row): SourceOrder => {
        const id = Number(row.id);
        return {
          id,
          status: String(row.status ?? ''),
          currency: String(row.currency ?? ''),
          total: String(row.total ?? '0'),
          tax: String(row.tax ?? '0'),
          createdAt: sqlUtcToIso(row.createdAt as string | null),
          paidAt: sqlUtcToIso(row.paidAt as string | null),
          billing: {
            firstName: String(row.firstName ?? ''),
            lastName: String(row.lastName ?? ''),
            email: String(row.email ?? row.orderEmail ?? ''),
            phone: String(row.phone ?? ''),
          },
          items: items.get(id) ?? [],
          attendees: pickAttendees(posts.get(id), serialized.get(id)),
          ...(book && {
            fingerprint: book.digest(
              id,
              HEADER_FIELDS.map((field) => row[field]),
            ),
          }),
        };
      });
    },
    async fingerprintOrders(ids, fingerprintSeed) {
      if (ids.length === 0) return new Map();
      const [rows, skip] = await Promise.all([
        reader.rows<RowDataPacket>(
          `SELECT o.id, ${sqlFingerprint(
            HEADER_FIELDS.map((field) => HEADER_COLUMNS[field]),
            itemFingerprintSql(reader, 'o.id'),
            `SELECT ${sqlRows(`CONCAT(m.id, ',', ${sqlField('m.meta_value')})`, 'm.id')} FROM ${t('wc_orders_meta')} m
              WHERE m.order_id = o.id AND m.meta_key = 'WooCommerceEventsOrderTickets'`,
          )} AS fp
             FROM ${t('wc_orders')} o ${HEADER_JOINS(t)}
            WHERE o.id IN (?) AND o.type = 'shop_order'`,
          [fingerprintSeed, ...ITEM_FINGERPRINT_PARAMS, ids],
          `${reader.prefix}wc_orders`,
        ),
        uncovered(ids),
      ]);
      return fingerprintsOf(rows, skip);
    },
  };
}
