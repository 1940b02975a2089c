import type { StockReading } from '../../connectors/siigo/mappers';
import type { StoreClient } from '../../connectors/store/client';
import type { Db } from '../../core/db';
import { ledgerReadings, loadEntries, recordWrites, touchProducts } from '../store';
import type { LiveFeed } from './live';
import { planChanges, type PlannedChange, type PlanOptions } from '../rules';
import type { ChangeSource } from '../schema';

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
    return this.send(fresh.changed, source, summary);
  }

  /**
   * Writes the ledger's SIIGO quantities for `codes` again, whatever the ledger says was written
   * (the drift report's "re-sync these": WooCommerce was changed behind the worker's back).
   */
  async rewrite(codes: readonly string[], source: ChangeSource): Promise<WriteSummary> {
    if (codes.length === 0) return emptySummary();
    const readings = await ledgerReadings(this.db, codes);
    return this.send(
      readings.map((reading) => ({ reading, oldQuantity: null, oldStatus: null })),
      source,
      emptySummary(),
    );
  }

  /** Sends the changes to the plugin, records what it answered, publishes the live notices. */
  private async send(changes: readonly PlannedChange[], source: ChangeSource, summary: WriteSummary): Promise<WriteSummary> {
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
