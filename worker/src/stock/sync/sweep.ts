import { MAX_PAGE_SIZE, type SiigoClient } from '../../connectors/siigo/client';
import { readingFromProduct, siigoDateTime } from '../../connectors/siigo/mappers';
import type { AppContext } from '../../core/domain';
import { RedisLocks, renewInterval } from '../../core/locks';
import { pageCount, sweepStart, type PlannedChange } from '../rules';
import type { ChangeSource } from '../schema';
import { loadSweepState, resolveWarehouses, saveSweepState } from '../settings';
import { addSummaries, emptySummary, type StockWriter, type WriteSummary } from './writer';

/** Margin under the cursor for clock skew between SIIGO and us. */
export const SWEEP_SKEW_MS = 120_000;

export interface SweepResult {
  full: boolean;
  updatedStart: string | null;
  pages: number;
  products: number;
  changed: number;
  summary: WriteSummary;
}

export interface SweepDeps {
  ctx: AppContext;
  siigo: SiigoClient;
  writer: StockWriter;
  batchSize: number;
}

/**
 * One sweep: pages through SIIGO products (largest page; only those changed since the last
 * successful sweep unless `full`), compares each with the ledger and writes the changed ones to
 * WooCommerce in requests of `batchSize` gathered across pages. The cursor moves only when the
 * whole sweep succeeded, so a failed sweep is simply repeated from the same point.
 */
export async function runSweep(deps: SweepDeps, options: { full: boolean; source: ChangeSource }): Promise<SweepResult> {
  const { ctx, siigo, writer, batchSize } = deps;
  const state = await loadSweepState(ctx);
  const startedAt = Date.now();
  const from = sweepStart({ full: options.full, cursor: state.cursor, skewMs: SWEEP_SKEW_MS });
  const updatedStart = from === null ? null : siigoDateTime(from);
  const warehouses = await resolveWarehouses(ctx);

  let buffer: PlannedChange[] = [];
  let summary = emptySummary();
  let products = 0;
  let changed = 0;
  let pages = 0;
  const flush = async (all: boolean): Promise<void> => {
    while (buffer.length >= batchSize || (all && buffer.length > 0)) {
      const batch = buffer.slice(0, batchSize);
      buffer = buffer.slice(batchSize);
      summary = addSummaries(summary, await writer.write(batch, options.source, { retryUnsynced: options.full }));
    }
  };

  try {
    for (let page = 1, total = 1; page <= total; page += 1) {
      const result = await siigo.listProducts({ page, pageSize: MAX_PAGE_SIZE, ...(updatedStart ? { updatedStart } : {}) });
      pages += 1;
      total = pageCount(result.pagination.total_results, result.pagination.page_size || MAX_PAGE_SIZE);
      if (result.results.length === 0) break;
      products += result.results.length;
      const plan = await writer.plan(
        result.results.map((product) => readingFromProduct(product, warehouses)),
        { retryUnsynced: options.full },
      );
      summary = addSummaries(summary, { ...emptySummary(), skippedStale: plan.stale });
      // A code seen again on a later page (it moved while paging) replaces its earlier reading.
      const codes = new Set(plan.changed.map((change) => change.reading.code));
      buffer = [...buffer.filter((change) => !codes.has(change.reading.code)), ...plan.changed];
      changed += plan.changed.length;
      await flush(false);
    }
    await flush(true);
  } catch (error) {
    await saveSweepState(ctx, { ...state, lastError: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  const finishedAt = Date.now();
  await saveSweepState(ctx, { cursor: startedAt, lastFinishedAt: finishedAt, lastFullAt: options.full ? finishedAt : state.lastFullAt, lastError: null });
  return { full: options.full, updatedStart, pages, products, changed, summary };
}

/** One sweep at a time across all worker processes: a Redis lock with a token. */
export const sweepLockKey = (ctx: AppContext): string => `${ctx.queues.prefix}:stock:sweep-lock`;

/** Whether a sweep holds the lock now, in any process. */
export async function sweepRunning(ctx: AppContext): Promise<boolean> {
  return (await ctx.redis.exists(sweepLockKey(ctx))) === 1;
}

/** Runs `run` holding the sweep lock, renewed every third of `ttlMs` (at least 1 s); skipped when another sweep holds it. */
export async function withSweepLock<T>(ctx: AppContext, ttlMs: number, run: () => Promise<T>): Promise<T | { skipped: string }> {
  const ran = await new RedisLocks(ctx.redis).withLock(sweepLockKey(ctx), ttlMs, run, { renewEveryMs: renewInterval(ttlMs, 1_000) });
  return ran ? ran.result : { skipped: 'another sweep is running' };
}
