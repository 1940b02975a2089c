import { DelayedError, type Job } from 'bullmq';

import { OdooAccessDeniedError, OdooSales, OdooUnavailableError, OdooValidationError } from '../connectors/odoo';
import { Batcher } from '../core/batcher';
import type { AppContext, InboundEvent } from '../core/domain';
import { isFinalAttempt, isPermanent, PermanentFailure } from '../core/failures';
import type { InboundOutcome } from '../core/intake/types';
import type { OdooConnector } from './odoo/connection';
import { KeyClaims, OrderLocks } from './orders/locks';
import { parseBookingOrder, type BookingOrder } from './orders/parse';
import { transientRetryDelay } from './rules';
import type { BookingStore } from './store';
import { syncOrders, type OrderOutcome, type SyncDeps } from './odoo/writes';
import { WooBookingSource } from './orders/store-source';

export const JOB_SYNC_ORDER = 'sync-order';
export const JOB_SYNC_BATCH = 'sync-batch';
export const JOB_SWEEP = 'sweep';

type LiveOutcome = OrderOutcome | { orderId: number; status: 'busy' };

/** Another job holds the order; retry shortly (by then it is linked and nothing is created). */
export class OrderBusyError extends Error {
  constructor(orderId: number) {
    super(`order ${orderId} is being synced by another job`);
    this.name = 'OrderBusyError';
  }
}

const errorKind = (error: unknown): string =>
  error instanceof OdooAccessDeniedError
    ? 'access_denied'
    : error instanceof OdooValidationError
      ? 'validation'
      : error instanceof OdooUnavailableError
        ? 'unavailable'
        : isPermanent(error)
          ? 'invalid'
          : 'error';

/** The bookings use cases behind the jobs and routes. */
export class BookingsService {
  private readonly locks: OrderLocks;
  private readonly claims: KeyClaims;
  readonly wooSource: WooBookingSource;
  private readonly live: Batcher<number, LiveOutcome>;

  constructor(
    private readonly ctx: AppContext,
    readonly connector: OdooConnector,
    readonly store: BookingStore,
  ) {
    this.locks = new OrderLocks(ctx.redis, ctx.config.queuePrefix);
    this.claims = new KeyClaims(ctx.redis, ctx.config.queuePrefix);
    this.wooSource = new WooBookingSource(ctx);
    this.live = new Batcher((ids) => this.syncLive(ids), ctx.config.bookings.batchSize, 2);
  }

  private async deps(): Promise<SyncDeps> {
    const client = await this.connector.client();
    return {
      store: this.store,
      sales: new OdooSales(client),
      connectionKey: client.key,
      options: await this.connector.options(),
      locale: this.ctx.config.bookings.locale,
      claims: this.claims,
    };
  }

  /** `order.paid` from the intake: orders without booking items are acknowledged and ignored. */
  async handleInbound(event: InboundEvent, job: Job): Promise<InboundOutcome> {
    const parsed = parseBookingOrder(event.payload);
    if (parsed.kind === 'invalid') {
      this.ctx.logger.warn({ eventId: event.eventId, reason: parsed.reason }, 'bookings: ignored an order.paid event that is not an order');
      return 'ignored';
    }
    if (parsed.kind === 'not_paid') {
      this.ctx.logger.info({ eventId: event.eventId, orderId: parsed.orderId, status: parsed.status }, 'bookings: order is not paid; ignored');
      return 'ignored';
    }
    if (parsed.kind === 'no_bookings') {
      this.ctx.logger.info({ eventId: event.eventId, orderId: parsed.orderId }, 'bookings: order has no booking items; ignored');
      return 'ignored';
    }
    await this.store.upsertOrder(parsed.order);
    await this.syncOne(parsed.order.id, job);
    return 'processed';
  }

  /**
   * One order (live path): ≤ 4 Odoo calls once the customer and product are known. Orders
   * synced at the same moment by this process (a burst of webhooks) share one batch.
   */
  async syncOne(orderId: number, job: Job): Promise<OrderOutcome> {
    const known = await this.store.knownIds([orderId]);
    if (!known.has(orderId)) throw new PermanentFailure(`order ${orderId} is not known to the worker; it arrives with its order.paid webhook`);
    let outcome: LiveOutcome;
    try {
      outcome = await this.live.push(orderId);
    } catch (error) {
      await this.failed([orderId], job, error);
      throw error;
    }
    if (outcome.status === 'busy') throw new OrderBusyError(orderId);
    if (outcome.status === 'failed') {
      await this.store.recordError(orderId, outcome.error.message, errorKind(outcome.error), true);
      throw outcome.error;
    }
    return outcome;
  }

  /** A batch of live orders: locks (waiting a little for another job on the same order), then one sync. */
  private async syncLive(orderIds: number[]): Promise<LiveOutcome[]> {
    const orders = await this.store.loadOrders(orderIds);
    const { result, busy } = await this.locks.withLocks(
      [...orders.keys()],
      async (locked) => this.attemptIsolated(locked.map((id) => orders.get(id) as BookingOrder)),
      10_000,
    );
    const byId = new Map<number, LiveOutcome>((result ?? []).map((outcome) => [outcome.orderId, outcome]));
    for (const id of busy) byId.set(id, { orderId: id, status: 'busy' });
    return orderIds.map((id) => byId.get(id) ?? { orderId: id, status: 'failed', error: new PermanentFailure(`order ${id} is not known to the worker`) });
  }

  /** Backlog: a batch of orders in a handful of calls; a bad order is isolated, not the batch. */
  async syncBatch(orderIds: number[], job: Job): Promise<{ synced: number; failed: number; busy: number }> {
    const orders = await this.store.loadOrders(orderIds);
    let outcomes: OrderOutcome[];
    let busy: number[];
    try {
      ({ result: outcomes = [], busy } = await this.locks.withLocks([...orders.keys()], async (locked) =>
        this.attemptIsolated(locked.map((id) => orders.get(id) as BookingOrder)),
      ));
    } catch (error) {
      await this.failed([...orders.keys()], job, error);
      throw error;
    }
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') await this.store.recordError(outcome.orderId, outcome.error.message, errorKind(outcome.error), true);
    }
    return { synced: outcomes.filter((o) => o.status !== 'failed').length, failed: outcomes.filter((o) => o.status === 'failed').length, busy: busy.length };
  }

  /** A sync of several orders; when Odoo rejects the batch, each order alone, so only the bad one fails. */
  private async attemptIsolated(batch: BookingOrder[]): Promise<OrderOutcome[]> {
    try {
      return await this.attempt(batch);
    } catch (error) {
      if (!(error instanceof OdooValidationError) || batch.length === 1) throw error;
      const outcomes: OrderOutcome[] = [];
      for (const order of batch) {
        try {
          outcomes.push(...(await this.attempt([order])));
        } catch (single) {
          if (!(single instanceof OdooValidationError)) throw single;
          outcomes.push({ orderId: order.id, status: 'failed', error: single });
        }
      }
      return outcomes;
    }
  }

  /** One sync against Odoo; its failures also update health, alerts and the id cache. */
  private async attempt(orders: BookingOrder[]): Promise<OrderOutcome[]> {
    let key: string | undefined;
    try {
      const deps = await this.deps();
      key = deps.connectionKey;
      const outcomes = await syncOrders(orders, deps);
      const health = await this.connector.readHealth();
      if (health?.key !== key || !health.ok) await this.connector.recordHealth(key, true, null);
      return outcomes;
    } catch (error) {
      if (error instanceof OdooAccessDeniedError && key) await this.connector.accessDenied(key, error);
      // Odoo down: /health and the admin page say so until a call succeeds again.
      if (error instanceof OdooUnavailableError && key) await this.connector.recordHealth(key, false, error.message);
      // A cached partner or product may have been merged or deleted in Odoo: look them up again next time.
      if (error instanceof OdooValidationError && key) {
        await this.store.forgetCache(key);
        // Likewise the taxes and pricelists looked up once per connection.
        (await this.connector.client().catch(() => undefined))?.forgetMemos();
      }
      throw error;
    }
  }

  /**
   * A job's attempt failed: the orders show the error (a dead letter when final). A transient
   * Odoo failure does not spend an attempt: the job waits (exponential, capped at
   * BOOKINGS_RETRY_MAX_DELAY_MS, at least Retry-After) and tries again, for up to
   * BOOKINGS_OUTAGE_MAX_HOURS; only then is it a dead letter, which the sweep still retries.
   */
  private async failed(orderIds: number[], job: Job, error: unknown): Promise<void> {
    const { retryDelayMs, retryMaxDelayMs, outageMaxHours } = this.ctx.config.bookings;
    const transient = error instanceof OdooUnavailableError;
    const withinOutage = transient && Date.now() - job.timestamp < outageMaxHours * 3_600_000;
    const final = transient ? !withinOutage || !job.token : isFinalAttempt(job, error);
    for (const id of orderIds) await this.store.recordError(id, error instanceof Error ? error.message : String(error), errorKind(error), final);
    if (transient && !final && job.token) {
      const failures = typeof job.data?.transientFailures === 'number' ? job.data.transientFailures : 0;
      const wait = Math.max(transientRetryDelay(failures, retryDelayMs, retryMaxDelayMs), error.retryAfterMs ?? 0);
      await job.updateData({ ...job.data, transientFailures: failures + 1 });
      await job.moveToDelayed(Date.now() + wait, job.token);
      throw new DelayedError();
    }
  }

  /** Per-order jobs for a few orders, batch jobs for a backlog. */
  async enqueue(orderIds: number[], reason: string): Promise<{ mode: 'single' | 'batch'; orders: number; jobs: number }> {
    const { backlogThreshold, batchSize, retryAttempts, retryDelayMs } = this.ctx.config.bookings;
    const opts = { attempts: retryAttempts, backoff: { type: 'exponential', delay: retryDelayMs } };
    const queue = this.ctx.queues.get('bookings');
    if (orderIds.length === 0) return { mode: 'single', orders: 0, jobs: 0 };
    if (orderIds.length < backlogThreshold) {
      await queue.addBulk(
        orderIds.map((orderId) => ({ name: JOB_SYNC_ORDER, data: { orderId, reason }, opts: { ...opts, deduplication: { id: `bookings-order-${orderId}` } } })),
      );
      return { mode: 'single', orders: orderIds.length, jobs: orderIds.length };
    }
    const chunks: number[][] = [];
    for (let index = 0; index < orderIds.length; index += batchSize) chunks.push(orderIds.slice(index, index + batchSize));
    await queue.addBulk(chunks.map((chunk) => ({ name: JOB_SYNC_BATCH, data: { orderIds: chunk, reason }, opts })));
    return { mode: 'batch', orders: orderIds.length, jobs: chunks.length };
  }

  /** The 5-minute reconciliation: paid booking orders of the last N days without a link. */
  async sweep(): Promise<{ enqueued: number; imported: number }> {
    const { sweepDays, sweepIntervalMs } = this.ctx.config.bookings;
    // Orders whose webhook never arrived, read from the store database when it is configured.
    const imported = await this.wooSource.paidBookingOrders(sweepDays, (ids) => this.store.knownIds(ids));
    for (const order of imported) await this.store.upsertOrder(order);
    // Pending orders, and dead letters of an outage (error_kind unavailable): nobody has to press Retry.
    const stranded = await this.store.findUnlinked({
      days: sweepDays,
      staleMs: Math.min(60_000, sweepIntervalMs),
      includeFailed: false,
      includeUnavailable: true,
      limit: 10_000,
    });
    const ids = [...new Set([...imported.map((order) => order.id), ...stranded])];
    const result = await this.enqueue(ids, 'sweep');
    if (ids.length > 0) this.ctx.logger.info({ orders: ids.length, imported: imported.length, mode: result.mode }, 'bookings sweep enqueued unsynced orders');
    return { enqueued: ids.length, imported: imported.length };
  }

  /** `POST /sync/manual`: one order, or every unsynced one (dead letters included). */
  async manual(orderId: number | undefined): Promise<{ mode: 'single' | 'batch'; orders: number; jobs: number }> {
    const ids = orderId !== undefined ? [orderId] : await this.store.findUnlinked({ days: 3650, staleMs: 0, includeFailed: true, limit: 100_000 });
    await this.store.markPending(ids);
    return this.enqueue(ids, 'manual');
  }
}
