import type { ColumnType, Generated } from 'kysely';

import type { ItemStatus } from '../connectors/store/client';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const CHANGE_SOURCES = ['webhook', 'scheduled_sync', 'manual'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export const WEBHOOK_LOG_STATUSES = ['received', 'processed', 'ignored', 'duplicate', 'rejected', 'error'] as const;
export type WebhookLogStatus = (typeof WEBHOOK_LOG_STATUSES)[number];

/** The ledger: one row per SIIGO product code, what we last wrote to WooCommerce. */
export interface StockProductsTable {
  code: string;
  siigo_id: string;
  name: string;
  quantity: number | null;
  warehouses: string;
  siigo_changed_at: NullableTimestamp;
  woo_product_id: number | null;
  woo_status: ItemStatus | null;
  last_seen_at: Timestamp;
  synced_at: NullableTimestamp;
}

/** The audit of every stock change written (or attempted) to WooCommerce. */
export interface StockChangesTable {
  id: Generated<number>;
  code: string;
  name: string;
  woo_product_id: number | null;
  old_quantity: number | null;
  new_quantity: number;
  siigo_id: string | null;
  source: ChangeSource;
  result: ItemStatus;
  created_at: Timestamp;
}

export interface StockWebhookLogsTable {
  id: Generated<number>;
  topic: string | null;
  product_code: string | null;
  siigo_id: string | null;
  company_key: string | null;
  dedupe_key: string | null;
  status: WebhookLogStatus;
  http_status: number;
  message: string | null;
  payload: string | null;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
}

/** Our local copy of the company's SIIGO webhook subscriptions. */
export interface StockWebhookSubscriptionsTable {
  id: string;
  topic: string;
  url: string;
  is_ours: number;
  company_key: string | null;
  active: number;
  created_at: string | null;
  recorded_at: Timestamp;
}

declare module '../core/db/schema' {
  interface Database {
    synchub_stock_webhook_subscriptions: StockWebhookSubscriptionsTable;
    synchub_stock_products: StockProductsTable;
    synchub_stock_changes: StockChangesTable;
    synchub_stock_webhook_logs: StockWebhookLogsTable;
  }
}
