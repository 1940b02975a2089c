import { createProductsDomain } from '../../../worker/src/products';
import { locallyApplying } from '../../../worker/src/products/ingest/enqueuer';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { untilFound } from '../../support/until';

export async function startProductsRuntime(env: Record<string, string> = {}): Promise<TestRuntime> {
  return startTestRuntime({ env: { PRODUCTS_RETRY_DELAY_MS: '50', PRODUCTS_SWEEP_AFTER_MS: '200', ...env }, domains: [createProductsDomain] });
}

export interface GeneratedToken {
  id: number;
  token: string;
  preview: string;
}

export async function generateToken(runtime: TestRuntime, body: Record<string, unknown> = {}): Promise<GeneratedToken> {
  const response = await fetch(`${runtime.url}/api/v1/integrations/tokens/generate/`, {
    method: 'POST',
    headers: adminHeaders(),
    body: JSON.stringify({ name: 'test', ...body }),
  });
  if (response.status !== 201) throw new Error(`token generation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as GeneratedToken;
}

export function postEvent(runtime: TestRuntime, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${runtime.url}/api/integrations/woocommerce/webhook/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

let counter = 0;
export const uniqueEventId = (label = 'evt'): string => `${label}-${process.pid}-${Date.now()}-${(counter += 1)}`;

export function productEvent(id: number, product: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: uniqueEventId(),
    event_type: 'product.updated',
    product: {
      id,
      sku: `SKU-${id}`,
      name: `Product ${id}`,
      short_description: 'Short text.',
      description: '<p>A longer description.</p>',
      price: '10.00',
      regular_price: '10.00',
      currency: 'EUR',
      stock_quantity: 5,
      stock_status: 'instock',
      categories: ['Kitchen'],
      tags: ['blue'],
      ...product,
    },
    ...extra,
  };
}

export function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  return untilFound(what, probe, timeoutMs, 25);
}

/**
 * Waits until no products job is running or due, and the runtime applies none in place (a retry's backoff included; the schedulers' next
 * runs are not), so no call of an earlier test can still reach a fake set up for the next one.
 */
export async function waitForProductJobsIdle(runtime: TestRuntime, timeoutMs = 10_000): Promise<void> {
  const queue = runtime.ctx.queues.get('products');
  await waitFor(
    async () => {
      // Events the runtime applies in place first: what fails there becomes a job.
      if (locallyApplying() > 0) return false;
      const counts = await queue.getJobCounts('active', 'waiting', 'prioritized', 'waiting-children');
      if (Object.values(counts).some((count) => count > 0)) return false;
      return (await queue.getDelayed()).every((job) => job.repeatJobKey !== undefined);
    },
    timeoutMs,
    'products jobs idle',
  );
}

export async function eventRow(runtime: TestRuntime, eventId: string) {
  return runtime.ctx.db.selectFrom('synchub_product_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

export async function waitForEventDone(runtime: TestRuntime, eventId: string, timeoutMs = 10_000) {
  return waitFor(
    async () => {
      const row = await eventRow(runtime, eventId);
      return row && ['processed', 'stale', 'failed'].includes(row.status) ? row : undefined;
    },
    timeoutMs,
    `event ${eventId}`,
  );
}

export async function productRow(runtime: TestRuntime, wooId: number) {
  return runtime.ctx.db.selectFrom('synchub_products').selectAll().where('external_id', '=', `woo_${wooId}`).executeTakeFirst();
}

/**
 * The event is processed and its job (apply + embedding) has finished, whichever did it: its own
 * job, the dispatch job that applied it, or the runtime that accepted it (applied in place).
 */
export async function waitForEventSettled(runtime: TestRuntime, eventId: string, timeoutMs = 10_000) {
  const row = await waitForEventDone(runtime, eventId, timeoutMs);
  const queue = runtime.ctx.queues.get('products');
  await waitFor(
    async () => {
      if (locallyApplying() > 0) return false;
      const job = await queue.getJob(`product-event-${row.id}`);
      const state = job ? await job.getState() : 'missing';
      const dispatching = (await queue.getJobs(['active', 'waiting', 'delayed', 'prioritized'])).some(
        (other) => other.name === 'product.dispatch' && (other.data as { items?: number[] }).items?.includes(Number(row.id)),
      );
      return !dispatching && (state === 'completed' || state === 'failed' || state === 'missing');
    },
    timeoutMs,
    `job of ${eventId}`,
  );
  return (await eventRow(runtime, eventId)) ?? row;
}
