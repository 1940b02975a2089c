import type { Selectable } from 'kysely';

import { formatDuration } from './rules';
import type { EventConfigurationsTable, EventExecutionsTable } from './schema';

const iso = (value: Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

export function configurationView(row: Selectable<EventConfigurationsTable>) {
  return {
    id: Number(row.id),
    name: row.name,
    woocommerce_product_id: Number(row.woocommerce_product_id),
    event_name: row.event_name,
    event_description: row.event_description,
    organizer_email: row.organizer_email,
    organizer_name: row.organizer_name,
    service_fee_percentage: Number(row.service_fee_percentage),
    sync_frequency: row.sync_frequency,
    is_active: Boolean(row.is_active),
    is_paused: Boolean(row.is_paused),
    is_migration: Boolean(row.is_migration),
    paid_statuses: JSON.parse(row.paid_statuses) as string[],
    tier_name_template: row.tier_name_template,
    last_sync_at: iso(row.last_sync_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function executionView(row: Selectable<EventExecutionsTable>, now = Date.now()) {
  const started = new Date(row.started_at).getTime();
  const finished = row.finished_at ? new Date(row.finished_at).getTime() : now;
  const total = row.orders_total === null ? null : Number(row.orders_total);
  const processed = Number(row.orders_processed);
  return {
    id: Number(row.id),
    configuration_id: Number(row.configuration_id),
    status: row.status,
    trigger: row.trigger,
    mode: row.mode,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    orders_processed: processed,
    tickets_processed: Number(row.tickets_processed),
    new_orders: Number(row.new_orders),
    updated_orders: Number(row.updated_orders),
    new_tickets: Number(row.new_tickets),
    updated_tickets: Number(row.updated_tickets),
    voided_tickets: Number(row.voided_tickets),
    skipped_orders: Number(row.skipped_orders),
    /** Orders a forced re-scan did not re-read: their source rows were as last mapped (counted in orders_processed too). */
    unchanged_orders: Number(row.unchanged_orders),
    execution_time: formatDuration(finished - started),
    success: row.status === 'completed' ? true : row.status === 'running' ? null : false,
    error_message: row.error_message,
    stop_reason: row.stop_reason,
    /** The last order id written: where a stopped run continues. */
    checkpoint_order_id: Number(row.checkpoint_order_id),
    progress: { processed, total, percent: total ? Math.min(100, Math.round((processed / total) * 1000) / 10) : row.status === 'completed' ? 100 : 0 },
  };
}
