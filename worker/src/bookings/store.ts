import { sql } from 'kysely';

import type { Db } from '../core/db';
import { bookingOrderSchema, type BookingOrder } from './orders/parse';
import type { BookingOrderStatus } from './schema';
import './schema';

export interface LinkRow {
  wcOrderId: number;
  saleOrderId: number;
  saleOrderName: string | null;
  partnerId: number | null;
  state: string;
  invoiced: boolean;
}

export interface OrderListItem {
  wc_order_id: number;
  order_number: string;
  status: BookingOrderStatus;
  paid_at: Date;
  attempts: number;
  last_error: string | null;
  error_kind: string | null;
  updated_at: Date;
  odoo_sale_order_id: number | null;
  odoo_sale_order_name: string | null;
  odoo_state: string | null;
}

/** The bookings tables: received orders and their state, the link to Odoo, and the id cache. */
export class BookingStore {
  constructor(private readonly db: Db) {}

  /** Records (or refreshes) a received order; a synced order keeps its status. */
  async upsertOrder(order: BookingOrder): Promise<void> {
    const payload = JSON.stringify(order);
    await this.db
      .insertInto('synchub_bookings_orders')
      .values({ wc_order_id: order.id, order_number: order.number, payload, status: 'pending', paid_at: new Date(order.paidAt) })
      .onDuplicateKeyUpdate({ order_number: order.number, payload, paid_at: new Date(order.paidAt), updated_at: sql`CURRENT_TIMESTAMP(3)` })
      .execute();
  }

  async loadOrders(ids: number[]): Promise<Map<number, BookingOrder>> {
    const found = new Map<number, BookingOrder>();
    if (ids.length === 0) return found;
    const rows = await this.db.selectFrom('synchub_bookings_orders').select(['wc_order_id', 'payload']).where('wc_order_id', 'in', ids).execute();
    for (const row of rows) found.set(Number(row.wc_order_id), bookingOrderSchema.parse(JSON.parse(row.payload)));
    return found;
  }

  /** Every order the worker holds (for the drift report). */
  async allOrders(): Promise<BookingOrder[]> {
    const rows = await this.db.selectFrom('synchub_bookings_orders').select(['payload']).orderBy('wc_order_id').execute();
    return rows.map((row) => bookingOrderSchema.parse(JSON.parse(row.payload)));
  }

  /** Forgets the links of these orders (their sale orders were deleted in Odoo). */
  async dropLinks(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('synchub_bookings_links').where('wc_order_id', 'in', ids).execute();
  }

  /** Which of these order ids the worker already holds. */
  async knownIds(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('synchub_bookings_orders').select('wc_order_id').where('wc_order_id', 'in', ids).execute();
    return new Set(rows.map((row) => Number(row.wc_order_id)));
  }

  async links(ids: number[]): Promise<Map<number, LinkRow>> {
    const found = new Map<number, LinkRow>();
    if (ids.length === 0) return found;
    const rows = await this.db.selectFrom('synchub_bookings_links').selectAll().where('wc_order_id', 'in', ids).execute();
    for (const row of rows) {
      found.set(Number(row.wc_order_id), {
        wcOrderId: Number(row.wc_order_id),
        saleOrderId: row.odoo_sale_order_id,
        saleOrderName: row.odoo_sale_order_name,
        partnerId: row.odoo_partner_id,
        state: row.state,
        invoiced: row.invoiced === 1,
      });
    }
    return found;
  }

  /** Writes links first (one INSERT), so a crash after Odoo answered never loses the ids. */
  async saveLinks(connectionKey: string, links: LinkRow[]): Promise<void> {
    if (links.length === 0) return;
    await this.db
      .insertInto('synchub_bookings_links')
      .values(
        links.map((link) => ({
          wc_order_id: link.wcOrderId,
          connection_key: connectionKey,
          odoo_sale_order_id: link.saleOrderId,
          odoo_sale_order_name: link.saleOrderName,
          odoo_partner_id: link.partnerId,
          state: link.state,
          invoiced: link.invoiced ? 1 : 0,
        })),
      )
      .onDuplicateKeyUpdate({
        odoo_sale_order_name: sql`COALESCE(VALUES(odoo_sale_order_name), odoo_sale_order_name)`,
        odoo_partner_id: sql`COALESCE(VALUES(odoo_partner_id), odoo_partner_id)`,
        state: sql`VALUES(state)`,
        invoiced: sql`GREATEST(invoiced, VALUES(invoiced))`,
        updated_at: sql`CURRENT_TIMESTAMP(3)`,
      })
      .execute();
  }

  async markSynced(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('synchub_bookings_orders')
      .set({ status: 'synced', last_error: null, error_kind: null, attempts: sql<number>`attempts + 1`, updated_at: sql`CURRENT_TIMESTAMP(3)` })
      .where('wc_order_id', 'in', ids)
      .execute();
  }

  /** `final` → a visible dead letter; otherwise the error is kept while retries continue. */
  async recordError(id: number, message: string, kind: string, final: boolean): Promise<void> {
    await this.db
      .updateTable('synchub_bookings_orders')
      .set({
        ...(final ? { status: 'failed' as const } : {}),
        last_error: message.slice(0, 4000),
        error_kind: kind,
        attempts: sql<number>`attempts + 1`,
        updated_at: sql`CURRENT_TIMESTAMP(3)`,
      })
      .where('wc_order_id', '=', id)
      .where('status', '!=', 'synced')
      .execute();
  }

  async markPending(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('synchub_bookings_orders')
      .set({ status: 'pending', updated_at: sql`CURRENT_TIMESTAMP(3)` })
      .where('wc_order_id', 'in', ids)
      .where('status', '=', 'failed')
      .execute();
  }

  /**
   * Orders paid in the last `days` days without a link. `staleMs` skips orders touched recently
   * (their live job is still on it); `includeFailed` adds dead letters (manual "sync all").
   */
  async findUnlinked(options: { days: number; staleMs: number; includeFailed: boolean; includeUnavailable?: boolean; limit: number }): Promise<number[]> {
    const rows = await this.db
      .selectFrom('synchub_bookings_orders as o')
      .leftJoin('synchub_bookings_links as l', 'l.wc_order_id', 'o.wc_order_id')
      .select('o.wc_order_id')
      .where('l.wc_order_id', 'is', null)
      .where((eb) =>
        options.includeFailed
          ? eb('o.status', 'in', ['pending', 'failed'])
          : options.includeUnavailable
            ? eb.or([eb('o.status', '=', 'pending'), eb.and([eb('o.status', '=', 'failed'), eb('o.error_kind', '=', 'unavailable')])])
            : eb('o.status', '=', 'pending'),
      )
      .where('o.paid_at', '>=', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${options.days} DAY`)
      .where('o.updated_at', '<=', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${options.staleMs * 1000} MICROSECOND`)
      .orderBy('o.paid_at')
      .limit(options.limit)
      .execute();
    return rows.map((row) => Number(row.wc_order_id));
  }

  async listOrders(options: { status?: BookingOrderStatus; limit: number }): Promise<{ counts: Record<BookingOrderStatus, number>; items: OrderListItem[] }> {
    let query = this.db
      .selectFrom('synchub_bookings_orders as o')
      .leftJoin('synchub_bookings_links as l', 'l.wc_order_id', 'o.wc_order_id')
      .select([
        'o.wc_order_id',
        'o.order_number',
        'o.status',
        'o.paid_at',
        'o.attempts',
        'o.last_error',
        'o.error_kind',
        'o.updated_at',
        'l.odoo_sale_order_id',
        'l.odoo_sale_order_name',
        'l.state as odoo_state',
      ])
      .orderBy('o.updated_at', 'desc')
      .limit(options.limit);
    if (options.status) query = query.where('o.status', '=', options.status);
    const [items, counts] = await Promise.all([
      query.execute(),
      this.db
        .selectFrom('synchub_bookings_orders')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute(),
    ]);
    const byStatus: Record<BookingOrderStatus, number> = { pending: 0, synced: 0, failed: 0 };
    for (const row of counts) byStatus[row.status] = Number(row.n);
    return { counts: byStatus, items: items.map((item) => ({ ...item, wc_order_id: Number(item.wc_order_id) })) };
  }

  async cached(connectionKey: string, kind: 'partner' | 'product', keys: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (keys.length === 0) return found;
    const rows = await this.db
      .selectFrom('synchub_bookings_odoo_cache')
      .select(['ext_key', 'odoo_id'])
      .where('connection_key', '=', connectionKey)
      .where('kind', '=', kind)
      .where('ext_key', 'in', keys)
      .execute();
    for (const row of rows) found.set(row.ext_key, row.odoo_id);
    return found;
  }

  async cache(connectionKey: string, kind: 'partner' | 'product', entries: Map<string, number>): Promise<void> {
    if (entries.size === 0) return;
    await this.db
      .insertInto('synchub_bookings_odoo_cache')
      .values([...entries].map(([key, id]) => ({ connection_key: connectionKey, kind, ext_key: key, odoo_id: id })))
      .onDuplicateKeyUpdate({ odoo_id: sql`VALUES(odoo_id)` })
      .execute();
  }

  async forgetCache(connectionKey: string): Promise<void> {
    await this.db.deleteFrom('synchub_bookings_odoo_cache').where('connection_key', '=', connectionKey).execute();
  }
}
