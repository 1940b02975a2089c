import type { RowDataPacket } from 'mysql2/promise';

import type { OrderSource, SqlReader, StoreInfo } from './client';
import { sqlUtcToIso } from './dates';
import { hasProductItemSql, loadLineItems, pickAttendees, ticketPostLoader } from './items';
import { orderIdReads } from './order-ids';
import type { OrderScanOptions, SourceOrder } from './types';

/**
 * HPOS storage: `wc_orders` and friends are authoritative. The `shop_order_placehold` rows in
 * posts only reserve ids and are never read.
 */
export function hposSource(reader: SqlReader, info: StoreInfo): OrderSource {
  const t = (name: string) => `\`${reader.prefix}${name}\``;
  const ticketsOf = ticketPostLoader(reader, info);
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
    async loadOrders(ids, productIds) {
      if (ids.length === 0) return [];
      const [headers, items, posts, meta] = await Promise.all([
        reader.rows<RowDataPacket>(
          `SELECT o.id, o.status, o.currency, o.total_amount AS total, o.tax_amount AS tax, o.billing_email AS orderEmail,
                  o.date_created_gmt AS createdAt, od.date_paid_gmt AS paidAt,
                  a.first_name AS firstName, a.last_name AS lastName, a.email AS email, a.phone AS phone
             FROM ${t('wc_orders')} o
             LEFT JOIN ${t('wc_order_operational_data')} od ON od.order_id = o.id
             LEFT JOIN ${t('wc_order_addresses')} a ON a.order_id = o.id AND a.address_type = 'billing'
            WHERE o.id IN (?) AND o.type = 'shop_order'
            ORDER BY o.id`,
          [ids],
          `${reader.prefix}wc_orders`,
        ),
        loadLineItems(reader, ids, productIds),
        ticketsOf(ids),
        reader.rows<RowDataPacket>(
          `SELECT order_id AS id, meta_value AS v FROM ${t('wc_orders_meta')} WHERE order_id IN (?) AND meta_key = 'WooCommerceEventsOrderTickets' ORDER BY id`,
          [ids],
          `${reader.prefix}wc_orders_meta`,
        ),
      ]);
      const serialized = new Map(meta.map((row) => [Number(row.id), String(row.v)]));
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
        };
      });
    },
  };
}
