import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const SYNC_FREQUENCIES = ['manual', 'hourly', 'daily', 'weekly', 'monthly'] as const;
export type SyncFrequency = (typeof SYNC_FREQUENCIES)[number];
export const EXECUTION_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export type ExecutionTrigger = 'manual' | 'scheduled' | 'resume';
export type ExecutionMode = 'full' | 'incremental';
export type NotifyState = 'skipped' | 'pending' | 'sending' | 'sent';

export interface EventConfigurationsTable {
  id: Generated<number>;
  name: string;
  woocommerce_product_id: number;
  event_name: string;
  event_description: string;
  organizer_email: string;
  organizer_name: string;
  service_fee_percentage: ColumnType<string, string | number, string | number>;
  sync_frequency: SyncFrequency;
  is_active: number;
  is_paused: ColumnType<number, number | undefined, number>;
  is_migration: number;
  /** JSON array of WooCommerce statuses that count as paid. */
  paid_statuses: string;
  tier_name_template: string;
  /** Source clock (UTC `Y-m-d H:i:s`) at the start of the last completed run: incremental cursor. */
  last_cursor: string | null;
  last_scheduled_slot: NullableTimestamp;
  last_sync_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EventExecutionsTable {
  id: Generated<number>;
  configuration_id: number;
  status: ExecutionStatus;
  trigger: ExecutionTrigger;
  mode: ExecutionMode;
  schedule_slot: string | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  heartbeat_at: Timestamp;
  orders_total: number | null;
  orders_processed: ColumnType<number, number | undefined, number>;
  tickets_processed: ColumnType<number, number | undefined, number>;
  new_orders: ColumnType<number, number | undefined, number>;
  updated_orders: ColumnType<number, number | undefined, number>;
  new_tickets: ColumnType<number, number | undefined, number>;
  updated_tickets: ColumnType<number, number | undefined, number>;
  voided_tickets: ColumnType<number, number | undefined, number>;
  skipped_orders: ColumnType<number, number | undefined, number>;
  unchanged_orders: ColumnType<number, number | undefined, number>;
  checkpoint_order_id: ColumnType<number, number | undefined, number>;
  source_since: string | null;
  source_started_at: string | null;
  stop_reason: string | null;
  error_message: string | null;
}

export interface EventOrganizersTable {
  id: Generated<number>;
  email: string;
  name: string;
  created_at: Timestamp;
}

export interface EventsTable {
  id: Generated<number>;
  configuration_id: number;
  organizer_id: number;
  name: string;
  description: string;
  visibility: 'unlisted' | 'public' | 'private';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TicketTiersTable {
  id: Generated<number>;
  event_id: number;
  woocommerce_product_id: number;
  woocommerce_variation_id: number;
  name: string;
  is_public: number;
  created_at: Timestamp;
}

export interface TicketOrdersTable {
  id: Generated<number>;
  configuration_id: number;
  event_id: number;
  woocommerce_order_id: number;
  status: 'active' | 'void';
  source_status: string;
  currency: string;
  subtotal: string;
  tax: string;
  service_fee: string;
  total: string;
  buyer_name: string;
  buyer_email: string;
  ordered_at: NullableTimestamp;
  paid_at: NullableTimestamp;
  content_hash: string;
  /** The source fingerprint this row was mapped from (see connectors/woocommerce-db/fingerprint.ts); null: always reload. */
  source_fingerprint: string | null;
  /** Tickets the mapping gave (the run's tickets_processed for an order a re-scan skips as unchanged). */
  ticket_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Orders a run read and skipped (never paid, never stored), with the fingerprint they were read with. */
export interface SkippedOrdersTable {
  configuration_id: number;
  woocommerce_order_id: number;
  source_fingerprint: string | null;
  updated_at: Generated<Timestamp>;
}

export interface TicketsTable {
  id: Generated<number>;
  ticket_order_id: number;
  event_id: number;
  tier_id: number;
  woocommerce_order_item_id: number;
  sequence: number;
  attendee_name: string;
  attendee_email: string;
  price: string;
  service_fee: string;
  status: 'valid' | 'void';
  issued_at: NullableTimestamp;
  notify_state: NotifyState;
  notify_claim: string | null;
  notify_claimed_at: NullableTimestamp;
  notified_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ScheduleRunsTable {
  id: Generated<number>;
  job_id: string;
  kind: string;
  pid: number;
  ran_at: Timestamp;
}

declare module '../core/db/schema' {
  interface Database {
    synchub_event_configurations: EventConfigurationsTable;
    synchub_event_executions: EventExecutionsTable;
    synchub_event_organizers: EventOrganizersTable;
    synchub_events: EventsTable;
    synchub_event_ticket_tiers: TicketTiersTable;
    synchub_event_ticket_orders: TicketOrdersTable;
    synchub_event_skipped_orders: SkippedOrdersTable;
    synchub_event_tickets: TicketsTable;
    synchub_event_schedule_runs: ScheduleRunsTable;
  }
}
