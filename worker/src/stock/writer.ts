import type { StockReading } from '../connectors/siigo/mappers';
import type { StoreClient } from '../connectors/store/client';
import type { Db } from '../core/db';
import { loadEntries, recordWrites, touchProducts } from './ledger';
import type { LiveFeed } from './live';
import { planChanges, type PlannedChange, type PlanOptions } from './rules';
import type { ChangeSource } from './schema';

export interface WriteSummary {
  written: number;
  updated: number;
  unknownSku: number;
  notManaged: number;
  skippedStale: number;
  requests: number;
}

export const emptySummary = (): WriteSummary => ({ written: 0, updated: 0, unknownSku: 0, notManaged: 0, skippedStale: 0, requests: 0 });

export function addSummaries(a: WriteSummary, b: WriteSummary): WriteSummary {
  return {
    written: a.written + b.written,
    updated: a.updated + b.updated,
    unknownSku: a.unknownSku + b.unknownSku,
    notManaged: a.notManaged + b.notManaged,
    skippedStale: a.skippedStale + b.skippedStale,
    requests: a.requests + b.requests,
  };
}

function parseWarehouses(text: string): StockReading['warehouses'] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as StockReading['warehouses']) : [];
  } catch {
    return [];
  }
}

/** Writes stock changes to WooCommerce and records them; the ledger decides what changed. */
export class StockWriter {
  constructor(
    private readonly db: Db,
    private readonly store: () => StoreClient,
    private readonly live: LiveFeed,
  ) {}

  /** Compares readings with the ledger, refreshes the unchanged ones, returns the changes to write. */
  async plan(readings: readonly StockReading[], options: PlanOptions = {}): Promise<{ changed: PlannedChange[]; stale: number }> {
    const entries = await loadEntries(
      this.db,
      readings.map((reading) => reading.code),
    );
    const plan = planChanges(readings, entries, options);
    await touchProducts(this.db, plan.unchanged);
    return { changed: plan.changed, stale: plan.stale.length };
  }

  /** Sends changes to the plugin (≤ 100 per request) and records ledger, audit and live notices. */
  async write(changes: readonly PlannedChange[], source: ChangeSource, options: PlanOptions = {}): Promise<WriteSummary> {
    const summary = emptySummary();
    if (changes.length === 0) return summary;
    // Re-check against the ledger: a newer change may have been written since the plan.
    const entries = await loadEntries(
      this.db,
      changes.map((change) => change.reading.code),
    );
    const fresh = planChanges(
      changes.map((change) => change.reading),
      entries,
      options,
    );
    summary.skippedStale = fresh.stale.length;
    if (fresh.changed.length === 0) return summary;
    const store = this.store();
    const before = store.requests;
    const results = await store.setStock(fresh.changed.map((change) => ({ sku: change.reading.code, stock_quantity: change.reading.quantity })));
    summary.requests = store.requests - before;
    const audit = await recordWrites(this.db, fresh.changed, results, source);
    await this.live.publish(audit);
    for (const result of results) {
      summary.written += 1;
      if (result.status === 'updated') summary.updated += 1;
      else if (result.status === 'unknown_sku') summary.unknownSku += 1;
      else summary.notManaged += 1;
    }
    return summary;
  }

  /**
   * Writes the ledger's SIIGO quantities for `codes` again, whatever the ledger says was written
   * (the drift report's "re-sync these": WooCommerce was changed behind the worker's back).
   */
  async rewrite(codes: readonly string[], source: ChangeSource): Promise<WriteSummary> {
    if (codes.length === 0) return emptySummary();
    const rows = await this.db
      .selectFrom('synchub_stock_products')
      .selectAll()
      .where('code', 'in', [...codes])
      .where('quantity', 'is not', null)
      .execute();
    const changes: PlannedChange[] = rows.map((row) => ({
      reading: {
        siigoId: row.siigo_id,
        code: row.code,
        name: row.name,
        quantity: row.quantity as number,
        warehouses: parseWarehouses(row.warehouses),
        changedAt: row.siigo_changed_at ? row.siigo_changed_at.getTime() : null,
      },
      oldQuantity: null,
      oldStatus: null,
    }));
    const summary = emptySummary();
    if (changes.length === 0) return summary;
    const store = this.store();
    const before = store.requests;
    const results = await store.setStock(changes.map((change) => ({ sku: change.reading.code, stock_quantity: change.reading.quantity })));
    summary.requests = store.requests - before;
    await this.live.publish(await recordWrites(this.db, changes, results, source));
    for (const result of results) {
      summary.written += 1;
      if (result.status === 'updated') summary.updated += 1;
      else if (result.status === 'unknown_sku') summary.unknownSku += 1;
      else summary.notManaged += 1;
    }
    return summary;
  }

  async apply(readings: readonly StockReading[], source: ChangeSource): Promise<WriteSummary> {
    const { changed, stale } = await this.plan(readings);
    const summary = await this.write(changed, source);
    return { ...summary, skippedStale: summary.skippedStale + stale };
  }
}
