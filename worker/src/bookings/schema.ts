import type { ColumnType, Generated } from 'kysely';

export type BookingOrderStatus = 'pending' | 'synced' | 'failed';

/** One paid WooCommerce order with booking items, as the worker received it, and its sync state. */
export interface BookingOrdersTable {
  wc_order_id: number;
  order_number: string;
  /** The normalised BookingOrder (JSON), so the sweep and manual sync can replay it. */
  payload: string;
  status: BookingOrderStatus;
  paid_at: ColumnType<Date, Date | string, Date | string>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  error_kind: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The exactly-once link: WooCommerce order ↔ Odoo sale order (and partner). */
export interface BookingLinksTable {
  wc_order_id: number;
  connection_key: string;
  odoo_sale_order_id: number;
  odoo_sale_order_name: string | null;
  odoo_partner_id: number | null;
  state: string;
  invoiced: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Odoo ids already resolved (partner by email, product by default_code), per connection. */
export interface BookingOdooCacheTable {
  id: Generated<number>;
  connection_key: string;
  kind: 'partner' | 'product';
  ext_key: string;
  odoo_id: number;
}

declare module '../core/db/schema' {
  interface Database {
    synchub_bookings_orders: BookingOrdersTable;
    synchub_bookings_links: BookingLinksTable;
    synchub_bookings_odoo_cache: BookingOdooCacheTable;
  }
}
