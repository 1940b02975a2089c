import type { Selectable } from 'kysely';

import type { OrderSource, WooCommerceDb } from '../../connectors/woocommerce-db/client';
import { isoToSqlUtc } from '../../connectors/woocommerce-db/dates';
import { WooDbError } from '../../connectors/woocommerce-db/errors';
import type { SourceOrder, SourceProduct } from '../../connectors/woocommerce-db/types';
import { idsAreConsecutive } from '../../core/db/insert-rows';
import type { AppContext } from '../../core/domain';
import { fingerprintSeed, mapOrder, notifiesAttendees, tierName, type DesiredOrder } from '../rules';
import type { EventConfigurationsTable } from '../schema';
import { idPages, LoadBudget, readAhead } from './pages';
import { ExecutionStore, TIMEOUT_STOP } from './store';
import { addMetrics, applyBatch, ensureEvent, ensureTiers, storedFingerprints, unchangedMetrics, type BatchMetrics, type UnchangedOrder } from './tickets';

export type Configuration = Selectable<EventConfigurationsTable>;

/** Pages read ahead of the one being written: enough to keep the store's reads overlapping, few enough to bound memory. */
const READ_AHEAD_PAGES = 2;

/**
 * Pages a full run checks ahead: their fingerprint queries overlap on the store's cores, while the
 * orders loaded stay within READ_AHEAD_PAGES + 1 pages (see LoadBudget).
 */
const FULL_RUN_PAGES_AHEAD = 6;

/** Incremental runs re-read orders modified this long before the last cursor (clock skew, same-second writes). */
const CURSOR_OVERLAP_MS = 10 * 60_000;

/** The configured product is not in the store: no retry can help. */
export class ProductMissingError extends WooDbError {
  readonly retryable = false;
  readonly code = 'product_not_found';
  constructor(productId: number) {
    super(`WooCommerce product ${productId} was not found (no product or variation with that id).`);
    this.name = 'ProductMissingError';
  }
}

/** A paid order announced live is not yet visible as paid in the database: try again shortly. */
export class OrderNotReadyError extends WooDbError {
  readonly retryable = true;
  readonly code = 'order_not_ready';
  constructor(orderId: number) {
    super(`WooCommerce order ${orderId} is not visible as paid in the database yet.`);
    this.name = 'OrderNotReadyError';
  }
}

export interface SyncDeps {
  ctx: AppContext;
  openWooDb(): Promise<WooCommerceDb>;
  /** Queues the attendee emails of an event (called after a commit that created pending tickets). */
  enqueueNotify(eventId: number, key: string): Promise<void>;
  /** The clock WOOCOMMERCE_SYNC_TIMEOUT is measured on (milliseconds; Date.now unless a test injects one). */
  now?: () => number;
}

/** `stop_reason` of a run stopped by WOOCOMMERCE_SYNC_TIMEOUT, to be continued. */

export type RunOutcome = 'completed' | 'cancelled' | 'skipped' | 'timed_out';

export const paidStatusesOf = (configuration: Pick<Configuration, 'paid_statuses'>): string[] => JSON.parse(configuration.paid_statuses) as string[];

function rulesFor(configuration: Configuration) {
  return { paidStatuses: paidStatusesOf(configuration), serviceFeePercentage: configuration.service_fee_percentage };
}

/** An order as read and mapped under a fingerprint seed: the fingerprint goes with it into the store. */
const mapWithFingerprint = (order: SourceOrder, rules: ReturnType<typeof rulesFor>): DesiredOrder => ({
  ...mapOrder(order, rules),
  sourceFingerprint: order.fingerprint ?? null,
});

/**
 * One page of a run: the orders to write, loaded and fingerprinted, and with `skipUnchanged` (a
 * full run) the orders left unloaded because the store's fingerprint of their rows is the one they
 * were last mapped from. Loads wait for `mayLoad` (the run's LoadBudget), which `reserved` gives back.
 */
async function loadPage(
  deps: SyncDeps,
  source: OrderSource,
  page: { ids: number[]; productIds: number[]; seed: string; configurationId: number; skipUnchanged: boolean },
  mayLoad: (count: number) => Promise<void>,
): Promise<{ orders: SourceOrder[]; unchanged: UnchangedOrder[]; reserved: number }> {
  const unchanged: UnchangedOrder[] = [];
  let toLoad = page.ids;
  try {
    if (page.skipUnchanged) {
      const stored = await storedFingerprints(deps.ctx.db, page.configurationId, page.ids);
      if (stored.size > 0) {
        const current = await source.fingerprintOrders([...stored.keys()], page.seed);
        toLoad = page.ids.filter((id) => {
          const known = stored.get(id);
          if (!known || current.get(id) !== known.fingerprint) return true;
          unchanged.push(known);
          return false;
        });
      }
    }
  } catch (error) {
    // The page fails when taken; its turn still passes on.
    await mayLoad(0);
    throw error;
  }
  await mayLoad(toLoad.length);
  return { orders: await source.loadOrders(toLoad, page.productIds, page.seed), unchanged, reserved: toLoad.length };
}

/** Context shared by a run's batches: event, tiers, product ids, mapping rules and fingerprint seed, notification policy. */
async function prepareTarget(deps: SyncDeps, woo: WooCommerceDb, configuration: Configuration) {
  const products = await woo.findProduct(configuration.woocommerce_product_id);
  if (products.length === 0) throw new ProductMissingError(configuration.woocommerce_product_id);
  const eventId = await ensureEvent(deps.ctx.db, configuration);
  const notify = notifiesAttendees({ migrationMode: deps.ctx.config.woocommerce.migrationMode, configurationIsMigration: configuration.is_migration === 1 });
  const productIds = products.map((product) => product.id);
  const rules = rulesFor(configuration);
  return {
    products,
    productIds,
    rules,
    seed: fingerprintSeed(rules, productIds, (await woo.storeInfo()).timezone),
    target: {
      configurationId: configuration.id,
      eventId,
      tiers: new Map<string, number>(),
      notifyState: notify ? ('pending' as const) : ('skipped' as const),
      consecutiveIds: await idsAreConsecutive(deps.ctx.db),
    },
  };
}

/** The name the store gave the last item of this product and variation (for a tier whose product is gone). */
const itemNameOf = (orders: SourceOrder[], ticket: { productId: number; variationId: number }): string | undefined =>
  orders.flatMap((order) => order.items).findLast((item) => item.productId === ticket.productId && item.variationId === ticket.variationId)?.name;

async function ensureTiersFor(
  deps: SyncDeps,
  configuration: Configuration,
  products: SourceProduct[],
  eventId: number,
  tiers: Map<string, number>,
  desired: DesiredOrder[],
  sourceOrders: SourceOrder[],
): Promise<void> {
  const wanted = new Map<string, { productId: number; variationId: number; name: string }>();
  for (const order of desired) {
    let itemId = -1;
    for (const ticket of order.tickets) {
      // An item's tickets share its product and variation.
      if (ticket.itemId === itemId) continue;
      itemId = ticket.itemId;
      const key = `${ticket.productId}:${ticket.variationId}`;
      if (tiers.has(key) || wanted.has(key)) continue;
      const product = products.find((entry) => entry.id === (ticket.variationId || ticket.productId));
      const name = product?.name ?? itemNameOf(sourceOrders, ticket) ?? configuration.event_name;
      wanted.set(key, {
        productId: ticket.productId,
        variationId: ticket.variationId,
        name: tierName(configuration.tier_name_template, configuration.event_name, name, ticket.variationId > 0),
      });
    }
  }
  await ensureTiers(deps.ctx.db, eventId, [...wanted.values()], tiers);
}

/**
 * Runs (or resumes) one execution: keyset pages of matching orders after the checkpoint, each
 * page written with its checkpoint and metrics in one transaction, so a crash, a retry or a
 * pause/resume continues with no duplicate and no gap.
 */
export async function runExecution(deps: SyncDeps, executionId: number, signal: AbortSignal): Promise<RunOutcome> {
  const { config } = deps.ctx;
  const runs = new ExecutionStore(deps.ctx.db);
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const execution = await runs.execution(executionId);
  if (!execution || execution.status !== 'running') return 'skipped';
  const configuration = await runs.configuration(execution.configuration_id);
  if (!configuration) {
    await finish(deps, executionId, 'failed', 'The configuration was deleted.');
    return 'skipped';
  }
  if (configuration.is_paused) {
    await finish(deps, executionId, 'cancelled', null, 'paused');
    return 'cancelled';
  }
  const woo = await deps.openWooDb();
  const stopReading = new AbortController();
  try {
    const source = await woo.source();
    const { products, productIds, rules, seed, target } = await prepareTarget(deps, woo, configuration);
    let since = execution.source_since;
    if (!execution.source_started_at) {
      const now = await woo.now();
      since =
        execution.mode === 'incremental' && configuration.last_cursor
          ? isoToSqlUtc(new Date(new Date(`${configuration.last_cursor.replace(' ', 'T')}Z`).getTime() - CURSOR_OVERLAP_MS).toISOString())
          : null;
      await runs.markSourceStarted(executionId, now, since);
    }
    let checkpoint = Number(execution.checkpoint_order_id);
    // One streamed read of the ids after the checkpoint feeds the pages and counts them.
    const ids = idPages(
      (onIds) => source.streamOrderIds({ productIds, afterId: checkpoint, modifiedSince: since ?? undefined }, onIds, { signal: stopReading.signal }),
      config.woocommerce.batchSize,
    );
    const alreadyProcessed = Number(execution.orders_processed);
    // A read stopped early (the run ended first) counted only part of the ids: no total then.
    const totalRecorded =
      execution.orders_total === null
        ? ids.total.then((count) => (stopReading.signal.aborted ? undefined : runs.setTotal(executionId, alreadyProcessed + count)))
        : Promise.resolve();
    // A failed read surfaces through the pages.
    totalRecorded.catch(() => undefined);
    // Source reads run ahead of the store writes (see readAhead).
    const skipUnchanged = execution.mode === 'full';
    const budget = new LoadBudget((READ_AHEAD_PAGES + 1) * config.woocommerce.batchSize);
    const pages = readAhead(
      ids.next,
      (list) => loadPage(deps, source, { ids: list, productIds, seed, configurationId: configuration.id, skipUnchanged }, budget.turn()),
      skipUnchanged ? FULL_RUN_PAGES_AHEAD : READ_AHEAD_PAGES,
    );
    for (;;) {
      if (signal.aborted) {
        throw new Error('handed back: worker shutting down');
      }
      if (now() - startedAt > config.woocommerce.timeoutSeconds * 1000) {
        // Stopped, not failed: the next run (the schedule tick, a scheduled slot or a trigger) continues from the checkpoint.
        await finish(
          deps,
          executionId,
          'cancelled',
          `Stopped at order ${checkpoint} after ${config.woocommerce.timeoutSeconds} s (WOOCOMMERCE_SYNC_TIMEOUT); the next run continues from there.`,
          TIMEOUT_STOP,
        );
        return 'timed_out';
      }
      if (await runs.stopRequested(configuration.id)) {
        await finish(deps, executionId, 'cancelled', null, 'paused');
        return 'cancelled';
      }
      const { ids, loaded } = await pages.next();
      if (ids.length === 0 || !loaded) break;
      const { orders, unchanged, reserved } = loaded;
      const desired = orders.map((order) => mapWithFingerprint(order, rules));
      await ensureTiersFor(deps, configuration, products, target.eventId, target.tiers, desired, orders);
      const last = ids[ids.length - 1] as number;
      const metrics = await runs.writePage(executionId, checkpoint, last, async (trx) =>
        addMetrics(await applyBatch(trx, target, desired), unchangedMetrics(unchanged)),
      );
      if (!metrics) {
        return 'skipped';
      }
      budget.release(reserved);
      checkpoint = last;
      if (metrics.pendingNotifications > 0) await deps.enqueueNotify(target.eventId, `x${executionId}-${last}`);
    }
    await totalRecorded;
    await runs.complete(executionId, configuration.id);
    return 'completed';
  } finally {
    stopReading.abort();
    await woo.close();
  }
}

export async function finish(
  deps: Pick<SyncDeps, 'ctx'>,
  executionId: number,
  status: 'failed' | 'cancelled',
  message: string | null,
  reason: string | null = null,
): Promise<void> {
  await new ExecutionStore(deps.ctx.db).finish(executionId, status, message, reason);
}

/** Live path: one paid order, straight from the database, for every active configuration of its products. */
export async function syncSingleOrder(deps: SyncDeps, configuration: Configuration, orderId: number): Promise<BatchMetrics> {
  const woo = await deps.openWooDb();
  try {
    const source = await woo.source();
    const { products, productIds, rules, seed, target } = await prepareTarget(deps, woo, configuration);
    const orders = await source.loadOrders([orderId], productIds, seed);
    const order = orders[0];
    if (!order || order.items.length === 0) throw new OrderNotReadyError(orderId);
    const desired = mapWithFingerprint(order, rules);
    if (desired.status !== 'active') throw new OrderNotReadyError(orderId);
    await ensureTiersFor(deps, configuration, products, target.eventId, target.tiers, [desired], [order]);
    const metrics = await deps.ctx.db.transaction().execute((trx) => applyBatch(trx, target, [desired]));
    if (metrics.pendingNotifications > 0) await deps.enqueueNotify(target.eventId, `o${orderId}-${Date.now()}`);
    return metrics;
  } finally {
    await woo.close();
  }
}
