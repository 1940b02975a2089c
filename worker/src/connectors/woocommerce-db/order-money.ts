import type { RowDataPacket } from 'mysql2/promise';

import type { SqlReader } from './client';
import { maybeUnserialize } from './serialize';
import type { StorageMode } from './types';

/** A tax item of an order (`order_item_type = 'tax'`): one WooCommerce tax rate it charged. */
export interface OrderTaxLine {
  rateId: number;
  label: string;
  compound: boolean;
  /** The rate's percent as stored on the item (WooCommerce ≥ 3.7); null on older orders. */
  ratePercent: number | null;
  taxTotal: number;
}

/** One rate charged on a line: `_line_tax_data`'s subtotal and total entries. */
export interface RateAmount {
  id: number;
  subtotal: number | null;
  total: number | null;
}

export interface LineTaxes {
  subtotalTax: number;
  taxes: RateAmount[];
}

export interface OrderFee {
  name: string;
  total: number;
  totalTax: number;
  taxes: RateAmount[];
}

/** What an order charged beyond its lines' prices: taxes, fees, the cart's discount decision. */
export interface OrderMoney {
  /** The order meta named by the caller (the plugin's discount decision), unserialized. */
  meta: unknown;
  /** The order's "prices entered with tax"; null when the order does not say. */
  pricesIncludeTax: boolean | null;
  fees: OrderFee[];
  taxLines: OrderTaxLine[];
  /** Per line item id. */
  lineTaxes: Map<number, LineTaxes>;
}

const ITEM_META_KEYS = ['_line_total', '_line_tax', '_line_subtotal_tax', '_line_tax_data', 'rate_id', 'label', 'compound', 'tax_amount', 'rate_percent'];

const amount = (value: unknown): number => {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
};

const optionalAmount = (value: unknown): number | null =>
  value === '' || value === null || value === undefined || !Number.isFinite(Number(value)) ? null : Number(value);

/** `_line_tax_data` ({total: {rate: amount}, subtotal: {…}}) as one entry per rate id (pure). */
export function rateAmounts(taxData: unknown): RateAmount[] {
  if (!taxData || typeof taxData !== 'object') return [];
  const data = taxData as { total?: unknown; subtotal?: unknown };
  const asMap = (value: unknown): Map<number, number | null> => {
    const map = new Map<number, number | null>();
    if (value && typeof value === 'object') {
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        const id = Number(key);
        if (Number.isInteger(id) && id > 0) map.set(id, optionalAmount(entry));
      }
    }
    return map;
  };
  const totals = asMap(data.total);
  const subtotals = asMap(data.subtotal);
  const ids = [...new Set([...subtotals.keys(), ...totals.keys()])].sort((a, b) => a - b);
  return ids.map((id) => ({ id, subtotal: subtotals.get(id) ?? null, total: totals.get(id) ?? null }));
}

/** WooCommerce stores booleans as 'yes'/'no', '1'/'0' or tinyint. */
export function storedBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value).toLowerCase();
  if (text === 'yes' || text === '1' || text === 'true') return true;
  if (text === 'no' || text === '0' || text === 'false') return false;
  return null;
}

interface ItemRow {
  orderId: number;
  itemId: number;
  type: string;
  name: string;
  meta: Map<string, string | null>;
}

/** Builds each order's money from its item rows (pure; rows in item id order). */
export function orderMoneyFromItems(
  ids: number[],
  items: ItemRow[],
  meta: Map<number, unknown>,
  pricesIncludeTax: Map<number, boolean | null>,
): Map<number, OrderMoney> {
  const result = new Map<number, OrderMoney>(
    ids.map((id) => [id, { meta: meta.get(id) ?? null, pricesIncludeTax: pricesIncludeTax.get(id) ?? null, fees: [], taxLines: [], lineTaxes: new Map() }]),
  );
  for (const item of items) {
    const entry = result.get(item.orderId);
    if (!entry) continue;
    const value = (key: string) => item.meta.get(key) ?? null;
    if (item.type === 'line_item') {
      entry.lineTaxes.set(item.itemId, { subtotalTax: amount(value('_line_subtotal_tax')), taxes: rateAmounts(maybeUnserialize(value('_line_tax_data'))) });
    } else if (item.type === 'fee') {
      const taxes = rateAmounts(maybeUnserialize(value('_line_tax_data')));
      entry.fees.push({ name: item.name, total: amount(value('_line_total')), totalTax: amount(value('_line_tax')), taxes });
    } else if (item.type === 'tax') {
      const rateId = Number(value('rate_id'));
      // A tax item without its rate id cannot be tied to the lines it taxed.
      if (!Number.isInteger(rateId) || rateId <= 0) continue;
      entry.taxLines.push({
        rateId,
        label: value('label') ?? item.name,
        compound: storedBoolean(value('compound')) === true,
        ratePercent: optionalAmount(value('rate_percent')),
        taxTotal: amount(value('tax_amount')),
      });
    }
  }
  return result;
}

/**
 * Taxes, fees, prices-include-tax and one named order meta of some orders, in three batched
 * queries whatever their number (HPOS or legacy storage; the item tables are shared).
 */
export async function readOrderMoney(reader: SqlReader, mode: StorageMode, ids: number[], metaKey: string): Promise<Map<number, OrderMoney>> {
  if (ids.length === 0) return new Map();
  const p = reader.prefix;
  const meta = new Map<number, unknown>();
  const includes = new Map<number, boolean | null>();
  if (mode === 'hpos') {
    const metaRows = await reader.rows<RowDataPacket>(
      `SELECT order_id AS id, meta_value AS v FROM \`${p}wc_orders_meta\` WHERE order_id IN (?) AND meta_key = ?`,
      [ids, metaKey],
      `${p}wc_orders_meta`,
    );
    for (const row of metaRows) meta.set(Number(row.id), maybeUnserialize(row.v === null ? null : String(row.v)));
    const operational = await reader.rows<RowDataPacket>(
      `SELECT order_id AS id, prices_include_tax AS v FROM \`${p}wc_order_operational_data\` WHERE order_id IN (?)`,
      [ids],
      `${p}wc_order_operational_data`,
    );
    for (const row of operational) includes.set(Number(row.id), storedBoolean(row.v));
  } else {
    const metaRows = await reader.rows<RowDataPacket>(
      `SELECT post_id AS id, meta_key AS k, meta_value AS v FROM \`${p}postmeta\` WHERE post_id IN (?) AND meta_key IN (?)`,
      [ids, [metaKey, '_prices_include_tax']],
      `${p}postmeta`,
    );
    for (const row of metaRows) {
      if (row.k === metaKey) meta.set(Number(row.id), maybeUnserialize(row.v === null ? null : String(row.v)));
      else includes.set(Number(row.id), storedBoolean(row.v));
    }
  }
  const itemRows = await reader.rows<RowDataPacket>(
    `SELECT i.order_id AS orderId, i.order_item_id AS itemId, i.order_item_type AS type, i.order_item_name AS name, m.meta_key AS k, m.meta_value AS v
       FROM \`${p}woocommerce_order_items\` i
       LEFT JOIN \`${p}woocommerce_order_itemmeta\` m ON m.order_item_id = i.order_item_id AND m.meta_key IN (?)
      WHERE i.order_id IN (?) AND i.order_item_type IN ('line_item', 'fee', 'tax')
      ORDER BY i.order_item_id, m.meta_id`,
    [ITEM_META_KEYS, ids],
    `${p}woocommerce_order_items`,
  );
  const items = new Map<number, ItemRow>();
  for (const row of itemRows) {
    const itemId = Number(row.itemId);
    let item = items.get(itemId);
    if (!item) {
      item = { orderId: Number(row.orderId), itemId, type: String(row.type), name: String(row.name ?? ''), meta: new Map() };
      items.set(itemId, item);
    }
    if (row.k !== null && row.k !== undefined) item.meta.set(String(row.k), row.v === null ? null : String(row.v));
  }
  return orderMoneyFromItems(ids, [...items.values()], meta, includes);
}
