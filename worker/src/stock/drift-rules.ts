import type { DriftItem } from '../core/drift/types';

export interface WooSkuStock {
  sku: string;
  productId: number;
  managed: boolean;
  quantity: number | null;
}

export interface SiigoStock {
  code: string;
  name: string;
  /** null: SIIGO does not control stock for it. */
  quantity: number | null;
}

/**
 * WooCommerce stock against SIIGO's (as the last sweep read it), matched SKU = code. Pure.
 * - `quantity_differs`: both sides manage stock and the quantities differ;
 * - `only_in_siigo`: a SIIGO code with stock control that no WooCommerce SKU matches;
 * - `only_in_woocommerce`: a WooCommerce SKU with managed stock that SIIGO does not have.
 * A WooCommerce SKU given twice counts once (the first product).
 */
export function compareStock(woo: readonly WooSkuStock[], siigo: readonly SiigoStock[]): DriftItem[] {
  const bySku = new Map<string, WooSkuStock>();
  for (const entry of woo) if (!bySku.has(entry.sku)) bySku.set(entry.sku, entry);
  const codes = new Set(siigo.map((entry) => entry.code));
  const items: DriftItem[] = [];
  for (const entry of siigo) {
    if (entry.quantity === null) continue;
    const match = bySku.get(entry.code);
    if (!match) {
      items.push({ id: entry.code, kind: 'only_in_siigo', detail: { name: entry.name, siigo_quantity: entry.quantity }, resyncable: false });
    } else if (match.managed && match.quantity !== entry.quantity) {
      items.push({
        id: entry.code,
        kind: 'quantity_differs',
        detail: { name: entry.name, product_id: match.productId, woocommerce_quantity: match.quantity, siigo_quantity: entry.quantity },
        resyncable: true,
      });
    }
  }
  for (const entry of bySku.values()) {
    if (entry.managed && !codes.has(entry.sku))
      items.push({
        id: entry.sku,
        kind: 'only_in_woocommerce',
        detail: { product_id: entry.productId, woocommerce_quantity: entry.quantity },
        resyncable: false,
      });
  }
  return items;
}
