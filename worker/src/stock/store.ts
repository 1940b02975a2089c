import { sql } from 'kysely';

import type { StockReading } from '../connectors/siigo/mappers';
import type { StockItemResult } from '../connectors/store/client';
import type { Db } from '../core/db';
import { liveChange, type LiveChange } from './sync/live';
import { previousQuantity, type LedgerEntry, type PlannedChange } from './rules';
import type { ChangeSource } from './schema';

const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** A reading as a ledger row's SIIGO columns. */
const readingColumns = (reading: StockReading) => ({
  code: reading.code,
  siigo_id: reading.siigoId,
  name: reading.name.slice(0, 255),
  quantity: reading.quantity,
  warehouses: JSON.stringify(reading.warehouses),
  siigo_changed_at: toDate(reading.changedAt),
});

function parseWarehouses(text: string): StockReading['warehouses'] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as StockReading['warehouses']) : [];
  } catch {
    return [];
  }
}

/** The last SIIGO reading the ledger holds for each of `codes` that has a quantity. */
export async function ledgerReadings(db: Db, codes: readonly string[]): Promise<Array<StockReading & { quantity: number }>> {
  const rows = await db
    .selectFrom('synchub_stock_products')
    .selectAll()
    .where('code', 'in', [...codes])
    .where('quantity', 'is not', null)
    .execute();
  return rows.map((row) => ({
    siigoId: row.siigo_id,
    code: row.code,
    name: row.name,
    quantity: row.quantity as number,
    warehouses: parseWarehouses(row.warehouses),
    changedAt: row.siigo_changed_at ? row.siigo_changed_at.getTime() : null,
  }));
}

/** The ledger rows of `codes`, keyed by code. */
export async function loadEntries(db: Db, codes: readonly string[]): Promise<Map<string, LedgerEntry>> {
  const entries = new Map<string, LedgerEntry>();
  if (codes.length === 0) return entries;
  const rows = await db
    .selectFrom('synchub_stock_products')
    .select(['code', 'quantity', 'siigo_changed_at', 'woo_status'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  for (const row of rows)
    entries.set(row.code, {
      code: row.code,
      quantity: row.quantity,
      siigoChangedAt: row.siigo_changed_at ? row.siigo_changed_at.getTime() : null,
      wooStatus: row.woo_status,
    });
  return entries;
}

/** Refreshes name, warehouses and last-seen of products whose stock did not change (one statement). */
export async function touchProducts(db: Db, readings: readonly StockReading[]): Promise<void> {
  if (readings.length === 0) return;
  await db
    .insertInto('synchub_stock_products')
    .values(readings.map((reading) => ({ ...readingColumns(reading), last_seen_at: new Date() })))
    .onDuplicateKeyUpdate({
      siigo_id: sql`VALUES(siigo_id)`,
      name: sql`VALUES(name)`,
      warehouses: sql`VALUES(warehouses)`,
      siigo_changed_at: sql`GREATEST(COALESCE(siigo_changed_at, VALUES(siigo_changed_at)), COALESCE(VALUES(siigo_changed_at), siigo_changed_at))`,
      last_seen_at: sql`VALUES(last_seen_at)`,
    })
    .execute();
}

/**
 * Records what the store answered: the ledger takes the new quantity, the audit one row per item;
 * returns the audit rows for the live feed. One transaction.
 */
export async function recordWrites(
  db: Db,
  changes: readonly PlannedChange[],
  results: readonly StockItemResult[],
  source: ChangeSource,
): Promise<LiveChange[]> {
  const bySku = new Map(results.map((result) => [result.sku, result]));
  return db.transaction().execute(async (trx) => {
    const audit: LiveChange[] = [];
    const now = new Date();
    for (const change of changes) {
      const { reading } = change;
      const result = bySku.get(reading.code);
      if (!result) continue;
      const wooProductId = result.product_id ?? null;
      await trx
        .insertInto('synchub_stock_products')
        .values({
          ...readingColumns(reading),
          woo_product_id: wooProductId,
          woo_status: result.status,
          last_seen_at: now,
          synced_at: now,
        })
        .onDuplicateKeyUpdate({
          siigo_id: reading.siigoId,
          name: reading.name.slice(0, 255),
          quantity: reading.quantity,
          warehouses: JSON.stringify(reading.warehouses),
          siigo_changed_at: sql`COALESCE(${toDate(reading.changedAt)}, siigo_changed_at)`,
          woo_product_id: wooProductId,
          woo_status: result.status,
          last_seen_at: now,
          synced_at: now,
        })
        .execute();
      // A retry that changed nothing (same quantity, same answer) is not a stock change.
      if (change.oldQuantity === reading.quantity && change.oldStatus === result.status) continue;
      // What WooCommerce held before this write, as the plugin answered; the last SIIGO reading
      // known here only when the plugin did not say (not managed, unknown SKU, an older plugin).
      const oldQuantity = previousQuantity(result, change.oldQuantity);
      const inserted = await trx
        .insertInto('synchub_stock_changes')
        .values({
          code: reading.code,
          name: reading.name.slice(0, 255),
          woo_product_id: wooProductId,
          old_quantity: oldQuantity,
          new_quantity: reading.quantity,
          siigo_id: reading.siigoId.slice(0, 64),
          source,
          result: result.status,
          created_at: now,
        })
        .executeTakeFirstOrThrow();
      audit.push(
        liveChange({
          id: Number(inserted.insertId),
          code: reading.code,
          name: reading.name,
          woo_product_id: wooProductId,
          siigo_id: reading.siigoId,
          old_quantity: oldQuantity,
          new_quantity: reading.quantity,
          source,
          result: result.status,
          created_at: now.toISOString(),
        }),
      );
    }
    return audit;
  });
}

export async function listChanges(db: Db, query: { limit: number; since?: number }): Promise<LiveChange[]> {
  let builder = db.selectFrom('synchub_stock_changes').selectAll();
  builder = query.since === undefined ? builder.orderBy('id', 'desc') : builder.where('id', '>', query.since).orderBy('id', 'asc');
  const rows = await builder.limit(query.limit).execute();
  return rows.map((row) =>
    liveChange({
      id: Number(row.id),
      code: row.code,
      name: row.name,
      woo_product_id: row.woo_product_id === null ? null : Number(row.woo_product_id),
      siigo_id: row.siigo_id,
      old_quantity: row.old_quantity,
      new_quantity: row.new_quantity,
      source: row.source,
      result: row.result,
      created_at: row.created_at.toISOString(),
    }),
  );
}
