import type { StockItemResult } from '../connectors/store/client';
import type { StockReading } from '../connectors/siigo/mappers';

/** What the ledger knows of a code (the subset the rules need). */
export interface LedgerEntry {
  code: string;
  quantity: number | null;
  siigoChangedAt: number | null;
  /** What WooCommerce answered last time (null: never written). */
  wooStatus?: 'updated' | 'unknown_sku' | 'not_managed' | null;
}

export interface PlanOptions {
  /**
   * Also write codes WooCommerce did not take last time (no such SKU, stock not managed), in case
   * the product has been created or switched to managed stock since. The daily full sweep does.
   */
  retryUnsynced?: boolean;
}

export interface PlannedChange {
  reading: StockReading & { quantity: number };
  oldQuantity: number | null;
  /** WooCommerce's last answer for this code (null: never written). */
  oldStatus: 'updated' | 'unknown_sku' | 'not_managed' | null;
}

export interface ChangePlan {
  /** Quantity differs from what we last wrote: write to WooCommerce. */
  changed: PlannedChange[];
  /** Same quantity, or no stock control: only refresh the ledger's bookkeeping. */
  unchanged: StockReading[];
  /** Older than what the ledger already holds: an older event never overwrites newer stock. */
  stale: StockReading[];
}

/** Readings of the same code collapse to the newest one (by change time, then by position). */
export function latestPerCode(readings: readonly StockReading[]): StockReading[] {
  const byCode = new Map<string, StockReading>();
  for (const reading of readings) {
    const previous = byCode.get(reading.code);
    if (!previous || (reading.changedAt ?? 0) >= (previous.changedAt ?? 0)) byCode.set(reading.code, reading);
  }
  return [...byCode.values()];
}

/** Splits readings against the ledger into changed / unchanged / stale. Pure. */
export function planChanges(readings: readonly StockReading[], ledger: ReadonlyMap<string, LedgerEntry>, options: PlanOptions = {}): ChangePlan {
  const plan: ChangePlan = { changed: [], unchanged: [], stale: [] };
  for (const reading of latestPerCode(readings)) {
    const entry = ledger.get(reading.code);
    if (entry && entry.siigoChangedAt !== null && reading.changedAt !== null && reading.changedAt < entry.siigoChangedAt) {
      plan.stale.push(reading);
    } else if (
      reading.quantity === null ||
      (entry !== undefined && entry.quantity === reading.quantity && !(options.retryUnsynced && entry.wooStatus != null && entry.wooStatus !== 'updated'))
    ) {
      plan.unchanged.push(reading);
    } else {
      plan.changed.push({ reading: { ...reading, quantity: reading.quantity }, oldQuantity: entry?.quantity ?? null, oldStatus: entry?.wooStatus ?? null });
    }
  }
  return plan;
}

/**
 * Identity of one SIIGO notification for dedupe: the product and the change time it reports;
 * without a change time, the body's hash (so only exact repeats are dropped).
 */
export function webhookDedupeKey(input: { siigoId: string; topic: string; changedAt: number | null; bodyHash: string }): string {
  const when = input.changedAt === null ? `h${input.bodyHash.slice(0, 40)}` : String(input.changedAt);
  return `${input.siigoId}:${input.topic}:${when}`.slice(0, 191);
}

/** A notification older than the ledger's latest change needs no SIIGO call. */
export function isStaleNotification(changedAt: number | null, entry: LedgerEntry | undefined): boolean {
  return changedAt !== null && entry?.siigoChangedAt != null && changedAt < entry.siigoChangedAt;
}

/** Where the incremental sweep starts: the last successful sweep's start, minus a clock-skew margin. */
export function sweepStart(input: { full: boolean; cursor: number | null; skewMs: number }): number | null {
  if (input.full || input.cursor === null) return null;
  return Math.max(0, input.cursor - input.skewMs);
}

/** Number of pages for `total` results. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The quantity before a write: WooCommerce's own (the plugin's `previous_quantity`), else the ledger's. Pure. */
export function previousQuantity(result: Pick<StockItemResult, 'status' | 'previous_quantity'>, ledger: number | null): number | null {
  return result.status === 'updated' && typeof result.previous_quantity === 'number' && Number.isFinite(result.previous_quantity)
    ? Math.round(result.previous_quantity)
    : ledger;
}
