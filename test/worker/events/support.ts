import { adminHeaders } from '../../support/runtime';
import { until } from '../../support/until';

export const BASE = '/api/v1/sync-woocommerce';

export async function api<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = adminHeaders(),
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

export interface ExecutionBody {
  id: number;
  status: string;
  orders_processed: number;
  tickets_processed: number;
  new_orders: number;
  updated_orders: number;
  new_tickets: number;
  updated_tickets: number;
  voided_tickets: number;
  skipped_orders: number;
  unchanged_orders: number;
  execution_time: string;
  success: boolean | null;
  error_message: string | null;
  progress: { processed: number; total: number | null; percent: number };
}

export function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, label = 'condition'): Promise<T> {
  return until(label, read, done, timeoutMs, 100);
}

export async function runSync(
  url: string,
  configurationId: number,
  body: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<ExecutionBody> {
  const started = await api<ExecutionBody>(url, 'POST', `${BASE}/configurations/${configurationId}/trigger_sync/`, body, headers);
  if (started.status !== 202) throw new Error(`trigger failed: ${started.status} ${JSON.stringify(started.body)}`);
  return waitFor(
    async () => (await api<ExecutionBody>(url, 'GET', `${BASE}/executions/${started.body.id}/`, undefined, headers)).body,
    (execution) => execution.status !== 'running',
    60_000,
    'execution to finish',
  );
}

export const configurationBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Año Nuevo 2025',
  woocommerce_product_id: 10,
  event_name: 'Concierto de Año Nuevo',
  event_description: 'Migrado desde WooCommerce',
  organizer_email: 'Eventos@Example.co',
  organizer_name: 'Eventos Bogotá',
  service_fee_percentage: 7.5,
  sync_frequency: 'manual',
  ...overrides,
});
